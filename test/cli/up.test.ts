/**
 * `overseer up -d` end to end (docs/cli.md): it leaves a daemon running and returns once every
 * selected process is running, completed or failed (exit 0 when none failed, else 1); a
 * second `up -d` applies the edited config; racing `up -d`s share one supervisor.
 */
import { existsSync, statSync } from 'node:fs';
import type { Result } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BIN,
  cleanup,
  createProject,
  daemonPid,
  fixture,
  freePort,
  inspect,
  isGone,
  overseer,
  processesIn,
  processesMentioning,
  ps,
  row,
  spawnOverseer,
  waitFor,
  writeConfig,
} from './helpers.js';

afterEach(cleanup);

/** `name status` of the lines printed by `up -d` as the processes come up (reasons left out). */
function statusLines(stdout: unknown): string[] {
  return String(stdout)
    .split('\n')
    .map(
      (line) =>
        /^(\S+ (?:pending|starting|running|backoff|failed|completed|stopped))(?:: .+)?$/.exec(
          line,
        )?.[1],
    )
    .filter((line) => line !== undefined);
}

/** The pid named by `up -d`'s "supervisor running (pid N)" line. */
function announcedPid(stdout: unknown): number | undefined {
  const match = /supervisor running \(pid (\d+)\)/.exec(String(stdout));
  return match ? Number(match[1]) : undefined;
}

describe('up -d', () => {
  // Regression: it waited out its timeout for a migration on a yearly schedule.
  it('returns saying why when a dependency is a scheduled job that has not run yet, exit 1', async () => {
    const project = createProject(`version: 1
processes:
  migrate:
    kind: job
    command: ${fixture('exit-with.mjs', 0)}
    schedule: "0 0 1 1 *"
  api:
    command: ${fixture('sleeper.mjs')}
    depends_on: { migrate: completed_successfully }
`);
    const up = await overseer(project, ['up', '-d', '--wait-timeout', '30s']);

    expect(up.exitCode).toBe(1);
    expect(String(up.stderr)).toContain(
      'api stays pending: waiting for migrate to complete successfully (migrate is scheduled)',
    );
    expect(String(up.stderr)).not.toContain('still waiting');
  });

  it('returns once a stack with a readiness probe and a dependency runs, exit 0', async () => {
    const port = await freePort();
    const project = createProject(`version: 1
name: shop
processes:
  web:
    # Listens only after 300 ms: the readiness probe fails until then.
    command: ${fixture('http-server.mjs', port, 300)}
    readiness: { http: "http://127.0.0.1:${port}/health", interval: 50ms, timeout: 500ms }
  worker:
    command: ${fixture('sleeper.mjs')}
    depends_on: { web: healthy }
    restart: { min_uptime: 100ms }
`);

    const result = await overseer(project, ['up', '-d']);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const pid = daemonPid(project);
    expect(pid).toBeDefined();
    expect(announcedPid(result.stdout)).toBe(pid);
    expect(String(result.stdout)).toContain(
      `shop: supervisor running (pid ${pid}), log in ${project.stateDir}/overseer.log\n`,
    );
    const lines = statusLines(result.stdout);
    expect(lines.at(-1)).toMatch(/running$/);
    // The worker waited for web to be ready (healthy) before it started.
    expect(lines.indexOf('worker starting')).toBeGreaterThan(lines.indexOf('web running'));
    expect(lines).toContain('worker running');
    // The command has returned; the daemon lives on and serves its socket (owner only).
    expect(isGone(pid!)).toBe(false);
    expect(statSync(project.socketPath).mode & 0o777).toBe(0o600);
    const rows = await ps(project);
    expect(rows.map((info) => [info.name, info.status, info.health])).toEqual([
      ['web', 'running', 'healthy'],
      ['worker', 'running', 'none'],
    ]);
    for (const info of rows) expect(isGone(info.pid!)).toBe(false);
  });

  it('exits 1 when a process ends failed, and leaves the rest running', async () => {
    const project = createProject(`version: 1
processes:
  steady:
    command: ${fixture('sleeper.mjs')}
    restart: { min_uptime: 100ms }
  crasher:
    command: ${fixture('exit-with.mjs', 3)}
    restart: { max_restarts: 1, delay: 10ms, min_uptime: 1s }
`);

    const result = await overseer(project, ['up', '-d']);

    expect(result.exitCode).toBe(1);
    const lines = statusLines(result.stdout);
    expect(lines).toContain('steady running');
    expect(lines).toContain('crasher backoff');
    expect(lines.at(-1)).toBe('crasher failed');
    const rows = await ps(project);
    expect(row(rows, 'steady').status).toBe('running');
    expect(row(rows, 'crasher')).toMatchObject({
      status: 'failed',
      pid: null,
      exitCode: 3,
      restarts: 1,
    });
    expect(row(rows, 'crasher').reason).toMatch(/^restart budget spent: exited with code 3/);
  });

  it('exits 1 naming what is still not up once --wait-timeout runs out', async () => {
    const project = createProject(`version: 1
processes:
  never-ready:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^never printed$" }
`);

    const result = await overseer(project, ['up', '-d', '--wait-timeout', '300ms']);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'overseer: still waiting after 300ms: never-ready starting: waiting for a line matching /^never printed$/\n',
    );
    expect(statusLines(result.stdout)).toEqual(['never-ready starting']);
    expect(row(await ps(project), 'never-ready').status).toBe('starting');
  });

  it('starts only the named process and its dependencies', async () => {
    const project = createProject(`version: 1
processes:
  db:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  api:
    command: ${fixture('sleeper.mjs')}
    depends_on: { db: healthy }
    readiness: { log: "^ready$" }
  extra:
    command: ${fixture('sleeper.mjs')}
`);

    const result = await overseer(project, ['up', '-d', 'api']);

    expect(result.exitCode).toBe(0);
    const rows = await ps(project);
    // Declared but never asked for: `stopped`, with no pid.
    expect(rows.map((info) => [info.name, info.status, info.pid === null])).toEqual([
      ['db', 'running', false],
      ['api', 'running', false],
      ['extra', 'stopped', true],
    ]);
  });

  it('exits 2 for an unknown name or a bad config, naming it, and starts nothing', async () => {
    const project = createProject(`version: 1
processes:
  app:
    command: ${fixture('sleeper.mjs')}
`);

    const unknown = await overseer(project, ['up', '-d', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe(
      `overseer: no process named nope in ${project.dir}/overseer.yaml\n`,
    );

    writeConfig(
      project,
      `version: 1
processes:
  app:
    command: ${fixture('sleeper.mjs')}
    restart: { max_restarts: -1 }
`,
    );
    const invalid = await overseer(project, ['up', '-d']);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain(`${project.dir}/overseer.yaml is not valid`);
    expect(invalid.stderr).toContain('processes.app.restart.max_restarts');
    expect(daemonPid(project)).toBeUndefined();
    expect(processesMentioning(project.dir)).toEqual([]);
  });

  it('leaves no state dir behind when the config is bad or names nothing, though its daemon starts early', async () => {
    const project = createProject(`version: 1
processes:
  app:
    command: ${fixture('sleeper.mjs')}
    restart: { max_restarts: -1 }
`);
    const invalid = await overseer(project, ['up', '-d']);
    expect(invalid.exitCode).toBe(2);
    expect(existsSync(project.stateDir)).toBe(false);

    writeConfig(
      project,
      `version: 1\nprocesses:\n  app:\n    command: ${fixture('sleeper.mjs')}\n`,
    );
    const unknown = await overseer(project, ['up', '-d', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(existsSync(project.stateDir)).toBe(false);
    expect(processesMentioning(project.dir)).toEqual([]);
  });

  it('applies an edited config on a second up -d: add, restart the changed, stop the removed', async () => {
    const sleeper = fixture('sleeper.mjs');
    const project = createProject(`version: 1
processes:
  keep:
    command: ${sleeper}
    restart: { min_uptime: 100ms }
  change:
    command: ${sleeper}
    env: { VERSION: "1" }
    restart: { min_uptime: 100ms }
  drop:
    command: ${sleeper}
    restart: { min_uptime: 100ms }
`);
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    const daemon = daemonPid(project)!;
    const before = await ps(project);

    writeConfig(
      project,
      `version: 1
processes:
  keep:
    command: ${sleeper}
    restart: { min_uptime: 100ms }
  change:
    command: ${sleeper}
    env: { VERSION: "2" }
    restart: { min_uptime: 100ms }
  fresh:
    command: ${sleeper}
    restart: { min_uptime: 100ms }
`,
    );
    const second = await overseer(project, ['up', '-d']);

    expect(second.exitCode).toBe(0);
    expect(String(second.stdout).split('\n')[0]).toBe(
      'already running: added fresh; restarted change (changed); removed drop',
    );
    expect(daemonPid(project)).toBe(daemon);
    const after = await ps(project);
    expect(after.map((info) => [info.name, info.status])).toEqual([
      ['keep', 'running'],
      ['change', 'running'],
      ['fresh', 'running'],
    ]);
    expect(row(after, 'keep').pid).toBe(row(before, 'keep').pid);
    expect(row(after, 'change').pid).not.toBe(row(before, 'change').pid);
    expect(isGone(row(before, 'change').pid!)).toBe(true);
    expect(isGone(row(before, 'drop').pid!)).toBe(true);
    expect((await inspect(project, 'change')).spec.env).toEqual({ VERSION: '2' });

    // The same config again changes nothing.
    const third = await overseer(project, ['up', '-d']);
    expect(third.exitCode).toBe(0);
    expect(String(third.stdout).split('\n')[0]).toBe('already running: config unchanged');
    expect((await ps(project)).map((info) => info.pid)).toEqual(after.map((info) => info.pid));
  });

  it('never makes two supervisors when two up -d race on one folder', async () => {
    const project = createProject(`version: 1
processes:
  solo:
    command: ${fixture('sleeper.mjs')}
    restart: { min_uptime: 100ms }
`);

    const results = await Promise.all([
      overseer(project, ['up', '-d']),
      overseer(project, ['up', '-d']),
    ]);

    for (const result of results) {
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(String(result.stdout)).toMatch(/(^|\n)solo running\n/);
    }
    const pid = daemonPid(project)!;
    // Each command names the supervisor that serves the folder (regression: the loser of
    // the race named its own daemon, which had exited on finding the lock taken).
    for (const result of results) {
      const announced = announcedPid(result.stdout);
      if (announced !== undefined) expect(announced).toBe(pid);
    }
    // The daemon that lost the race exits on its own.
    const daemons = await waitFor(() => {
      const found = processesMentioning(`${BIN} daemon -f ${project.dir}/`);
      return found.length === 1 ? found : undefined;
    }, 'one daemon left');
    expect(daemons).toEqual([pid]);
    const rows = await ps(project);
    expect(rows.map((info) => [info.name, info.status])).toEqual([['solo', 'running']]);
    // One supervisor, one child: nothing else works in the folder.
    expect(processesIn(project)).toEqual([pid, rows[0]!.pid!].sort((a, b) => a - b));
  });

  it('lets exactly one of many daemons racing for a state dir take it (lock regression)', async () => {
    const project = createProject(`version: 1
processes:
  solo:
    command: ${fixture('sleeper.mjs')}
    restart: { min_uptime: 100ms }
`);

    // A lock file created empty and written after could be read half-made by a rival, taken
    // for stale, removed, and taken again: two supervisors on one folder.
    const racers = Array.from({ length: 4 }, () => spawnOverseer(project, ['daemon']));
    const ended: Result[] = [];
    for (const racer of racers) void racer.then((result) => ended.push(result));

    // All but one find the lock taken and exit 1, naming the winner.
    await waitFor(() => ended.length >= 3, 'the losers of the race to exit');
    const winner = daemonPid(project)!;
    for (const loser of ended) {
      expect(loser.exitCode).toBe(1);
      expect(loser.stderr).toBe(
        `overseer: a supervisor is already running for ${project.stateDir} (pid ${winner})\n`,
      );
    }
    expect(row(await ps(project), 'solo').status).toBe('running');
    expect((await overseer(project, ['down'])).exitCode).toBe(0);
    await Promise.all(racers);
    expect(ended.map((result) => result.exitCode).sort()).toEqual([0, 1, 1, 1]);
  });
});
