// The supervisors of the CLI benchmark, driven through their command lines as a user would:
// overseer (`overseer up -d`, `ps --json`, `stop all`, `down`), PM2 (`pm2 start`, `jlist`,
// `stop all`, `kill`) and supervisord (in stacks-supervisord.mjs), each stack in its own
// temporary folder (PM2 with its own PM2_HOME, so its daemon starts cold and nothing
// touches ~/.pm2). Every daemon and child is recorded in a ProcessLedger, so none outlives
// the benchmark.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { now, sleep } from './lib.mjs';
import { descendants, isAlive, readStat, sendSignal } from './proc.mjs';

const fromRoot = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const OVERSEER_CLI = fromRoot('dist/cli/main.js');
export const PM2_CLI = fromRoot('node_modules/pm2/bin/pm2');

/** The sleeping child every supervisor runs: exec'd directly, no shell, no node. */
export const SLEEPER = ['sleep', '3600'];

/**
 * What a stack runs: `count` instances of `argv` under `name`. With `logFile`, the side
 * sends the first instance's stdout to a file of its own choosing and names it in
 * `side.logFile` (overseer: its log folder; PM2: `out_file`; supervisord: `stdout_logfile`).
 */
export const sleepers = (count) => ({ name: 'sleeper', argv: SLEEPER, count, logFile: false });

/** How long a command may take before the benchmark gives up on it. */
const COMMAND_TIMEOUT_MS = 120_000;

/**
 * Runs `node ...args` and resolves once it has exited and its output is read (what a user
 * waits for), with its wall time from just before spawn() in ms.
 */
export function timedNode(args, options) {
  return timedCommand(process.execPath, args, options);
}

/** Runs `file ...args` as `timedNode` runs node. */
export function timedCommand(
  file,
  args,
  { cwd, env = process.env, timeoutMs = COMMAND_TIMEOUT_MS } = {},
) {
  return new Promise((resolve, reject) => {
    const stdout = [];
    const stderr = [];
    const t0 = now();
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      const ms = now() - t0;
      clearTimeout(timer);
      resolve({
        ms,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

export function check(result, what) {
  if (result.code === 0) return result;
  throw new Error(`${what} exited ${result.code ?? result.signal}: ${result.stderr.trim()}`);
}

/** Waits until `pid` (started at `startTime`) is gone; false if it is still there at the deadline. */
async function waitGone(pid, startTime, timeoutMs) {
  for (const deadline = now() + timeoutMs; now() < deadline; await sleep(25)) {
    if (!isAlive(pid, startTime)) return true;
  }
  return !isAlive(pid, startTime);
}

/**
 * The shared shape of a supervisor under test; subclasses know their own commands:
 * `start(program)`, `list()`, `stopAll()`, `startAll()`, `stopCommand()` (stop everything
 * and end the daemon) and `pidFile` (where the daemon writes its pid, read by
 * `readDaemonPid` while a cold start is under way).
 */
export class Side {
  /** @param {string} root short temporary folder (Unix socket paths must stay < 108 bytes) */
  constructor(root, ledger) {
    this.root = root;
    this.ledger = ledger;
    this.dir = undefined;
    this.daemon = undefined;
  }

  get running() {
    return this.dir !== undefined;
  }

  /** The daemon's pid, once started. */
  get pid() {
    return this.daemon?.pid;
  }

  newDir(count) {
    this.dir = mkdtempSync(join(this.root, `${this.id[0]}${count}-`));
    return this.dir;
  }

  adoptDaemon(pid) {
    const stat = readStat(pid);
    if (!stat) throw new Error(`${this.id}: daemon pid ${pid} is not running`);
    this.daemon = { pid, startTime: stat.startTime };
    this.ledger.add(pid);
  }

  /** The daemon's pid from its pid file, or undefined while there is none yet. */
  readDaemonPid() {
    try {
      const text = readFileSync(this.pidFile, 'utf8').trim();
      const pid = text.startsWith('{') ? JSON.parse(text).pid : Number(text);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** The daemon's children now (its supervised processes). */
  children() {
    return this.pid === undefined ? [] : descendants(this.pid);
  }

  /**
   * Stops the stack the supervisor's own way, checks the daemon and every child are gone,
   * SIGKILLs what is left, and removes the folder. Resolves with the stop's wall time and
   * how many processes had to be killed by pid.
   */
  async teardown() {
    if (!this.running) return { ms: null, leftovers: 0 };
    // A start that failed after its daemon came up never adopted it: find it by its pid file.
    const pid = this.daemon === undefined ? this.readDaemonPid() : undefined;
    if (pid !== undefined && readStat(pid)) this.adoptDaemon(pid);
    const children = this.children();
    if (this.pid !== undefined) this.ledger.track(this.pid);
    let ms = null;
    try {
      ms = (await this.stopCommand()).ms;
    } catch (error) {
      console.error(`  ${this.id}: stop failed: ${error.message}`);
    }
    let leftovers = 0;
    if (this.daemon && !(await waitGone(this.daemon.pid, this.daemon.startTime, 10_000))) {
      leftovers += 1;
      kill(this.daemon.pid);
    }
    // One deadline for all the children: they were stopped together.
    const deadline = now() + 2_000;
    for (const child of children) {
      if (!(await waitGone(child.pid, child.startTime, Math.max(0, deadline - now())))) {
        leftovers += 1;
        kill(child.pid);
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.daemon = undefined;
    return { ms, leftovers };
  }
}

/** SIGKILL to a pid and to its group, if it leads one; either may be gone already. */
function kill(pid) {
  sendSignal(pid, 'SIGKILL');
  sendSignal(-pid, 'SIGKILL');
}

/**
 * overseer: `overseer up -d` in a folder holding overseer.yaml, which returns once every
 * process is running. `min_uptime: 0` makes a process `running` as soon as it has spawned,
 * as PM2's `online` is (overseer's default, 1 s, would hold `up -d` for that second by
 * design). With 0 processes the stack is one job running /bin/true, which completes at once
 * and leaves the daemon with no child: the config must declare at least one process.
 */
export class OverseerSide extends Side {
  id = 'overseer';

  /** A log folder that keeps 500 MB per process, so a run of 1 M lines stays on disk. */
  static config({ name, argv, count, logFile }) {
    const entry =
      count === 0
        ? '  idle:\n    kind: job\n    command: [/bin/true]\n'
        : `  ${name}:\n    command: ${JSON.stringify(argv)}\n    instances: ${count}\n    restart: { min_uptime: 0 }\n`;
    const settings = logFile ? 'settings:\n  logs: { max_size: 10MB, max_files: 50 }\n' : '';
    return `version: 1\nname: bench${count}\n${settings}processes:\n${entry}`;
  }

  get pidFile() {
    return join(this.dir, '.overseer', 'overseer.pid');
  }

  /**
   * Cold start: a new folder, no daemon; resolves with the wall time of `up -d`. `program`
   * is a number of sleepers or what `sleepers()` describes.
   */
  async start(program) {
    const stack = typeof program === 'number' ? sleepers(program) : program;
    const dir = this.newDir(stack.count);
    writeFileSync(join(dir, 'overseer.yaml'), OverseerSide.config(stack));
    const up = check(await timedNode([OVERSEER_CLI, 'up', '-d'], { cwd: dir }), 'overseer up -d');
    // A process with `instances` set names them `name-0`, `name-1`…, even when it is one.
    this.logFile = join(dir, '.overseer', 'logs', `${stack.name}-0.log`);
    this.adoptDaemon(this.readDaemonPid());
    return { ms: up.ms, startMs: up.ms };
  }

  /** `overseer stop all`: returns once every process is stopped. */
  stopAll() {
    return this.#run('stop', 'all');
  }

  /** `overseer start all`: returns once every process is running. */
  startAll() {
    return this.#run('start', 'all');
  }

  async #run(...args) {
    return check(await timedNode([OVERSEER_CLI, ...args], { cwd: this.dir }), args.join(' '));
  }

  /** `overseer ps --json`: wall time, and how many processes are listed and running. */
  async list() {
    const result = check(await timedNode([OVERSEER_CLI, 'ps', '--json'], { cwd: this.dir }), 'ps');
    const { processes } = JSON.parse(result.stdout);
    return {
      ms: result.ms,
      listed: processes.length,
      running: processes.filter((p) => p.status === 'running').length,
    };
  }

  stopCommand() {
    return timedNode([OVERSEER_CLI, 'down'], { cwd: this.dir }).then((r) => check(r, 'down'));
  }
}

/**
 * PM2: `pm2 start ecosystem.config.cjs` (one fork-mode app with `instances`, the child
 * exec'd with `interpreter: none`), then `pm2 jlist` until every instance is `online`.
 * With 0 processes, `pm2 ping` starts the daemon alone. A fresh PM2_HOME per stack.
 */
export class Pm2Side extends Side {
  id = 'pm2';

  /**
   * One fork-mode app. A node script runs the way PM2 runs node scripts by default (its
   * own wrapper in the child); anything else is exec'd (`interpreter: none`).
   */
  static ecosystem({ name, argv, count }, logFile) {
    const isNode = argv[0] === process.execPath;
    const [script, ...args] = isNode ? argv.slice(1) : argv;
    const app = {
      name,
      script,
      args: args.join(' '),
      ...(isNode ? {} : { interpreter: 'none' }),
      exec_mode: 'fork',
      instances: count,
      autorestart: true,
      ...(logFile ? { out_file: logFile, error_file: `${logFile}.err`, merge_logs: true } : {}),
    };
    return `module.exports = ${JSON.stringify({ apps: [app] }, null, 2)};\n`;
  }

  get pidFile() {
    return join(this.dir, 'h', 'pm2.pid');
  }

  get env() {
    return { ...process.env, PM2_HOME: join(this.dir, 'h') };
  }

  async pm2(...args) {
    return check(await timedNode([PM2_CLI, ...args], { cwd: this.dir, env: this.env }), 'pm2');
  }

  /**
   * Cold start: a new PM2_HOME, no daemon. `startMs` is `pm2 start` alone; `ms` runs until a
   * `pm2 jlist` shows every instance online.
   */
  async start(program) {
    const stack = typeof program === 'number' ? sleepers(program) : program;
    const { count } = stack;
    const dir = this.newDir(count);
    this.logFile = stack.logFile ? join(dir, 'out.log') : undefined;
    const t0 = now();
    let startMs;
    if (count === 0) {
      startMs = (await this.pm2('ping')).ms;
    } else {
      writeFileSync(join(dir, 'ecosystem.config.cjs'), Pm2Side.ecosystem(stack, this.logFile));
      startMs = (await this.pm2('start', 'ecosystem.config.cjs')).ms;
      for (const deadline = now() + COMMAND_TIMEOUT_MS; ; ) {
        const { running } = await this.list();
        if (running === count) break;
        if (now() > deadline) throw new Error(`pm2: ${running}/${count} online after the wait`);
      }
    }
    const ms = now() - t0;
    this.adoptDaemon(this.readDaemonPid());
    return { ms, startMs };
  }

  /** `pm2 stop all`. */
  stopAll() {
    return this.pm2('stop', 'all');
  }

  /** `pm2 start all`: starts the stopped apps again. */
  startAll() {
    return this.pm2('start', 'all');
  }

  /** `pm2 jlist`: wall time, and how many processes are listed and online. */
  async list() {
    const result = await this.pm2('jlist');
    const processes = JSON.parse(result.stdout);
    return {
      ms: result.ms,
      listed: processes.length,
      running: processes.filter((p) => p.pm2_env?.status === 'online').length,
    };
  }

  stopCommand() {
    return this.pm2('kill');
  }
}

/** A bare node that idles: the floor of a daemon written in Node. */
export class ReferenceNode {
  id = 'node';
  static ARGS = ['-e', 'setInterval(() => {}, 1e9)'];

  constructor(ledger) {
    this.ledger = ledger;
    this.child = undefined;
  }

  get pid() {
    return this.child?.pid;
  }

  async start() {
    this.child = spawn(process.execPath, ReferenceNode.ARGS, { stdio: 'ignore' });
    await new Promise((resolve, reject) => {
      this.child.once('spawn', resolve);
      this.child.once('error', reject);
    });
    this.ledger.add(this.child.pid);
  }

  async teardown() {
    if (!this.child) return;
    const { child } = this;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
