/**
 * Watches and live reload end to end, against one daemon started by the built CLI: a burst
 * of changes of a watched folder restarts a service once and names the files, a job runs
 * again, a process stopped on request stays stopped; with `settings.reload`, an edit of the
 * config (saved as editors do, by a rename over the file) is applied, and a broken one
 * changes nothing and says why on `/events` and in `ps`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, openEventStream, type WireEvent } from '../daemon/helpers.js';
import {
  cleanup,
  createProject,
  fixture,
  overseer,
  type Project,
  ps,
  readLines,
  row,
  spawnOverseer,
  waitFor,
} from './helpers.js';

const PROCESSES = `processes:
  web:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
    watch: { paths: [src], ignore: ["*.tmp"], debounce: 150ms }
  job:
    command: ${fixture('exit-with.mjs', 0)}
    kind: job
    watch: { paths: [jobs], debounce: 150ms }
`;
const CONFIG = `version: 1\nsettings: { reload: true }\n${PROCESSES}`;

let project: Project;
let events: EventStream;

/** Saves the config as editors do: written beside it, then renamed over it. */
function saveConfig(yaml: string): void {
  const temporary = join(project.dir, '.overseer.yaml.swp');
  writeFileSync(temporary, yaml);
  renameSync(temporary, join(project.dir, 'overseer.yaml'));
}

function supervisorLog(): string {
  try {
    return readFileSync(join(project.stateDir, 'overseer.log'), 'utf8');
  } catch {
    return '';
  }
}

/** The events of `type` about `name` seen so far. */
function seen(type: string, name?: string): WireEvent[] {
  return events.items.filter(
    (item) => item.event === type && (name === undefined || item.data.name === name),
  );
}

/** Waits until `count` events of `type` about `name` have been seen; returns the last. */
async function nth(count: number, type: string, name?: string): Promise<WireEvent> {
  await waitFor(() => seen(type, name).length >= count, `${count}× ${type} ${name ?? ''}`);
  return seen(type, name)[count - 1]!;
}

beforeAll(async () => {
  project = createProject(CONFIG);
  mkdirSync(join(project.dir, 'src'));
  mkdirSync(join(project.dir, 'jobs'));
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
  events = await openEventStream({ socketPath: project.socketPath }, '/events');
  // Two process watches and the config's are in place: a change from now on is seen.
  await waitFor(
    () => supervisorLog().match(/"msg":"watching"/g)?.length === 2,
    'the process watches',
  );
  await waitFor(() => supervisorLog().includes('"msg":"watching the config"'), 'the config watch');
  // `up -d` returned once the job had completed: its run is before the stream began.
  expect(row(await ps(project), 'job').status).toBe('completed');
});

afterAll(async () => {
  events?.close();
  await cleanup();
});

describe('watch', () => {
  it('restarts a service once per burst of changes, naming the files; ignored files are not changes', async () => {
    const before = row(await ps(project), 'web').pid;
    for (const file of ['a.js', 'b.js', 'a.js']) writeFileSync(join(project.dir, 'src', file), '1');

    const first = await nth(1, 'process:restarted', 'web');
    expect(first.data.pid).not.toBe(before);
    expect(seen('process:exit', 'web').map((item) => item.data.reason)).toEqual([
      'watch: src/a.js changed (and 1 more)',
    ]);

    // A second burst: had the first restarted twice, its second restart would come first.
    writeFileSync(join(project.dir, 'src', 'scratch.tmp'), '1');
    writeFileSync(join(project.dir, 'src', 'c.js'), '1');
    await nth(2, 'process:restarted', 'web');
    expect(seen('process:exit', 'web').map((item) => item.data.reason)).toEqual([
      'watch: src/a.js changed (and 1 more)',
      'watch: src/c.js changed',
    ]);
  });

  it('runs a job again, and leaves a process stopped on request stopped', async () => {
    const stop = await overseer(project, ['stop', 'web']);
    expect(stop.exitCode, String(stop.stderr)).toBe(0);
    await nth(1, 'process:stopped', 'web');
    const exitsOfWeb = seen('process:exit', 'web').length;

    writeFileSync(join(project.dir, 'src', 'd.js'), '1');
    writeFileSync(join(project.dir, 'jobs', 'input.txt'), '1');
    await nth(1, 'process:completed', 'job');

    const pending = seen('process:pending', 'job').map((item) => item.data.reason);
    expect(pending).toContain('watch: jobs/input.txt changed');
    // web's burst was due before the job's: it has passed, and web was not started.
    expect(row(await ps(project), 'web').status).toBe('stopped');
    expect(seen('process:exit', 'web')).toHaveLength(exitsOfWeb);
  });
});

describe('settings.reload', () => {
  it('applies an edited config: a process added starts', async () => {
    saveConfig(`${CONFIG}  extra:\n    command: ${fixture('sleeper.mjs')}\n`);
    const applied = await nth(1, 'config:applied');
    expect(applied.data).toMatchObject({ added: ['extra'], changed: [], removed: [] });
    await nth(1, 'process:started', 'extra');
  });

  it('changes nothing for a broken config, and says why on /events and in ps', async () => {
    const extra = row(await ps(project), 'extra');
    saveConfig(
      `${CONFIG}  extra:\n    command: ${fixture('sleeper.mjs')}\n    restart: { max_restarts: lots }\n`,
    );

    const rejected = await nth(1, 'config:rejected');
    expect(rejected.data.issues).toEqual([
      expect.objectContaining({ path: 'processes.extra.restart.max_restarts' }),
    ]);
    const table = await overseer(project, ['ps'], { env: { NO_COLOR: '1' } });
    expect(String(table.stdout)).toMatch(/config change at .* not applied/);
    expect(String(table.stdout)).toContain('processes.extra.restart.max_restarts');
    expect(row(await ps(project), 'extra').pid).toBe(extra.pid);
    expect(seen('config:applied')).toHaveLength(1);
    expect(supervisorLog()).toContain('the config was not applied; nothing changed');

    // Fixed again: applied, and ps says nothing more.
    saveConfig(`${CONFIG}  extra:\n    command: ${fixture('sleeper.mjs')}\n`);
    expect((await nth(2, 'config:applied')).data).toMatchObject({ added: [], changed: [] });
    const after = await overseer(project, ['ps'], { env: { NO_COLOR: '1' } });
    expect(String(after.stdout)).not.toContain('not applied');
  });
});

describe('up --watch', () => {
  it('in the foreground, applies each save of a config without settings.reload and says so', async () => {
    const sleeper = (name: string) =>
      `  ${name}:\n    command: ${fixture('sleeper.mjs')}\n    readiness: { log: "^ready$" }\n`;
    const other = createProject(`version: 1\nprocesses:\n${sleeper('first')}`);
    const up = spawnOverseer(other, ['up', '--watch'], { env: { NO_COLOR: '1' } });
    const lines = readLines(up);
    await lines.waitFor(/^first +│ ready$/);
    const log = join(other.stateDir, 'overseer.log');
    await waitFor(
      () => readFileSync(log, 'utf8').includes('"msg":"watching the config"'),
      'the config watch',
    );

    writeFileSync(
      join(other.dir, 'overseer.yaml'),
      `version: 1\nprocesses:\n${sleeper('first')}${sleeper('second')}`,
    );

    await lines.waitFor(/^config applied: added second$/);
    await lines.waitFor(/^second +│ ready$/);
  });
});
