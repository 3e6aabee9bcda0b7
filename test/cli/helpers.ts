/**
 * Helpers for the end-to-end CLI tests: the built `overseer` binary run with execa in a
 * temp project folder, as a user would, and a cleanup that leaves no process behind
 * (the daemon shut down as `down` does, then SIGKILL to every pid the tests learned and
 * anything else still running in the folder). Waits poll explicit conditions (`ps --json`,
 * output), never bare sleeps.
 *
 * The tests run `dist/cli/main.js` (build first, `npm run build`, as CI does), or the
 * build named by OVERSEER_BIN.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Result, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import type { ProcessDetails, ProcessInfo } from '../../src/index.js';

/** The binary under test; OVERSEER_BIN points the tests at another build. */
export const BIN =
  process.env.OVERSEER_BIN ?? fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Where a project's supervisor lives with the default `state_dir`. */
const STATE_DIR = '.overseer';
const SOCKET_FILE = 'overseer.sock';
const PID_FILE = 'overseer.pid';

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 25;

/** A project folder with its config, and every pid learned in it. */
export interface Project {
  readonly dir: string;
  readonly stateDir: string;
  readonly socketPath: string;
  readonly pidFile: string;
  readonly pids: Set<number>;
}

/** Options for one run of the binary. */
export interface RunOptions {
  /** Variables added to the environment (which has no NO_COLOR or FORCE_COLOR of its own). */
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
  /** Written to the command's stdin, then closed; absent: stdin is ignored. */
  readonly input?: string;
}

interface PsDocument {
  readonly processes: ProcessInfo[];
}

const projects: Project[] = [];
const sharedProjects: Project[] = [];
const running = new Set<ResultPromise>();

/**
 * A fresh project folder holding `overseer.yaml` with `yaml`. The folder is short (so the
 * Unix socket path stays far below 108 bytes) and removed after the test.
 */
export function createProject(yaml: string): Project {
  const project = newProject(yaml);
  projects.push(project);
  return project;
}

/**
 * A project folder as `createProject` makes it, kept across the tests of a file: for one
 * daemon that several tests use side by side, each with what it starts of its own (a
 * daemon costs a node start and its stack's start). `cleanupShared` ends it, in `afterAll`.
 */
export function createSharedProject(yaml: string): Project {
  const project = newProject(yaml);
  sharedProjects.push(project);
  return project;
}

function newProject(yaml: string): Project {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-'));
  const stateDir = join(dir, STATE_DIR);
  const project: Project = {
    dir,
    stateDir,
    socketPath: join(stateDir, SOCKET_FILE),
    pidFile: join(stateDir, PID_FILE),
    pids: new Set(),
  };
  writeConfig(project, yaml);
  return project;
}

/** Replaces the project's `overseer.yaml`. */
export function writeConfig(project: Project, yaml: string): void {
  writeFileSync(join(project.dir, 'overseer.yaml'), yaml);
}

/**
 * A fixture program as a YAML flow sequence (`["/usr/bin/node", ".../sleeper.mjs"]`),
 * exec'd directly: the node running the tests, no shell, no PATH lookup.
 */
export function fixture(name: string, ...args: Array<string | number>): string {
  return JSON.stringify([process.execPath, join(FIXTURES, name), ...args.map(String)]);
}

/** The environment the binary sees: ours without colour preferences, plus `extra`. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return { ...env, ...extra };
}

function start(project: Project, args: readonly string[], options: RunOptions): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    cwd: project.dir,
    env: cliEnv(options.env),
    extendEnv: false,
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 30_000,
  });
}

/** Runs `overseer ARGS…` in the project folder to its end; never throws on a failed exit. */
export function overseer(
  project: Project,
  args: readonly string[],
  options: RunOptions = {},
): Promise<Result> {
  return start(project, args, options);
}

/**
 * Starts `overseer ARGS…` and returns at once, for commands that run until signalled
 * (`up` in the foreground, `logs -f`). Ended after the test if still running.
 */
export function spawnOverseer(
  project: Project,
  args: readonly string[],
  options: RunOptions = {},
): ResultPromise {
  const subprocess = start(project, args, options);
  running.add(subprocess);
  void subprocess.finally(() => running.delete(subprocess));
  return subprocess;
}

/** `ps --json` rows; every pid seen is remembered for the cleanup. */
export async function ps(project: Project): Promise<ProcessInfo[]> {
  const result = await overseer(project, ['ps', '--json']);
  if (result.exitCode !== 0) {
    throw new Error(`ps --json exited ${result.exitCode}: ${String(result.stderr)}`);
  }
  const { processes } = JSON.parse(String(result.stdout)) as PsDocument;
  for (const info of processes) if (info.pid !== null) project.pids.add(info.pid);
  return processes;
}

/** `inspect NAME --json`. */
export async function inspect(project: Project, name: string): Promise<ProcessDetails> {
  const result = await overseer(project, ['inspect', name, '--json']);
  if (result.exitCode !== 0) {
    throw new Error(`inspect exited ${result.exitCode}: ${String(result.stderr)}`);
  }
  return JSON.parse(String(result.stdout)) as ProcessDetails;
}

/** The row of `name` in `rows`, which must be there. */
export function row(rows: readonly ProcessInfo[], name: string): ProcessInfo {
  const found = rows.find((info) => info.name === name);
  if (!found) throw new Error(`no row for ${name} in ${rows.map((info) => info.name).join(', ')}`);
  return found;
}

/** The pid recorded in the project's pid file, if there is one. */
export function daemonPid(project: Project): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(project.pidFile, 'utf8')) as { pid?: unknown }).pid;
    if (typeof pid !== 'number') return undefined;
    project.pids.add(pid);
    return pid;
  } catch {
    return undefined;
  }
}

/** Polls `condition` until it gives a truthy value, which is returned. */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The stdout lines of a running command, as they arrive. */
export interface LineReader {
  /** Every complete line so far. */
  readonly lines: readonly string[];
  /**
   * Resolves with the first line matching `pattern`, looking from line `from` on (0: every
   * line so far, `lines.length`: only lines still to come).
   */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>;
}

/** Starts collecting `subprocess`'s stdout lines; call it right after starting it. */
export function readLines(subprocess: ResultPromise): LineReader {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const complete = buffer.split('\n');
    buffer = complete.pop() ?? '';
    lines.push(...complete);
    for (const wake of waiters) wake();
  });
  return {
    lines,
    waitFor(pattern, from = 0, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.slice(from).find((line) => pattern.test(line));
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for a line matching ${pattern}; got:\n${lines.join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** True when no process has this pid, or only a zombie is left. */
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Live processes of this test run (see test/global-setup.ts) whose command line mentions
 * `text`: the daemons of a project are `… daemon -f <dir>/overseer.yaml`.
 */
export function processesMentioning(text: string): number[] {
  return markedProcesses().filter((pid) => commandOf(pid).includes(text));
}

/** Live processes of this test run working in the project folder: its daemon and children. */
export function processesIn(project: Project): number[] {
  return markedProcesses()
    .filter((pid) => isIn(pid, project))
    .sort((a, b) => a - b);
}

/**
 * A stack whose stop can be told from a kill: `db` prints the stop signal it gets before it
 * exits (after 50 ms), `ticker` depends on it and prints a numbered tick every 10 ms.
 */
export function slowStopStack(): string {
  return `version: 1
processes:
  db:
    command: ${fixture('slow-stop.mjs', 50)}
    readiness: { log: "^ready$" }
  ticker:
    command: ${fixture('print-slowly.mjs', 1_000_000, 10)}
    depends_on: { db: healthy }
`;
}

/**
 * Nothing of a stopped stack is left: none of `rows`' processes, no socket, no pid file,
 * no process of this test run working in the folder.
 */
export function expectNothingLeft(project: Project, rows: readonly ProcessInfo[]): void {
  for (const info of rows) expect(isGone(info.pid!), `${info.name} (${info.pid})`).toBe(true);
  expect(existsSync(project.socketPath)).toBe(false);
  expect(existsSync(project.pidFile)).toBe(false);
  expect(processesIn(project)).toEqual([]);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * For `afterEach`: ends commands still running (SIGTERM, then SIGKILL), asks the daemon of
 * every project to shut down (as `down` does) and waits for it to exit, SIGKILLs every pid
 * learned (the daemon's from its pid file, children's from `ps --json`) and anything of
 * this run still working in a project folder, then removes the folders.
 */
export async function cleanup(): Promise<void> {
  await Promise.all([...running].map((subprocess) => end(subprocess)));
  // Each project's folder, daemon and children are its own: ended side by side.
  await Promise.all(projects.splice(0).map(cleanupProject));
}

/** For `afterAll`: what `cleanup` does, for the projects of `createSharedProject`. */
export async function cleanupShared(): Promise<void> {
  await Promise.all(sharedProjects.splice(0).map(cleanupProject));
}

async function cleanupProject(project: Project): Promise<void> {
  if (existsSync(project.socketPath)) {
    for (const info of await listOverSocket(project).catch(() => [])) {
      if (info.pid !== null) project.pids.add(info.pid);
    }
    // What `down` asks of a live daemon, straight over the socket: a node start saved per
    // test. With none answering, `down` itself ends what a dead one left, from its store.
    const daemon = daemonPid(project);
    if (await shutdownOverSocket(project).catch(() => false)) {
      await waitFor(() => daemon === undefined || isGone(daemon), 'the daemon to exit', 15_000)
        // A daemon that would not exit is killed below with the rest.
        .catch(() => {});
    } else {
      await overseer(project, ['down'], { timeoutMs: 15_000 });
    }
  }
  daemonPid(project);
  const leftovers = [...project.pids, ...markedProcesses().filter((pid) => isIn(pid, project))];
  for (const pid of leftovers) {
    if (isGone(pid) || !isMarked(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(project.dir, { recursive: true, force: true });
}

/** `GET /processes` on the daemon's socket: the rows of `ps --json`, without starting a CLI. */
async function listOverSocket(project: Project): Promise<ProcessInfo[]> {
  const { body } = await requestOverSocket(project, 'GET', '/processes');
  return (JSON.parse(body) as PsDocument).processes;
}

/**
 * `POST /daemon/shutdown` on the daemon's socket, which answers once the stack is stopped
 * (the daemon exits right after): true if it did.
 */
async function shutdownOverSocket(project: Project): Promise<boolean> {
  return (await requestOverSocket(project, 'POST', '/daemon/shutdown')).status === 200;
}

function requestOverSocket(
  project: Project,
  method: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: project.socketPath, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

/** Asks a command to end as Ctrl-C would, then forces it; resolves once it has exited. */
async function end(subprocess: ResultPromise): Promise<void> {
  subprocess.kill('SIGTERM');
  const forced = setTimeout(() => subprocess.kill('SIGKILL'), 10_000);
  await subprocess.catch(() => {});
  clearTimeout(forced);
}

const MARK = `OVERSEER_TEST_RUN=${process.env.OVERSEER_TEST_RUN}`;

/** Pids of live processes carrying this test run's mark, except this one. */
function markedProcesses(): number[] {
  if (process.env.OVERSEER_TEST_RUN === undefined) return [];
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid && isMarked(pid));
}

/** True when `pid` carries this test run's mark: safe to kill. */
function isMarked(pid: number): boolean {
  if (process.env.OVERSEER_TEST_RUN === undefined) return false;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARK);
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Whether the process works in the project folder or mentions it on its command line. */
function isIn(pid: number, project: Project): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    if (cwd === project.dir || cwd.startsWith(`${project.dir}/`)) return true;
  } catch {
    // gone, or not ours to read
  }
  return commandOf(pid).includes(project.dir);
}
