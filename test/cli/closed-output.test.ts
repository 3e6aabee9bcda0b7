/**
 * A closed output pipe (docs/cli.md, and the guarantees in README.md): a command whose reader goes away ends quietly, or,
 * when it acts, goes on without printing; it never dies with an EPIPE stack trace. A
 * foreground `up` whose `tee` was ended by the same Ctrl-C still stops its stack gracefully
 * and removes its pid file and socket. Real pipes, real readers: bash pipelines.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BIN,
  cleanup,
  createProject,
  daemonPid,
  expectNothingLeft,
  fixture,
  isGone,
  type Project,
  ps,
  row,
  slowStopStack,
  waitFor,
} from './helpers.js';

afterEach(cleanup);

interface Piped {
  /** overseer's exit status, as bash's PIPESTATUS saw it. */
  readonly status: number;
  /** What overseer wrote to stderr. */
  readonly stderr: string;
  /** What the reader printed. */
  readonly read: string;
}

/** Runs `overseer ARGS… | READER` in bash, in the project folder. */
async function piped(project: Project, args: readonly string[], reader: string): Promise<Piped> {
  const errors = join(project.dir, 'overseer.err');
  const script = `"$NODE" "$BIN" "$@" 2>"$ERRORS" | ${reader}; echo "\${PIPESTATUS[0]}" >&2`;
  const result = await execa('bash', ['-c', script, 'overseer', ...args], {
    cwd: project.dir,
    env: { NODE: process.execPath, BIN, ERRORS: errors },
    reject: false,
    stripFinalNewline: false,
    timeout: 20_000,
  });
  return {
    status: Number(String(result.stderr).trim()),
    stderr: readFileSync(errors, 'utf8'),
    read: String(result.stdout),
  };
}

/** A ticker that never stops writing, so a follower has lines to print after its reader left. */
function tickerProject(): Project {
  return createProject(`version: 1
processes:
  ticker:
    command: ${fixture('print-slowly.mjs', 1_000_000, 20)}
    readiness: { log: "^tick 3$" }
`);
}

describe('a closed output pipe', () => {
  it('ends logs -f | head quietly, exit 0', async () => {
    const project = tickerProject();
    expect((await piped(project, ['up', '-d'], 'cat >/dev/null')).status).toBe(0);

    const result = await piped(project, ['logs', 'ticker', '-f', '-n', '2'], 'head -n 2');

    expect(result.read).toMatch(/^tick \d+\ntick \d+\n$/);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('ends top | head quietly, exit 0', async () => {
    const project = tickerProject();
    expect((await piped(project, ['up', '-d'], 'cat >/dev/null')).status).toBe(0);

    const result = await piped(project, ['top'], 'head -n 1');

    expect(result.read).toMatch(/^\S+ — .*\(Ctrl-C to quit\)\n$/);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('lets up -d | true finish its work silently, with its own exit code', async () => {
    const project = tickerProject();

    // `true` reads nothing: every line up -d writes meets a closed pipe.
    const result = await piped(project, ['up', '-d'], 'true');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(row(await ps(project), 'ticker').status).toBe('running');
  });

  it('up | head -n 1: up goes on supervising without printing, then stops gracefully on SIGTERM', async () => {
    const project = createProject(`version: 1
processes:
  db:
    command: ${fixture('slow-stop.mjs', 50)}
    readiness: { log: "^ready$" }
  ticker:
    command: ${fixture('print-slowly.mjs', 1_000_000, 10)}
    depends_on: { db: healthy }
    readiness: { log: "^tick 1$" }
`);
    const job = spawn('bash', ['-c', `"${process.execPath}" "${BIN}" up | head -n 1 >first.txt`], {
      cwd: project.dir,
      detached: true,
      stdio: 'ignore',
    });
    const headDone = new Promise((resolve) => job.once('exit', resolve));
    const supervisor = await waitFor(() => daemonPid(project), 'the supervisor to start');
    const tickerLog = join(project.stateDir, 'logs', 'ticker.log');
    const ticks = () => (existsSync(tickerLog) ? readFileSync(tickerLog, 'utf8') : '');
    // Lines well past the one head took: each met the closed pipe on its way to stdout.
    await waitFor(() => ticks().includes(' tick 60\n'), 'ticker to print 60 lines');
    expect(readFileSync(join(project.dir, 'first.txt'), 'utf8')).toMatch(/│/);

    const rows = await ps(project);
    expect(rows.map((info) => [info.name, info.status])).toEqual([
      ['db', 'running'],
      ['ticker', 'running'],
    ]);
    process.kill(supervisor, 'SIGTERM');
    await headDone;
    await waitFor(() => isGone(supervisor), 'the supervisor to exit');

    const dbLog = readFileSync(join(project.stateDir, 'logs', 'db.log'), 'utf8');
    expect(dbLog).toMatch(/ stdout SIGTERM at \d+\n/);
    expectNothingLeft(project, rows);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'up 2>&1 | tee, both sent %s: the stack still stops gracefully, pid file and socket gone',
    async (signal) => {
      const project = createProject(slowStopStack());
      // Its own process group, as a shell job is: the signal reaches overseer and tee alike.
      const job = spawn(
        'bash',
        ['-c', `exec "${process.execPath}" "${BIN}" up 2>&1 | tee out.log >/dev/null`],
        { cwd: project.dir, detached: true, stdio: 'ignore' },
      );
      const ended = new Promise((resolve) => job.once('exit', resolve));
      const rows = await waitFor(async () => {
        const found = existsSync(project.socketPath) ? await ps(project) : [];
        const running = found.length === 2 && found.every((info) => info.status === 'running');
        return running ? found : undefined;
      }, 'the stack to run');
      const supervisor = daemonPid(project)!;
      process.kill(-job.pid!, signal);
      await ended;
      // bash itself may be gone before its pipeline: wait for the supervisor's own end.
      await waitFor(() => isGone(supervisor), 'the supervisor to exit');

      // db was asked with its stop signal (not SIGKILLed by a dying supervisor), after ticker.
      const dbLog = readFileSync(join(project.stateDir, 'logs', 'db.log'), 'utf8');
      expect(dbLog).toMatch(/ stdout SIGTERM at \d+\n/);
      expectNothingLeft(project, rows);
    },
  );
});
