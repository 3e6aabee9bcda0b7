// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultWorkflowsLocation, Workflows } from '../../src/open-workflows.js';
import { openSqliteWorkflowStore } from '../../src/store/sqlite/workflow-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-workflows-'));
  dirs.push(dir);
  return dir;
}

describe('Workflows', () => {
  it('keeps its runs in the SQLite file it is given, opened on first use and closed with it', async () => {
    const file = join(folder(), 'nested', 'runs.db');
    const workflows = new Workflows({ store: file });
    const greet = workflows.define('greet', async (ctx, name: string) =>
      ctx.step('say', () => `hello ${name}`),
    );
    expect(await (await greet.start('ada', { id: 'g-1' })).result()).toBe('hello ada');
    await workflows.close();

    const reopened = openSqliteWorkflowStore(file);
    expect(await reopened.run('g-1')).toMatchObject({ status: 'completed', output: 'hello ada' });
    await reopened.close();
  });

  it('finds the project state dir of a folder, or its default one', async () => {
    const project = folder();
    writeFileSync(
      join(project, 'overseer.yaml'),
      'version: 1\nsettings: { state_dir: var/state }\nprocesses: {}\n',
    );
    expect(await defaultWorkflowsLocation(project)).toEqual({
      store: join(project, 'var', 'state', 'workflows.db'),
      schema: 'overseer',
    });
    const bare = folder();
    expect(await defaultWorkflowsLocation(bare)).toEqual({
      store: join(bare, '.overseer', 'workflows.db'),
      schema: 'overseer',
    });
  });

  it('defaultWorkflowsStore ignored settings.workflows: a worker outside overseer opens the store its project names', async () => {
    const project = folder();
    writeFileSync(
      join(project, 'overseer.yaml'),
      'version: 1\nsettings:\n  workflows: { store: data/runs.db, schema: ingest }\nprocesses: { worker: { command: node worker.js } }\n',
    );
    expect(await defaultWorkflowsLocation(project)).toEqual({
      store: join(project, 'data', 'runs.db'),
      schema: 'ingest',
    });
    writeFileSync(
      join(project, 'overseer.yaml'),
      'version: 1\nsettings:\n  workflows: { store: "postgres://db.internal/app" }\nprocesses: { worker: { command: node worker.js } }\n',
    );
    expect(await defaultWorkflowsLocation(project)).toEqual({
      store: 'postgres://db.internal/app',
      schema: 'overseer',
    });
  });

  it('regression: finding the store loaded the whole config, failing on a variable of some process', async () => {
    const project = folder();
    writeFileSync(
      join(project, 'overseer.yaml'),
      'version: 1\nsettings:\n  workflows: { store: "${RUNS_DIR:-runs}/w.db" }\nprocesses:\n  api: { command: "node api.js --key ${API_KEY_NOT_SET_HERE}" }\n',
    );
    expect(await defaultWorkflowsLocation(project)).toEqual({
      store: join(project, 'runs', 'w.db'),
      schema: 'overseer',
    });
  });

  it('fails its first use, with the reason, when the store cannot be opened', async () => {
    const blocker = join(folder(), 'file');
    writeFileSync(blocker, '');
    const workflows = new Workflows({ store: join(blocker, 'runs.db') });
    const job = workflows.define('job', async () => null);
    await expect(job.start(null)).rejects.toThrow(
      `workflows: cannot open the store ${join(blocker, 'runs.db')}: EEXIST`,
    );
    await workflows.close();
  });

  it('sleeps durably across a restart: the next process sleeps only what is left', async () => {
    const file = join(folder(), 'runs.db');
    const effects: string[] = [];
    const define = (workflows: Workflows) =>
      workflows.define('nap', async (ctx) => {
        await ctx.step('before', () => effects.push('before'));
        await ctx.sleep(400);
        return ctx.step('after', () => effects.push('after'));
      });
    const began = Date.now();
    const first = new Workflows({ store: file });
    const run = await define(first).start(null, { id: 'nap-1' });
    await vi.waitFor(async () => expect((await run.run()).status).toBe('sleeping'));
    await first.close();

    const second = new Workflows({ store: file });
    define(second);
    const worker = second.worker({ pollMs: 20 });
    // Another process asks for the same run: the same run, its result once it is done.
    const asking = new Workflows({ store: file });
    const handle = await define(asking).start(null, { id: 'nap-1', enqueue: true });
    expect(handle.created).toBe(false);
    expect(await handle.result()).toBe(2);
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
    expect(effects).toEqual(['before', 'after']);
    await worker.stop();
    await Promise.all([second.close(), asking.close()]);
  });
});
