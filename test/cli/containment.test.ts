/**
 * A run's whole tree ends with it through the CLI too: `up -d`, then `stop`, `restart` and
 * `down` of a process whose grandchild double-forked and called `setsid` (so no parent link
 * and no process group leads to it any more), in both containment modes; and `inspect`
 * names the mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  fixture,
  inspect,
  isGone,
  overseer,
  type Project,
  waitFor,
} from './helpers.js';

afterEach(cleanup);

/** The grandchild's pid, once written (and not the same as `previous`). */
async function grandchildOf(project: Project, previous?: number): Promise<number> {
  const file = join(project.dir, 'grandchild.pid');
  const pid = await waitFor(() => {
    try {
      const found = Number(readFileSync(file, 'utf8'));
      return found && found !== previous ? found : undefined;
    } catch {
      return undefined;
    }
  }, 'the grandchild pid file');
  project.pids.add(pid);
  return pid;
}

describe.each(['cgroup', 'process-group'])('containment %s', (mode) => {
  it('ends a double-forked setsid grandchild on stop, restart and down', async () => {
    const project = createProject(`version: 1
processes:
  escaper:
    command: ${fixture('double-fork.mjs', 'grandchild.pid')}
    readiness: { log: '^escaped$' }
    stop: { timeout: 2s }
`);
    const env = { OVERSEER_CONTAINMENT: mode };
    expect((await overseer(project, ['up', '-d'], { env })).exitCode).toBe(0);
    expect((await inspect(project, 'escaper')).containment?.mode).toBe(mode);

    let grandchild = await grandchildOf(project);
    expect((await overseer(project, ['stop', 'escaper'])).exitCode).toBe(0);
    expect(isGone(grandchild)).toBe(true);

    expect((await overseer(project, ['start', 'escaper'])).exitCode).toBe(0);
    grandchild = await grandchildOf(project, grandchild);
    expect((await overseer(project, ['restart', 'escaper'])).exitCode).toBe(0);
    expect(isGone(grandchild)).toBe(true);

    grandchild = await grandchildOf(project, grandchild);
    expect((await overseer(project, ['down'])).exitCode).toBe(0);
    expect(isGone(grandchild)).toBe(true);
  });
});
