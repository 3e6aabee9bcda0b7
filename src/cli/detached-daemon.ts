/**
 * The daemon `up -d` leaves running: `overseer daemon` in a detached process, which logs to
 * `<state_dir>/overseer.log` (what escapes the log, such as a crash's trace, goes to
 * `daemon.out`). It is started before the config is loaded, so that it loads its own code
 * while `up -d` loads and checks the config, then handed the loaded project on its stdin;
 * when the config turns out bad it is handed nothing, ends at once, and what its start
 * created in the state dir is removed: a bad config leaves nothing behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { serialize } from 'node:v8';
import type { Project } from '../config/load.js';
import { OverseerError } from '../core/errors.js';
import type { HttpSupervisorClient } from '../protocol/client.js';
import { type StateDirLayout, stateDirLayout } from '../protocol/state-dir.js';
import type { DaemonSide } from './daemon-side.js';

/**
 * The daemon's young generation, capped at 2 MiB per semi-space (V8's default grows it to
 * 8 MiB each, 16 MiB in all). A child flooding its output makes the daemon allocate strings
 * as fast as it reads, which touches every page of a young generation of any size; V8 gives
 * them back only when its memory reducer runs, long after. Capped, a flood of 1 M lines
 * leaves the daemon's RSS 3.5 MB above where it was instead of 15 MB, for about 5 % more
 * CPU during the flood (four times as many collections, each as cheap: what is allocated
 * there dies at once). 4 MiB costs less CPU but lets a flood touch twice as much (see the
 * "Log throughput" section of docs/benchmarks.md).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** How often `up -d` looks for the new daemon's socket. */
const POLL_MS = 20;

/** Where and what a detached daemon runs. */
export interface DaemonLaunch {
  readonly stateDir: string;
  readonly configPath: string;
  /** Processes to start; all when empty. */
  readonly names: readonly string[];
  /** `up -d --watch`: the daemon applies every change of the config file. */
  readonly watch?: boolean;
}

export class DetachedDaemon {
  readonly layout: StateDirLayout;
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly daemonSide: DaemonSide,
    private readonly child: ChildProcess,
    layout: StateDirLayout,
    /** What starting it created: the first folder made, and the output file if it was new. */
    private readonly created: { readonly folder?: string; readonly output: boolean },
  ) {
    this.layout = layout;
    this.exit = new Promise((resolve) => {
      const ended = () => {
        this.exited = true;
        resolve();
      };
      child.once('exit', ended);
      // Never started (no node at process.execPath any more): as good as exited.
      child.once('error', ended);
    });
  }

  /** Starts `overseer daemon` for `launch`, waiting on its stdin for the project. */
  static start(daemonSide: DaemonSide, launch: DaemonLaunch): DetachedDaemon {
    const layout = stateDirLayout(launch.stateDir);
    const folder = mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    const createdOutput = !existsSync(layout.daemonOutput);
    const output = openSync(layout.daemonOutput, 'a');
    const args = [
      ...DAEMON_NODE_FLAGS,
      daemonSide.executable,
      'daemon',
      '-f',
      launch.configPath,
      '--project-on-stdin',
      ...(launch.watch ? ['--watch'] : []),
      ...launch.names,
    ];
    try {
      const child = spawn(process.execPath, args, {
        cwd: dirname(launch.configPath),
        detached: true,
        stdio: ['pipe', output, output],
      });
      // A daemon that exits at once (a rival holds the lock) is handled by `answered`.
      child.stdin?.on('error', () => {});
      child.unref();
      return new DetachedDaemon(daemonSide, child, layout, { folder, output: createdOutput });
    } finally {
      closeSync(output);
    }
  }

  /** Gives the daemon the project to run: from then on it is on its own. */
  handOver(project: Project): void {
    this.child.stdin?.end(serialize(project));
  }

  /**
   * Ends the daemon before it was handed anything, waits for it to have ended, and removes
   * what its start created. Until it reads a project a daemon touches nothing of the state
   * dir, so it is killed at once: a bad config is not kept waiting for a daemon to boot.
   */
  async cancel(): Promise<void> {
    // Referenced again: this process must not end before it has seen the daemon end.
    this.child.ref();
    this.child.kill('SIGKILL');
    await this.exit;
    this.removeCreated();
  }

  /**
   * Waits until a daemon answers on the state dir's socket. If another `up -d` won the race
   * for the state dir, this one has exited and the daemon that answers is that one; if
   * this one exited and none holds the lock, it did not start, and its output says why.
   */
  async answered(client: HttpSupervisorClient): Promise<void> {
    while (!(await isServing(client))) {
      if (
        this.exited &&
        (await this.daemonSide.lockHolder(this.layout.root)) === undefined &&
        !(await isServing(client))
      ) {
        throw new OverseerError(
          'INTERNAL',
          `the daemon did not start:\n${tail(this.layout.daemonOutput, 10)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private removeCreated(): void {
    try {
      if (this.created.output && statSync(this.layout.daemonOutput).size === 0) {
        unlinkSync(this.layout.daemonOutput);
      }
      // From the state dir up to the first folder made, each removed only if empty.
      const first = this.created.folder;
      for (let folder = this.layout.root; first !== undefined; folder = dirname(folder)) {
        rmdirSync(folder);
        if (folder === first) break;
      }
    } catch {
      // Not empty (something else writes there now), or already gone: left as it is.
    }
  }
}

/** True when a supervisor answers `client`; false when none is there. */
export async function isServing(client: HttpSupervisorClient): Promise<boolean> {
  try {
    await client.status();
    return true;
  } catch (error) {
    if (error instanceof OverseerError && error.code === 'UNAVAILABLE') return false;
    throw error;
  }
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}
