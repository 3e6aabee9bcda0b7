/**
 * `overseer workflows` and `overseer dlq` as a user runs them (the built CLI): over a
 * store no worker wrote yet, over runs an engine recorded, straight on the store and
 * through a daemon (`--api`), JSON and tables, and the exit codes of unknown ids and bad
 * filters. The daemon tells its processes where the store is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { Workflows } from '../../src/open-workflows.js';
import { cleanup, createProject, freePort, overseer, type Project, waitFor } from './helpers.js';

const engines: Workflows[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await cleanup();
});

const TOKEN = 'cli-token-0123456789abcdef';

function stack(port?: number): string {
  const api = port === undefined ? '' : `  api: { listen: "127.0.0.1:${port}", token: ${TOKEN} }\n`;
  return `version: 1
settings:
${api}  workflows: { store: runs/workflows.db }
processes:
  worker:
    command: printf %s "$OVERSEER_WORKFLOWS_STORE" > store.txt && exec sleep 60
    # up -d need not wait a second for it: the test waits for what it writes.
    restart: { min_uptime: 100ms }
`;
}

/** Two failed runs of `order` recorded in the project's store, each with its dead letter. */
async function failedRuns(project: Project): Promise<void> {
  const engine = new Workflows({ store: join(project.dir, 'runs', 'workflows.db') });
  engines.push(engine);
  const backoff = exponentialBackoff({ initialMs: 1, factor: 1, maxMs: 1 });
  const order = engine.define<{ id: number }>('order', async (context, input) => {
    await context.step('reserve', () => input.id);
    await context.step(
      'charge',
      () => {
        throw new Error('card declined');
      },
      { retry: { attempts: 2, backoff } },
    );
  });
  for (const id of ['order-1', 'order-2']) {
    await expect((await order.start({ id: 1 }, { id })).result()).rejects.toThrow();
  }
  await engine.close();
}

const json = async (project: Project, args: string[]) => {
  const result = await overseer(project, [...args, '--json']);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return JSON.parse(String(result.stdout));
};

describe('overseer workflows and dlq', () => {
  it('read an empty project without creating its store; unknown ids exit 1, bad filters 2', async () => {
    const project = createProject(stack());
    // Commands that only read, and create nothing (the last line checks): side by side.
    const [table, runs, deadLetters, unknown, retry, status, limit, show, resend] =
      await Promise.all([
        overseer(project, ['workflows']),
        json(project, ['workflows']),
        json(project, ['dlq']),
        overseer(project, ['workflows', 'nope']),
        overseer(project, ['dlq', 'retry', 'nope']),
        overseer(project, ['workflows', '--status', 'done']),
        overseer(project, ['workflows', '--limit', '0']),
        overseer(project, ['dlq', 'show']),
        overseer(project, ['dlq', 'resend', 'x']),
      ]);
    expect(table.exitCode).toBe(0);
    expect(String(table.stdout).trim()).toMatch(
      /^ID +WORKFLOW +STATUS +STEPS +FAILURES +UPDATED +OWNER$/,
    );
    expect(runs).toEqual({ runs: [] });
    expect(deadLetters).toEqual({ deadLetters: [] });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe('overseer: no workflow run "nope"\n');
    expect([retry.exitCode, retry.stderr]).toEqual([1, 'overseer: no dead letter "nope"\n']);
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toMatch(/status: expected one of pending, running/);
    expect(limit.exitCode).toBe(2);
    expect(show.exitCode).toBe(2);
    expect(resend.exitCode).toBe(2);
    expect(existsSync(join(project.dir, 'runs'))).toBe(false);
  });

  it('show, retry and drop straight on the store, then through the daemon', async () => {
    const port = await freePort();
    const project = createProject(stack(port));
    await failedRuns(project);

    // Three reads of the store, side by side.
    const [listed, described, { deadLetters }] = await Promise.all([
      overseer(project, ['workflows', '--status', 'failed']),
      overseer(project, ['workflows', 'order-1']),
      json(project, ['dlq', 'ls', '--workflow', 'order']),
    ]);
    const table = String(listed.stdout);
    const rows = table
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/ +/).slice(0, 5));
    expect(rows).toEqual([
      ['order-2', 'order', 'failed', '1', '2'],
      ['order-1', 'order', 'failed', '1', '2'],
    ]);
    const shown = String(described.stdout);
    expect(shown).toMatch(/^status: +failed$/m);
    expect(shown).toMatch(/^0 +reserve +step +1 /m);
    expect(shown).toMatch(
      /^error: StepFailedError: step charge failed after 2 attempts: card declined$/m,
    );
    expect(shown).toMatch(/^DEAD LETTER +WORKFLOW +RUN/m);

    expect(deadLetters.map((letter: { runId: string }) => letter.runId)).toEqual([
      'order-2',
      'order-1',
    ]);
    const [second, first] = deadLetters;
    const letter = await json(project, ['dlq', 'show', first.id]);
    expect(letter).toMatchObject({ runId: 'order-1', step: 'charge', attempts: 2 });
    const dropped = await overseer(project, ['dlq', 'drop', first.id]);
    expect([dropped.exitCode, String(dropped.stdout)]).toEqual([0, `dropped ${first.id}\n`]);
    expect((await json(project, ['workflows', 'order-1'])).deadLetters).toEqual([]);

    // Through the daemon: --api reaches nothing else, and answers the same.
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    const remote = ['--api', `http://127.0.0.1:${port}`, '--token', TOKEN];
    const details = await json(project, ['workflows', 'order-2', ...remote]);
    expect(details.run).toMatchObject({ id: 'order-2', status: 'failed', stepsDone: 1 });
    expect(details.deadLetters.map((each: { id: string }) => each.id)).toEqual([second.id]);
    const retried = await json(project, ['dlq', 'retry', second.id, ...remote]);
    expect(retried.run).toMatchObject({ id: 'order-2', status: 'pending' });
    expect(await json(project, ['dlq', ...remote])).toEqual({ deadLetters: [] });
    const gone = await overseer(project, ['dlq', 'drop', second.id, ...remote]);
    expect([gone.exitCode, gone.stderr]).toEqual([1, `overseer: no dead letter "${second.id}"\n`]);

    // The daemon told its worker where the store is, resolved against the config's folder.
    const told = join(project.dir, 'store.txt');
    await waitFor(
      () => existsSync(told) && readFileSync(told, 'utf8') !== '',
      'the worker to start',
    );
    expect(readFileSync(told, 'utf8')).toBe(join(project.dir, 'runs', 'workflows.db'));
  });
});
