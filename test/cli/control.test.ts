/**
 * Commands against a running daemon, end to end (docs/cli.md): `ps` (table, `--json`,
 * colours), `start|stop|restart`, `logs` (`-n`, `-f`), `inspect`, `down`; their exit codes
 * (0 success, 1 runtime failure, 2 usage error); what they say with no daemon; `--help`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  daemonPid,
  fixture,
  inspect,
  isGone,
  overseer,
  type Project,
  processesIn,
  ps,
  readLines,
  row,
  spawnOverseer,
  waitFor,
} from './helpers.js';

afterEach(cleanup);

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for terminal escape codes is the point
const ANSI = /\u001b\[/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal escape codes is the point
const ANSI_CODES = /\u001b\[\d+m/g;

/** db, a worker that waits for it to be healthy, and a job that prints 10 lines and ends. */
async function startStack(): Promise<Project> {
  const project = createProject(`version: 1
name: ctl
processes:
  db:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  worker:
    command: ${fixture('sleeper.mjs')}
    depends_on: { db: healthy }
    readiness: { log: "^ready$" }
  printer:
    command: ${fixture('print-lines.mjs', 10)}
    kind: job
`);
  const result = await overseer(project, ['up', '-d']);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return project;
}

describe('ps', () => {
  it('prints the --json document of docs/cli.md, and a table painted only where wanted', async () => {
    const project = await startStack();

    const [json, table, noColor, both, forced, logs] = await Promise.all([
      overseer(project, ['ps', '--json']),
      overseer(project, ['ps']),
      overseer(project, ['ps'], { env: { NO_COLOR: '1' } }),
      overseer(project, ['ps'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }),
      overseer(project, ['ps'], { env: { FORCE_COLOR: '1' } }),
      overseer(project, ['logs', 'db'], { env: { NO_COLOR: '1' } }),
    ]);

    expect(json.exitCode).toBe(0);
    expect(json.stderr).toBe('');
    const document = JSON.parse(String(json.stdout)) as { processes: Record<string, unknown>[] };
    expect(Object.keys(document)).toEqual(['processes']);
    for (const info of document.processes) {
      expect(Object.keys(info).sort()).toEqual(
        [
          'name',
          'namespace',
          'status',
          'health',
          'pid',
          'restarts',
          'exitCode',
          'reason',
          'blocked',
          'startedAt',
          'uptimeMs',
          'cpuPercent',
          'memoryBytes',
          'kind',
          'instance',
          'fds',
          'threads',
          'readBytes',
          'writeBytes',
          'limitBreaches',
          'healthScore',
          'healthReasons',
          'nextRunAt',
          'retryAt',
          'labels',
        ].sort(),
      );
    }
    const [db, worker, printer] = document.processes;
    expect(db).toMatchObject({ name: 'db', status: 'running', health: 'healthy', restarts: 0 });
    expect(db).toMatchObject({ kind: 'service', instance: 0, exitCode: null, reason: null });
    expect(worker).toMatchObject({ name: 'worker', status: 'running', health: 'healthy' });
    expect(printer).toMatchObject({ name: 'printer', status: 'completed', kind: 'job' });
    expect(printer).toMatchObject({ pid: null, exitCode: 0, uptimeMs: null, startedAt: null });
    for (const running of [db, worker]) {
      expect(running!.pid).toEqual(expect.any(Number));
      expect(isGone(running!.pid as number)).toBe(false);
      expect(Date.parse(running!.startedAt as string)).toBeLessThanOrEqual(Date.now());
      expect(running!.uptimeMs).toEqual(expect.any(Number));
    }

    expect(table.exitCode).toBe(0);
    const [header, ...lines] = String(table.stdout).trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'NAME',
      'STATUS',
      'HEALTH',
      'PID',
      'RESTARTS',
      'UPTIME',
      'CPU',
      'MEM',
      'FDS',
      'SCORE',
      'REASON',
    ]);
    expect(lines.map((line) => line.split(/\s+/).slice(0, 5))).toEqual([
      ['db', 'running', 'healthy', String(db!.pid), '0'],
      ['worker', 'running', 'healthy', String(worker!.pid), '0'],
      ['printer', 'completed', 'none', '-', '0'],
    ]);
    // Columns line up: every row's STATUS starts where the header's does.
    const statusColumn = header!.indexOf('STATUS');
    for (const line of lines) expect(line.slice(statusColumn)).toMatch(/^(running|completed)/);
    expect(String(table.stdout)).not.toMatch(ANSI);

    // Colour only where wanted: never with NO_COLOR (which wins over FORCE_COLOR), and off
    // a terminal only when forced.

    for (const plain of [noColor, both, logs]) {
      expect(plain.exitCode).toBe(0);
      expect(String(plain.stdout)).not.toMatch(ANSI);
    }
    // The check above would see colours if there were any.
    expect(String(forced.stdout)).toContain('\u001b[32mrunning\u001b[39m');
    // The same table underneath (uptimes aside: they move between the two calls).
    const cells = (stdout: unknown) =>
      String(stdout)
        .replace(ANSI_CODES, '')
        .split('\n')
        .map((line) => line.split(/\s+/).filter((_, column) => column !== 5));
    expect(cells(forced.stdout)).toEqual(cells(noColor.stdout));
  });
});

describe('start, stop, restart', () => {
  it('act on one process and print its new state; exit 1 on a conflict, 2 on an unknown name', async () => {
    const project = await startStack();
    const before = await ps(project);
    const worker = row(before, 'worker');

    const stopped = await overseer(project, ['stop', 'worker']);
    expect(stopped.exitCode).toBe(0);
    const [name, status, , pid] = String(stopped.stdout).split('\n')[1]!.split(/\s+/);
    expect([name, status, pid]).toEqual(['worker', 'stopped', '-']);
    expect(isGone(worker.pid!)).toBe(true);

    const started = await overseer(project, ['start', 'worker', '--json']);
    expect(started.exitCode).toBe(0);
    const [afterStart] = (JSON.parse(String(started.stdout)) as PsDocument).processes;
    expect(afterStart).toMatchObject({ name: 'worker', status: 'running', health: 'healthy' });
    expect(afterStart!.pid).not.toBe(worker.pid);

    const restarted = await overseer(project, ['restart', 'worker', '--json']);
    expect(restarted.exitCode).toBe(0);
    const [afterRestart] = (JSON.parse(String(restarted.stdout)) as PsDocument).processes;
    expect(afterRestart).toMatchObject({ name: 'worker', status: 'running' });
    expect(afterRestart!.pid).not.toBe(afterStart!.pid);
    expect(afterRestart!.restarts).toBe(afterStart!.restarts + 1);
    expect(isGone(afterStart!.pid!)).toBe(true);

    expect((await overseer(project, ['stop', 'worker'])).exitCode).toBe(0);
    const [stopStopped, startRunning, stopCompleted, ...unknown] = await Promise.all(
      [
        ['stop', 'worker'],
        ['start', 'db'],
        ['stop', 'printer'],
        ['start', 'nope'],
        ['stop', 'nope'],
        ['restart', 'nope'],
        ['logs', 'nope'],
        ['logs', 'nope', '-f'],
        ['inspect', 'nope'],
      ].map((args) => overseer(project, args)),
    );

    // A request that conflicts with the state exits 1, naming the process.
    expect(
      [stopStopped!, startRunning!, stopCompleted!].map((r) => [r.exitCode, r.stderr]),
    ).toEqual([
      [1, 'overseer: worker is not running (stopped)\n'],
      [1, 'overseer: db is already running\n'],
      [1, 'overseer: printer is not running (completed)\n'],
    ]);
    // An unknown name exits 2 with a message naming it, for every command taking one.
    for (const result of unknown) {
      expect(result.exitCode, result.command).toBe(2);
      expect(result.stderr, result.command).toBe('overseer: no process named nope\n');
      expect(result.stdout, result.command).toBe('');
    }
    // None of it touched the other processes.
    const after = await ps(project);
    expect(after.map((info) => [info.name, info.status, info.pid])).toEqual([
      ['db', 'running', row(before, 'db').pid],
      ['worker', 'stopped', null],
      ['printer', 'completed', null],
    ]);
  });
});

describe('logs and inspect', () => {
  it('logs prints the last N lines with -n and follows with -f; inspect tells all', async () => {
    const project = await startStack();

    const [last3, all, json, zero] = await Promise.all([
      overseer(project, ['logs', 'printer', '-n', '3']),
      overseer(project, ['logs', 'printer']),
      overseer(project, ['logs', 'printer', '-n', '1', '--json']),
      overseer(project, ['logs', 'printer', '-n', '0']),
    ]);
    expect(last3.exitCode).toBe(0);
    expect(last3.stdout).toBe('line 9\nline 10\npartial\n');
    expect(String(all.stdout).split('\n')).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `line ${i + 1}`),
      'partial',
      '',
    ]);
    expect(JSON.parse(String(json.stdout))).toEqual({
      at: expect.any(Number),
      name: 'printer',
      stream: 'stdout',
      text: 'partial',
    });
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toBe('overseer: -n: expected a whole number ≥ 1, got 0\n');

    // -f follows: new lines arrive until Ctrl-C.
    const follower = spawnOverseer(project, ['logs', 'worker', '-f', '-n', '1']);
    const followed = readLines(follower);
    await followed.waitFor(/^ready$/);
    // A restart prints "ready" again: it must reach the follower.
    expect((await overseer(project, ['restart', 'worker'])).exitCode).toBe(0);
    await followed.waitFor(/^ready$/, 1);
    follower.kill('SIGINT');
    const result = await follower;

    expect(result.exitCode).toBe(0);
    expect(followed.lines).toEqual(['ready', 'ready']);
    expect(result.stderr).toBe('');

    // inspect: the spec, the state and the runs; as JSON with --json.
    expect((await overseer(project, ['restart', 'db'])).exitCode).toBe(0);
    const [details, worker, text] = await Promise.all([
      inspect(project, 'db'),
      inspect(project, 'worker'),
      overseer(project, ['inspect', 'db']),
    ]);
    expect(details).toMatchObject({
      name: 'db',
      status: 'running',
      health: 'healthy',
      restarts: 1,
      kind: 'service',
    });
    expect(details.spec).toMatchObject({
      name: 'db',
      command: JSON.parse(fixture('sleeper.mjs')),
      kind: 'service',
      readiness: expect.objectContaining({ check: { type: 'log', pattern: '^ready$' } }),
    });
    expect(details.runs[0]).toMatchObject({ exitCode: 0, signal: null, killedAfterTimeout: false });
    expect(details.runs.map((run) => [run.pid, run.endedAt === null])).toEqual([
      [details.runs[0]!.pid, false],
      [details.pid, true],
    ]);
    expect(worker.spec.dependsOn).toEqual([{ name: 'db', condition: 'healthy', restart: false }]);

    expect(text.exitCode).toBe(0);
    const output = String(text.stdout);
    expect(output).toMatch(/^NAME\s+STATUS/);
    expect(output).toContain('\nspec\n{\n');
    expect(output).toContain('\nruns (last 2)\nPID');
    expect(output).not.toMatch(ANSI);
  });
});

describe('down', () => {
  it('stops everything and ends the daemon: socket, pid file and every process gone', async () => {
    const project = await startStack();
    const daemon = daemonPid(project)!;
    const children = (await ps(project)).flatMap((info) => (info.pid === null ? [] : [info.pid]));
    expect(children).toHaveLength(2);
    expect(processesIn(project)).toEqual([daemon, ...children].sort((a, b) => a - b));

    const result = await overseer(project, ['down']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('stopped ctl\n');
    expect(existsSync(project.socketPath)).toBe(false);
    expect(existsSync(project.pidFile)).toBe(false);
    for (const pid of children) expect(isGone(pid)).toBe(true);
    await waitFor(() => isGone(daemon), 'the daemon to exit');
    expect(processesIn(project)).toEqual([]);

    const again = await overseer(project, ['down']);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toBe(
      `overseer: nothing to stop: no supervisor is running for ${project.stateDir}\n`,
    );
  });
});

describe('without a daemon', () => {
  it('commands that need one exit 1 saying none is running; down has nothing to do', async () => {
    const project = createProject(`version: 1
processes:
  app:
    command: ${fixture('sleeper.mjs')}
`);

    const results = await Promise.all(
      [
        ['ps'],
        ['ps', '--json'],
        ['start', 'app'],
        ['stop', 'app'],
        ['restart', 'app'],
        ['logs', 'app'],
        ['inspect', 'app'],
        ['top'],
      ].map((args) => overseer(project, args)),
    );

    for (const result of results) {
      expect(result.exitCode, result.command).toBe(1);
      expect(result.stderr, result.command).toBe(
        `overseer: no supervisor is running at ${project.socketPath}\n`,
      );
      expect(result.stdout, result.command).toBe('');
    }
    const down = await overseer(project, ['down']);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe('');
    expect(existsSync(project.stateDir)).toBe(false);
  });

  it('exits 2 when there is no config to find', async () => {
    const project = createProject('');
    rmSync(join(project.dir, 'overseer.yaml'));

    const result = await overseer(project, ['ps']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`no config found in ${project.dir}`);
  });
});

describe('--help', () => {
  it('shows an example of each command, exit 0', async () => {
    const project = createProject('');
    // Every command a user can type, as the completion lists them (hidden ones aside).
    const listed = await overseer(project, ['__complete', '']);
    const COMMANDS = String(listed.stdout)
      .split('\n')
      .map((line) => line.split('\t')[0]!)
      .filter((command) => command !== '' && command !== 'help');
    expect(COMMANDS).toEqual(expect.arrayContaining(['up', 'ps', 'export', 'mcp', 'startup']));

    const results = await Promise.all(
      COMMANDS.map((command) => overseer(project, [command, '--help'])),
    );

    results.forEach((result, index) => {
      const command = COMMANDS[index]!;
      expect(result.exitCode, command).toBe(0);
      const help = String(result.stdout);
      expect(help, command).toContain(`Usage: overseer ${command} `);
      const examples = help.split(/\nExamples?:\n/)[1] ?? '';
      expect(examples, command).toMatch(new RegExp(`^  .*\\boverseer ${command}( |\\)|$)`, 'm'));
    });
  });

  it('exits 2 on a usage error, pointing at --help', async () => {
    const project = createProject('');

    const unknownOption = await overseer(project, ['ps', '--bogus']);
    const missingName = await overseer(project, ['inspect']);

    for (const result of [unknownOption, missingName]) {
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('(run with --help for usage)');
    }
    expect(unknownOption.stderr).toContain("unknown option '--bogus'");
    expect(missingName.stderr).toContain("missing required argument 'name'");
  });
});

interface PsDocument {
  readonly processes: Awaited<ReturnType<typeof ps>>;
}
