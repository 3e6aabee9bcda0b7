/**
 * Namespaces end to end, through the built CLI and one daemon shared by the file: `-n NS`
 * acts on exactly that namespace, an unknown namespace changes nothing, a command naming
 * several leaves those already so as they are, and `ps` and `inspect` show where each
 * process belongs. Each test leaves every process running, as it found them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/index.js';
import { cleanup, createProject, fixture, overseer, type Project, ps, row } from './helpers.js';

/** api and db in backend, web (two instances) in frontend, cron in default. */
const STACK = `version: 1
processes:
  api:
    namespace: backend
    description: the public API
    labels: { tier: app, team: core }
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  db:
    namespace: backend
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  web:
    namespace: frontend
    instances: 2
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  cron:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`;

let project: Project;

beforeAll(async () => {
  project = createProject(STACK);
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
});

afterAll(cleanup);

const pids = (rows: readonly ProcessInfo[]) => rows.map((info) => [info.name, info.pid]);

describe('namespaces through the CLI', () => {
  it('restart -n backend restarts exactly that namespace: pids change only there', async () => {
    const before = await ps(project);

    const restart = await overseer(project, ['restart', '-n', 'backend']);

    expect(restart.exitCode, String(restart.stderr)).toBe(0);
    const after = await ps(project);
    for (const info of after) {
      const old = row(before, info.name);
      expect(info.status, info.name).toBe('running');
      if (info.namespace === 'backend') {
        expect(info.pid, info.name).not.toBe(old.pid);
        expect(info.restarts, info.name).toBe(old.restarts + 1);
      } else {
        expect(info.pid, info.name).toBe(old.pid);
      }
    }
    expect(after.filter((info) => info.namespace === 'backend').map((info) => info.name)).toEqual([
      'api',
      'db',
    ]);
  });

  it('restart all -n frontend restarts only frontend: all within a namespace is that namespace', async () => {
    const before = await ps(project);

    const restart = await overseer(project, ['restart', 'all', '-n', 'frontend']);

    expect(restart.exitCode, String(restart.stderr)).toBe(0);
    const after = await ps(project);
    for (const info of after) {
      const changed = info.pid !== row(before, info.name).pid;
      expect(changed, info.name).toBe(info.namespace === 'frontend');
    }
  });

  it('reload -n frontend replaces exactly that namespace, one instance at a time; signal -n of an unknown namespace exits 2', async () => {
    const before = await ps(project);

    const [reload, signal] = await Promise.all([
      overseer(project, ['reload', '-n', 'frontend', '--json']),
      overseer(project, ['signal', 'SIGUSR1', '-n', 'nope']),
    ]);

    expect(reload.exitCode, String(reload.stderr)).toBe(0);
    const after = await ps(project);
    for (const info of after) {
      const changed = info.pid !== row(before, info.name).pid;
      expect(changed, info.name).toBe(info.namespace === 'frontend');
      expect(info.status, info.name).toBe('running');
    }
    expect(signal.exitCode).toBe(2);
    expect(signal.stderr).toContain('no namespace named nope');
  });

  it('an unknown namespace, or a name outside it, exits 2, names it and changes nothing', async () => {
    const before = pids(await ps(project));

    // Refused before anything is done, so they may run at once.
    const [unknown, outside, twice, psUnknown] = await Promise.all([
      overseer(project, ['restart', '-n', 'nope']),
      overseer(project, ['stop', 'web', 'api', '--namespace', 'backend']),
      overseer(project, ['stop', '-n', 'backend', '-n', 'frontend']),
      overseer(project, ['ps', '-n', 'nope']),
    ]);

    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe(
      'overseer: no namespace named nope (namespaces: backend, default, frontend)\n',
    );
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toBe(
      'overseer: no process named web in namespace backend (web is in frontend)\n',
    );
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('one namespace per command');
    expect(psUnknown.exitCode).toBe(2);
    expect(psUnknown.stderr).toContain('no namespace named nope');
    expect(pids(await ps(project))).toEqual(before);
  });

  it('stop -n backend with db already stopped stops api, and again does nothing, successfully', async () => {
    expect((await overseer(project, ['stop', 'db'])).exitCode).toBe(0);

    const stop = await overseer(project, ['stop', '-n', 'backend', '--json']);
    const [again, alone] = await Promise.all([
      overseer(project, ['stop', '-n', 'backend']),
      // One process named alone is still refused for being so already.
      overseer(project, ['stop', 'db']),
    ]);

    expect(stop.exitCode, String(stop.stderr)).toBe(0);
    expect(stop.stderr).toBe('overseer: db is not running (stopped): left as it is\n');
    const stopped = JSON.parse(String(stop.stdout)) as { processes: ProcessInfo[] };
    expect(stopped.processes.map((info) => [info.name, info.status])).toEqual([['api', 'stopped']]);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(again.stdout).toMatch(/^NAME\s+NAMESPACE\s+STATUS/);
    expect(alone.exitCode).toBe(1);
    expect(alone.stderr).toBe('overseer: db is not running (stopped)\n');
    const rows = await ps(project);
    expect(rows.map((info) => [info.name, info.status])).toEqual([
      ['api', 'stopped'],
      ['db', 'stopped'],
      ['web-0', 'running'],
      ['web-1', 'running'],
      ['cron', 'running'],
    ]);

    const start = await overseer(project, ['start', '-n', 'backend']);
    expect(start.exitCode, String(start.stderr)).toBe(0);
    expect((await ps(project)).every((info) => info.status === 'running')).toBe(true);
  });

  it('ps shows a NAMESPACE column and narrows to -n NS and names; --json rows carry namespace and labels', async () => {
    const [table, narrowed, within, all] = await Promise.all([
      overseer(project, ['ps']),
      overseer(project, ['ps', '-n', 'frontend', '--json']),
      overseer(project, ['ps', 'web-1', 'cron', '--json']),
      ps(project),
    ]);

    expect(table.exitCode).toBe(0);
    const lines = String(table.stdout).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+NAMESPACE\s+STATUS\s+HEALTH/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      ['api', 'backend'],
      ['db', 'backend'],
      ['web-0', 'frontend'],
      ['web-1', 'frontend'],
      ['cron', 'default'],
    ]);
    const frontend = (JSON.parse(String(narrowed.stdout)) as { processes: ProcessInfo[] })
      .processes;
    expect(frontend.map((info) => [info.name, info.namespace])).toEqual([
      ['web-0', 'frontend'],
      ['web-1', 'frontend'],
    ]);
    const named = (JSON.parse(String(within.stdout)) as { processes: ProcessInfo[] }).processes;
    expect(named.map((info) => info.name)).toEqual(['web-1', 'cron']);
    expect(row(all, 'api')).toMatchObject({
      namespace: 'backend',
      labels: { tier: 'app', team: 'core' },
    });
    expect(row(all, 'cron').labels).toEqual({});
  });

  it('inspect shows namespace, description and labels; a name of several instances names them', async () => {
    const [text, several] = await Promise.all([
      overseer(project, ['inspect', 'api', '-n', 'backend']),
      overseer(project, ['inspect', 'web']),
    ]);

    expect(text.exitCode, String(text.stderr)).toBe(0);
    const output = String(text.stdout);
    expect(output).toContain('\nnamespace backend\n');
    expect(output).toContain('\ndescription the public API\n');
    expect(output).toContain('\nlabels tier=app team=core\n');
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toBe(
      'overseer: web stands for 2 instances (web-0, web-1): inspect one of them\n',
    );
  });
});
