/**
 * The dashboard's dead letters as a person reaches them in `overseer top`: the built CLI in
 * a real pseudo-terminal, against a real daemon whose project keeps its workflows in a
 * SQLite store, one dead letter written there before `top` attaches. `d`, the letter, `r`,
 * `y`: the run is pending again in the store.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteWorkflowStore } from '../../src/store/sqlite/workflow-store.js';
import {
  cleanup,
  createProject,
  fixture,
  overseer,
  type Project,
  ps,
  row,
  waitFor,
} from '../cli/helpers.js';
import { fileDeadLetter } from '../tui/workflow-store.js';
import { closeTerminals, runInTerminal } from './terminal.js';

const STACK = `version: 1
settings:
  workflows: { store: runs/workflows.db }
processes:
  api:
    command: ${fixture('sleeper.mjs')}
`;

let project: Project;
let storeFile: string;
let letterId: string;

/** Run `order-7` of `order`, failed at its step `charge` and filed as a dead letter. */
async function fileDeadLetterIn(file: string): Promise<string> {
  // As a worker's engine would, the first to write there.
  mkdirSync(dirname(file), { recursive: true });
  const store = openSqliteWorkflowStore(file);
  try {
    return await fileDeadLetter(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  project = createProject(STACK);
  storeFile = join(project.dir, 'runs', 'workflows.db');
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
  await waitFor(async () => row(await ps(project), 'api').status === 'running', 'api running');
  letterId = await fileDeadLetterIn(storeFile);
});

afterEach(closeTerminals);
afterAll(cleanup);

describe('overseer top: dead letters', () => {
  it('d shows the dead letter; r, then y, retries it: its run is pending again', async () => {
    const run = runInTerminal(['top'], { cwd: project.dir });
    await run.pressOnceShown(/› api\s/, 'd');
    const letterLine = new RegExp(
      `› ${letterId.slice(0, 8)}.*order-7 +charge #0 +3 .*card declined`,
    );
    await run.pressOnceShown(letterLine, 'r');
    await run.pressOnceShown(/retry dead letter .+\? y\/n/, 'y');
    await run.waitForScreen(/retried dead letter .+: run order-7 is pending/);
    await run.waitForScreen(/dead letters \[0\]/);
    const store = openSqliteWorkflowStore(storeFile);
    try {
      expect((await store.run('order-7'))?.status).toBe('pending');
      expect(await store.deadLetters()).toEqual([]);
    } finally {
      await store.close();
    }
    await run.pressOnceShown(/no dead letter/, 'escape');
    await run.pressOnceShown(/› api\s/, 'q');
    expect((await run.exited).exitCode).toBe(0);
  });
});
