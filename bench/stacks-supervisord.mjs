// supervisord as a third side of the CLI benchmark, driven as a user drives it: `supervisord
// -c FILE` (it daemonizes), `supervisorctl status / stop all / start all / shutdown`, with its
// control socket, pid file and logs in the stack's temporary folder. Debian's `supervisor`
// package puts it at /usr/bin; where it is absent (CI), `SupervisordSide.installed` is false
// and the benchmark's supervisord column says "not installed".
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { now, sleep } from './lib.mjs';
import { check, Side, sleepers, timedCommand } from './stacks.mjs';

const SUPERVISORD = '/usr/bin/supervisord';
const SUPERVISORCTL = '/usr/bin/supervisorctl';
/** How long a start may take before the benchmark gives up on it. */
const START_TIMEOUT_MS = 120_000;

/**
 * supervisord with one program of `numprocs` instances, matched to what the other sides run:
 * `startsecs=0` (running once spawned, as overseer's `min_uptime: 0` and PM2's `online`),
 * `stopasgroup`/`killasgroup` (the whole group is signalled, as overseer does), autorestart.
 * With 0 processes the config has no program: the daemon alone.
 */
export class SupervisordSide extends Side {
  id = 'supervisord';

  /** True when the `supervisor` package is installed on this machine. */
  static get installed() {
    return existsSync(SUPERVISORD) && existsSync(SUPERVISORCTL);
  }

  static config(dir, { name, argv, count, logFile }) {
    const lines = [
      '[unix_http_server]',
      `file=${join(dir, 's.sock')}`,
      '[supervisord]',
      `logfile=${join(dir, 'supervisord.log')}`,
      `pidfile=${join(dir, 'supervisord.pid')}`,
      `childlogdir=${dir}`,
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[supervisorctl]',
      `serverurl=unix://${join(dir, 's.sock')}`,
    ];
    if (count > 0) {
      lines.push(
        `[program:${name}]`,
        `command=${argv.join(' ')}`,
        `numprocs=${count}`,
        'process_name=%(program_name)s_%(process_num)d',
        'startsecs=0',
        'autorestart=true',
        'stopasgroup=true',
        'killasgroup=true',
        // Every line kept in one file (no rotation), as the other sides keep them.
        ...(logFile ? [`stdout_logfile=${logFile}`, 'stdout_logfile_maxbytes=0'] : []),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  get pidFile() {
    return join(this.dir, 'supervisord.pid');
  }

  get #conf() {
    return join(this.dir, 'supervisord.conf');
  }

  /**
   * Cold start: a new folder, no daemon. `startMs` is `supervisord -c` alone (it returns as
   * soon as it has daemonized, before spawning anything); `ms` runs until a `supervisorctl
   * status` shows every process RUNNING.
   */
  async start(program) {
    const stack = typeof program === 'number' ? sleepers(program) : program;
    const dir = this.newDir(stack.count);
    this.logFile = stack.logFile ? join(dir, 'out.log') : undefined;
    writeFileSync(this.#conf, SupervisordSide.config(dir, { ...stack, logFile: this.logFile }));
    const t0 = now();
    const { ms: startMs } = check(
      await timedCommand(SUPERVISORD, ['-c', this.#conf], { cwd: dir }),
      'supervisord',
    );
    for (const deadline = now() + START_TIMEOUT_MS; ; await sleep(10)) {
      if (this.readDaemonPid() !== undefined) {
        const { running } = await this.list();
        if (running === stack.count) break;
      }
      if (now() > deadline) throw new Error(`supervisord: not all running after the wait`);
    }
    const ms = now() - t0;
    this.adoptDaemon(this.readDaemonPid());
    return { ms, startMs };
  }

  /** `supervisorctl status`: wall time, and how many processes are listed and RUNNING. */
  async list() {
    // Exit status 3 says some process is not running: an answer, not a failure.
    const result = await this.#ctl('status');
    const processes = result.stdout.split('\n').filter((line) => line.trim() !== '');
    return {
      ms: result.ms,
      listed: processes.length,
      running: processes.filter((line) => /\sRUNNING\s/.test(line)).length,
    };
  }

  /** `supervisorctl stop all`: returns once every process is stopped. */
  async stopAll() {
    return check(await this.#ctl('stop', 'all'), 'supervisorctl stop all');
  }

  /** `supervisorctl start all`: returns once every process is running (startsecs=0). */
  async startAll() {
    return check(await this.#ctl('start', 'all'), 'supervisorctl start all');
  }

  /** `supervisorctl shutdown`: the daemon stops its processes and exits. */
  async stopCommand() {
    return check(await this.#ctl('shutdown'), 'supervisorctl shutdown');
  }

  #ctl(...args) {
    return timedCommand(SUPERVISORCTL, ['-c', this.#conf, ...args], { cwd: this.dir });
  }
}
