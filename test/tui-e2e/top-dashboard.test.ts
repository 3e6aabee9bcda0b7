/**
 * `overseer top` as a person runs it: the built CLI in a real pseudo-terminal (80×24), its
 * screen read back through a headless xterm, against a real daemon (`up -d`) shared by the
 * file. Each test leaves the stack running as it found it (but for a restart), except the
 * last, which stops the daemon under a running `top`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { closeTerminals, modesLeftChanged, runInTerminal, type TerminalRun } from './terminal.js';

/** Five rows: two services (web with 2 instances), a job that completes, one that fails. */
const STACK = `version: 1
processes:
  api:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  web:
    instances: 2
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  migrate:
    kind: job
    command: ${fixture('exit-with.mjs', 0)}
  broken:
    command: ${fixture('exit-with.mjs', 3)}
    restart: { policy: never }
`;

const SETTLED: Readonly<Record<string, string>> = {
  api: 'running',
  'web-0': 'running',
  'web-1': 'running',
  migrate: 'completed',
  broken: 'failed',
};

let project: Project;

beforeAll(async () => {
  project = createProject(STACK);
  // `up -d` says so when a process failed (broken does, on purpose): its code is not the point.
  await overseer(project, ['up', '-d']);
  await waitFor(async () => {
    const rows = await ps(project);
    return Object.entries(SETTLED).every(([name, status]) => row(rows, name).status === status);
  }, 'the stack to settle');
});

afterEach(closeTerminals);
afterAll(cleanup);

/** `top` in a fresh terminal, once every row of the stack is on its screen. */
async function top(): Promise<TerminalRun> {
  const run = runInTerminal(['top'], { cwd: project.dir });
  await run.waitForScreen(everyRow);
  return run;
}

function everyRow(screen: string): boolean {
  return Object.keys(SETTLED).every((name) => lineOf(screen, name) !== undefined);
}

/** The screen's line of `name`'s row (selected `›` or not), if it shows. */
function lineOf(screen: string, name: string): string | undefined {
  return screen.split('\n').find((line) => line.slice(2).startsWith(`${name} `));
}

/** A predicate true when `name`'s row is the selected one. */
function selected(name: string) {
  return function isSelected(screen: string) {
    return lineOf(screen, name)?.startsWith('› ') === true;
  };
}

describe('overseer top in a terminal', () => {
  it('shows every process with its status and symbol', async () => {
    const run = await top();
    const screen = run.screen();
    expect(lineOf(screen, 'api')).toContain('● running');
    expect(lineOf(screen, 'web-0')).toContain('● running');
    expect(lineOf(screen, 'web-1')).toContain('● running');
    expect(lineOf(screen, 'migrate')).toContain('✔ completed');
    expect(lineOf(screen, 'broken')).toMatch(/✖ failed .* exited/);
    expect(screen).toMatch(/● 3 running {2}✖ 1 failed {2}✔ 1 completed/);
  });

  it('r restarts the selected process: a new pid', async () => {
    const before = row(await ps(project), 'web-0').pid;
    const run = await top();
    // Rows come in the config's order: api, web-0, …
    await run.pressOnceShown(everyRow, 'down');
    await run.pressOnceShown(selected('web-0'), 'r');
    await run.waitForScreen(/restarted web-0/);
    const after = await waitFor(async () => {
      const web = row(await ps(project), 'web-0');
      return web.status === 'running' && web.pid !== before ? web.pid : undefined;
    }, 'web-0 running with a new pid');
    expect(after).not.toBe(before);
    await run.waitForScreen((screen) => lineOf(screen, 'web-0')?.includes(String(after)) === true);
  });

  it('/ filters the table as typed; Enter keeps the filter, Esc clears it', async () => {
    const run = await top();
    await run.pressOnceShown(everyRow, '/');
    // Keys a person types arrive one read at a time: `/web` in one read is not a `/`.
    await run.pressOnceShown(/\/▏ {2}Enter keeps/, 'web');
    await run.pressOnceShown(function onlyWeb(screen) {
      return lineOf(screen, 'web-1') !== undefined && lineOf(screen, 'api') === undefined;
    }, 'enter');
    const kept = await run.waitForScreen(/filter: web \(Esc clears\)/);
    expect(lineOf(kept, 'web-0')).toBeDefined();
    expect(lineOf(kept, 'broken')).toBeUndefined();
    await run.pressOnceShown(/filter: web/, 'escape');
    await run.waitForScreen(everyRow);
  });

  it('q detaches: exit 0, the daemon still answers, the terminal is given back as it was', async () => {
    const run = await top();
    await run.pressOnceShown(everyRow, 'q');
    expect(await run.exited).toEqual({ exitCode: 0, signal: 0 });
    expect(modesLeftChanged(run.raw())).toEqual([]);
    expect(row(await ps(project), 'api').status).toBe('running');
  });
});

/**
 * What `top` does when its daemon goes away (docs/tui.md): it ends with the error and exit
 * code 1. The one place to change once it shows "disconnected" and reconnects instead.
 */
async function expectLostDaemonHandled(run: TerminalRun): Promise<void> {
  const exit = await run.exited;
  expect(exit.exitCode).toBe(1);
  expect(run.screen()).toMatch(/overseer: .+/);
  expect(modesLeftChanged(run.raw())).toEqual([]);
}

// Last: it stops the file's daemon.
describe('overseer top when the daemon stops', () => {
  it('ends with the error when `overseer down` stops the daemon under it', async () => {
    const run = await top();
    const down = await overseer(project, ['down']);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    await expectLostDaemonHandled(run);
  });
});
