/**
 * One run of a child process in its own process group: spawn, signal the whole tree (see
 * `RunTree`), and report the exit only once nothing of the tree is left: whether the run was
 * stopped, exited by itself or was killed from outside, what it started ends with it. A plan
 * may give the child data on stdin, and be measured by the usage shim (`usage-shim.ts`),
 * whose report is read from the child's fd 3.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { OutputStream } from '../../core/view.js';
import { type LineBlock, LineSplitter } from '../logs/log-buffer.js';
import { readIntoSharedBuffer } from '../logs/pipe-reader.js';
import { runsAsAnotherUser } from './launch.js';
import type { LaunchPlan } from './launch-plan.js';
import type { RunTree } from './run-tree.js';
import { type MeasuredUsage, parseUsageReport } from './usage-shim.js';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface ChildCallbacks {
  /** The lines completed by one read of a stream. */
  readonly onLines: (stream: OutputStream, block: LineBlock) => void;
  /** The spawn itself failed (the OS refused, or the program does not exist). */
  readonly onSpawnError: (message: string) => void;
  /** The child exited and every member of its tree is gone. */
  readonly onExit: (exit: ChildExit) => void;
}

/** How often the tree is checked for leftovers once the main process has exited. */
const LEFTOVER_POLL_MS = 20;

/** How long to wait for output pipes to drain after the tree is gone. */
const PIPE_DRAIN_MS = 250;

export class ChildRun {
  readonly pid: number | undefined;
  private readonly child: ChildProcess;
  private signalled = false;
  private mainExit: ChildExit | undefined;
  private reported = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** Output streams whose last line has not been flushed yet. */
  private openStreams = 0;
  private onDrained: (() => void) | undefined;
  /** Reading is paused because the log writer is behind (see `pauseOutput`). */
  private outputPaused = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private measured: MeasuredUsage | undefined;

  /**
   * @param tree the run's containment (`Containment.open()`), which `plan` enters; a bare
   *   `new RunTree(null, null)` follows the group and its strays only.
   */
  constructor(
    readonly tree: RunTree,
    plan: LaunchPlan,
    private readonly stopSignal: string,
    private readonly stopTimeoutMs: number,
    private readonly callbacks: ChildCallbacks,
  ) {
    this.child = spawn(plan.file, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      ...(plan.uid !== undefined && { uid: plan.uid }),
      ...(plan.gid !== undefined && { gid: plan.gid }),
      detached: true,
      stdio: [
        plan.stdin === undefined ? 'ignore' : 'pipe',
        'pipe',
        'pipe',
        ...(plan.measureUsage ? (['pipe'] as const) : []),
      ],
    });
    this.pid = this.child.pid;
    if (this.pid !== undefined) tree.attach(this.pid, runsAsAnotherUser(plan));
    this.capture(this.child.stdout, 'stdout');
    this.capture(this.child.stderr, 'stderr');
    if (plan.measureUsage) this.readUsage(this.child.stdio[3] as Readable | null | undefined);
    if (plan.stdin !== undefined) this.feed(plan.stdin);
    this.child.once('error', (error) => {
      if (this.pid === undefined) callbacks.onSpawnError(error.message);
    });
    this.child.once('exit', (code, signal) => this.onMainExit({ code, signal }));
  }

  /** Sends `signal` to the process group and to every member of the tree outside it. */
  signal(signal: string): void {
    if (this.pid === undefined) return;
    this.signalled = true;
    this.tree.signal(signal as NodeJS.Signals);
  }

  /**
   * Passes a user's signal to the process group and the rest of the tree. Not a stop: if
   * the main process then exits leaving some of its tree, that rest is still asked to stop.
   */
  relay(signal: string): void {
    if (this.pid === undefined) return;
    this.tree.signal(signal as NodeJS.Signals);
  }

  /** SIGKILL to the whole tree, synchronously. */
  kill(): void {
    if (this.pid === undefined) return;
    this.signalled = true;
    this.tree.kill();
  }

  /**
   * What the whole tree used, as the usage shim measured it: defined once the run has exited
   * and the shim's report was read; `undefined` for a run not measured (see
   * `LaunchOptions.measureUsage`) or whose shim was killed before it could report.
   */
  usage(): MeasuredUsage | undefined {
    return this.measured;
  }

  /** True while output reading is paused. */
  get isOutputPaused(): boolean {
    return this.outputPaused;
  }

  /**
   * Stops reading the child's output: its pipes fill and its writes block, so a log writer
   * that falls behind slows the child down instead of dropping lines.
   */
  pauseOutput(): void {
    if (this.outputPaused) return;
    this.outputPaused = true;
    this.child.stdout?.pause();
    this.child.stderr?.pause();
  }

  resumeOutput(): void {
    if (!this.outputPaused) return;
    this.outputPaused = false;
    this.child.stdout?.resume();
    this.child.stderr?.resume();
    // Reading again: the drain wait for a finished tree starts over.
    if (this.drainTimer && !this.reported) this.armDrainTimer();
  }

  private onMainExit(exit: ChildExit): void {
    this.mainExit = exit;
    if (this.treeIsGone()) return this.finish();
    // Something of the tree outlived the main process: end it as a stop would.
    if (!this.signalled) this.signal(this.stopSignal);
    this.killTimer = setTimeout(() => this.kill(), this.stopTimeoutMs);
    const poll = setInterval(() => {
      if (!this.treeIsGone()) return;
      clearInterval(poll);
      this.finish();
    }, LEFTOVER_POLL_MS);
  }

  private finish(): void {
    clearTimeout(this.killTimer);
    this.tree.release();
    // Wait for our own 'close' handlers, which flush a last line without a newline: a
    // stream's `closed` flag turns true before they run, and the exit would overtake it.
    if (this.openStreams === 0) return this.report();
    this.armDrainTimer();
    this.onDrained = () => {
      clearTimeout(this.drainTimer);
      this.report();
    };
  }

  /**
   * A process outside the tree may still hold a pipe open: give it a moment, then let go.
   * Not while reading is paused: what waits in the pipe is the dead child's own output.
   */
  private armDrainTimer(): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => {
      if (this.outputPaused || this.reported) return;
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      this.report();
    }, PIPE_DRAIN_MS);
  }

  private report(): void {
    if (this.reported || !this.mainExit) return;
    this.reported = true;
    this.callbacks.onExit(this.mainExit);
  }

  private treeIsGone(): boolean {
    return this.pid === undefined || this.tree.isGone();
  }

  /**
   * Writes `data` to the child's stdin and closes it. A child that exits or closes its stdin
   * without reading it all breaks the pipe (EPIPE): what it did not want is dropped.
   */
  private feed(data: string | Buffer): void {
    const stdin = this.child.stdin;
    if (!stdin) return;
    stdin.on('error', () => {});
    if (this.pid === undefined) stdin.destroy();
    else stdin.end(data);
  }

  /**
   * Reads the usage shim's report on the child's fd 3, written as the shim exits; counted as
   * an open stream, so the exit is reported only once the report is in. No process but the
   * shim holds the pipe (the shim closes it in its child).
   */
  private readUsage(stream: Readable | null | undefined): void {
    if (!stream) return;
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => {});
    this.openStreams += 1;
    stream.once('close', () => {
      this.measured = parseUsageReport(Buffer.concat(chunks).toString('latin1'));
      this.openStreams -= 1;
      if (this.openStreams === 0) this.onDrained?.();
    });
  }

  private capture(stream: Readable | null, name: OutputStream): void {
    if (!stream) return;
    const splitter = new LineSplitter();
    const read = (chunk: Buffer) => {
      const block = splitter.write(chunk);
      if (block) this.callbacks.onLines(name, block);
    };
    if (!readIntoSharedBuffer(stream, read)) stream.on('data', read);
    this.openStreams += 1;
    stream.once('close', () => {
      const last = splitter.end();
      if (last) this.callbacks.onLines(name, last);
      this.openStreams -= 1;
      if (this.openStreams === 0) this.onDrained?.();
    });
  }
}
