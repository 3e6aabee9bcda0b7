import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkflowsStore, Workflows } from '../../src/open-workflows.js';
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
    expect(await defaultWorkflowsStore(project)).toBe(
      join(project, 'var', 'state', 'workflows.db'),
    );
    const bare = folder();
    expect(await defaultWorkflowsStore(bare)).toBe(join(bare, '.overseer', 'workflows.db'));
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
});
