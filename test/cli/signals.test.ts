/**
 * A foreground `overseer up` and the signals that end it (docs/cli.md, and the guarantees in README.md): Ctrl-C, SIGTERM
 * and SIGHUP (the terminal closed, the SSH session dropped) stop the stack gracefully in
 * reverse dependency order; a second one kills every tree at once. Either way nothing is
 * left running and the pid file and socket are gone. The daemon of `up -d` too.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/index.js';
import {
  BIN,
  cleanup,
  createProject,
  daemonPid,
  expectNothingLeft,
  fixture,
  isGone,
  overseer,
  processesIn,
  ps,
  readLines,
  row,
  slowStopStack,
  spawnOverseer,
  waitFor,
  writeConfig,
} from './helpers.js';

afterEach(cleanup);

describe('up in the foreground, on signals', () => {
  it('SIGHUP stops the stack like SIGTERM: gracefully, in reverse order, nothing left', async () => {
    const project = createProject(`version: 1
processes:
  db:
    command: ${fixture('slow-stop.mjs', 50)}
    readiness: { log: "^ready$" }
  api:
    command: ${fixture('slow-stop.mjs', 50)}
    depends_on: { db: healthy }
    readiness: { log: "^ready$" }
`);
    const up = spawnOverseer(project, ['up']);
    await readLines(up).waitFor(/^api +│ ready$/);
    const rows = await ps(project);
    up.kill('SIGHUP');
    const result = await up;

    expect(result.signal).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('SIGHUP: stopping the stack (again to force)…');
    const stopped = String(result.stdout)
      .split('\n')
      .filter((line) => / │ (SIGTERM at \d+|stopped)$/.test(line))
      .map((line) => line.replace(/ +│ /, ' ').replace(/\d+$/, 'N'));
    // Each was asked with its stop signal, dependents first.
    expect(stopped).toEqual(['api SIGTERM at N', 'api stopped', 'db SIGTERM at N', 'db stopped']);
    expectNothingLeft(project, rows);
  });

  it('closing its terminal stops the stack gracefully, though the terminal is gone', async () => {
    const project = createProject(slowStopStack());
    // A real terminal: `script` runs up on a pseudo-terminal, as a terminal emulator does.
    // Killing it closes the terminal: the kernel sends SIGHUP, and writes to it fail (EIO).
    const terminal = spawn('script', ['-qfc', `"${process.execPath}" "${BIN}" up`, '/dev/null'], {
      cwd: project.dir,
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => terminal.once('exit', resolve));
    const rows = await waitFor(async () => {
      const found = existsSync(project.socketPath) ? await ps(project) : [];
      const running = found.length === 2 && found.every((info) => info.status === 'running');
      return running ? found : undefined;
    }, 'the stack to run');
    const supervisor = daemonPid(project)!;
    terminal.kill('SIGKILL');
    await closed;
    await waitFor(() => isGone(supervisor), 'the supervisor to exit');

    const dbLog = readFileSync(join(project.stateDir, 'logs', 'db.log'), 'utf8');
    expect(dbLog).toMatch(/ stdout SIGTERM at \d+\n/);
    expectNothingLeft(project, rows);
  });

  it('a second signal kills every tree at once, and still removes the pid file and socket', async () => {
    // Ignores SIGTERM, with a stop timeout far longer than the test.
    const project = createProject(`version: 1
processes:
  stubborn:
    command: ${fixture('ignore-sigterm.mjs')}
    readiness: { log: "^ready$" }
    stop: { timeout: 1m }
`);
    const up = spawnOverseer(project, ['up']);
    const output = readLines(up);
    await output.waitFor(/^stubborn +│ ready$/);
    const [row] = await ps(project);
    up.kill('SIGINT');
    await output.waitFor(/^stubborn +│ SIGTERM ignored$/);
    up.kill('SIGTERM');
    const result = await up;

    expect(isGone(row!.pid!)).toBe(true);
    expect(existsSync(project.socketPath)).toBe(false);
    expect(existsSync(project.pidFile)).toBe(false);
    expect(result.stderr).toContain('SIGTERM: forced: killing every process tree now');
    // Stopped on request, if hurried: not a failure.
    expect(result.exitCode).toBe(0);
    expect(processesIn(project)).toEqual([]);
  });
});

describe('the daemon of up -d, on signals', () => {
  it('two SIGTERMs a few ms apart leave no child running: the second forces the stop', async () => {
    const project = createProject(`version: 1
processes:
  api:
    command: ${fixture('slow-stop.mjs', 500)}
    readiness: { log: "^ready$" }
  worker:
    command: ${fixture('slow-stop.mjs', 500)}
    depends_on: { api: healthy }
    readiness: { log: "^ready$" }
`);
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    const rows = await ps(project);
    const supervisor = daemonPid(project)!;

    process.kill(supervisor, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 3));
    process.kill(supervisor, 'SIGTERM');
    await waitFor(() => isGone(supervisor), 'the daemon to exit');

    expectNothingLeft(project, rows);
  });

  it('SIGHUP to the daemon applies the config again instead of killing it and orphaning the stack', async () => {
    const project = createProject(`version: 1
processes:
  api:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    const supervisor = daemonPid(project)!;
    const api = row(await ps(project), 'api').pid!;
    writeConfig(
      project,
      `version: 1
processes:
  api:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  worker:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`,
    );

    process.kill(supervisor, 'SIGHUP');

    const rows = await waitFor(async () => {
      const now = await ps(project).catch((): ProcessInfo[] => []);
      return now.find((info) => info.name === 'worker')?.status === 'running' ? now : undefined;
    }, 'worker, added by the config, to run');
    expect(isGone(supervisor)).toBe(false);
    expect(daemonPid(project)).toBe(supervisor);
    expect(row(rows, 'api').pid).toBe(api);
  });
});
