/**
 * The supervisor's resource loop: one sampling pass over every live child's tree at a time,
 * kept in each process's short history and judged against its limits; the breaches go back
 * to the supervisor (as `limit` inputs for `transition`), the throttle duty goes to the
 * tree's duty cycle. Passes come every `intervalMs`, or paced by their own cost (see
 * `pacedInterval`); the timer runs only while some child is alive.
 */
import { judgeLimits, type LimitBreach } from '../../core/limits/limits.js';
import {
  type Footprint,
  isQuiet,
  nextPassCost,
  pacedInterval,
} from '../../core/limits/resources.js';
import { activeRun } from '../../core/process/state.js';
import { sendSignal } from '../process/proc.js';
import type { ManagedProcess } from '../supervisor/managed-process.js';
import { TreeSampler } from './sampler.js';
import { Throttle } from './throttle.js';

/**
 * Sampling paced by its own cost, from every 2 s to every 15 s, and less often while every
 * tree sits still and none has limits (see `pacedInterval`).
 */
export const PACED = 'paced';

interface Watched {
  readonly managed: ManagedProcess;
  readonly pid: number;
  throttle: Throttle | undefined;
  /** The tree at the last pass, updated in place: whether it sat still since. */
  readonly footprint: { -readonly [K in keyof Footprint]: Footprint[K] };
}

export class ResourceMonitor {
  private readonly sampler = new TreeSampler();
  private readonly watched = new Map<number, Watched>();
  private readonly byProcess = new Map<ManagedProcess, Watched>();
  private timer: NodeJS.Timeout | undefined;
  /** What a pass has cost lately, in ms of CPU; `null` until one is measured. */
  private passCost: number | null = null;
  /** The first pass over a new tree opens its handles: not what later passes cost. */
  private opening = true;
  /**
   * Passes in a row that found every tree still and none with limits (judged on fresh
   * samples): the paced delay widens with them.
   */
  private quietPasses = 0;

  /**
   * @param interval ms between passes, or `PACED`; 0 turns sampling off (no CPU, memory or
   *   descriptor figures, no memory or CPU limits; `max_runtime` and `open_files` still apply).
   * @param onBreach told of every breach judged, in order.
   */
  constructor(
    private readonly interval: number | typeof PACED,
    private readonly onBreach: (managed: ManagedProcess, breach: LimitBreach) => void,
  ) {}

  get enabled(): boolean {
    return this.interval !== 0;
  }

  /** The delay before the next pass, as things stand. */
  get nextDelay(): number {
    return this.interval === PACED ? pacedInterval(this.passCost, this.quietPasses) : this.interval;
  }

  /** Samples the tree of `pid`, the new run of `managed`, from the next pass on. */
  watch(managed: ManagedProcess, pid: number): void {
    if (!this.enabled) return;
    this.unwatch(managed);
    const footprint = { memoryBytes: 0, fds: null, threads: 0, processes: 0 };
    const entry: Watched = { managed, pid, throttle: undefined, footprint };
    this.watched.set(pid, entry);
    this.byProcess.set(managed, entry);
    this.sampler.track(pid);
    this.opening = true;
    this.quietPasses = 0;
    if (!this.timer) this.schedule();
  }

  /** The run of `managed` is over: no more samples of it, and its tree is not held paused. */
  unwatch(managed: ManagedProcess): void {
    const entry = this.byProcess.get(managed);
    if (!entry) return;
    entry.throttle?.release();
    this.byProcess.delete(managed);
    this.watched.delete(entry.pid);
    this.sampler.untrack(entry.pid);
    managed.limitWatch = { ...managed.limitWatch, duty: null };
    if (this.watched.size === 0) this.stopTimer();
  }

  /**
   * Resumes a throttled tree now and stops throttling it: before any stop signal, since a
   * paused process cannot act on SIGTERM.
   */
  release(managed: ManagedProcess): void {
    const entry = this.byProcess.get(managed);
    if (!entry?.throttle) return;
    entry.throttle.release();
    entry.throttle = undefined;
    managed.limitWatch = { ...managed.limitWatch, duty: null };
  }

  /** Resumes every throttled tree and stops sampling. */
  close(): void {
    for (const entry of this.watched.values()) entry.throttle?.release();
    for (const managed of [...this.byProcess.keys()]) this.unwatch(managed);
    this.sampler.close();
    this.stopTimer();
  }

  /** One sampling pass now (the timer calls it; tests and benchmarks may too). */
  pass(now = Date.now()): void {
    if (this.watched.size === 0) return;
    // Breaches are reported after the pass: acting on one may unwatch a process.
    let breaches: Array<readonly [ManagedProcess, LimitBreach]> | undefined;
    let quiet = true;
    this.sampler.pass(now, (root, sample) => {
      const entry = this.watched.get(root);
      if (!entry) return;
      const { managed, footprint } = entry;
      managed.sampled(sample);
      if (managed.spec.limits || !isQuiet(footprint, sample)) quiet = false;
      footprint.memoryBytes = sample.memoryBytes;
      footprint.fds = sample.fds;
      footprint.threads = sample.threads;
      footprint.processes = sample.processes;
      // The pass walked the tree anyway: the run's containment learns of its strays now,
      // before an exit of their parent hands them to PID 1.
      const strays = this.sampler.strays(root);
      if (strays.length > 0 && managed.child?.pid === root) managed.child.tree.noteStrays(strays);
      const limits = managed.spec.limits;
      const run = activeRun(managed.record.state);
      // A run being stopped is sampled, not judged: its fate is decided.
      if (!limits || run?.pid !== entry.pid) return;
      const judgement = judgeLimits(limits, managed.limitWatch, sample, run.since);
      managed.limitWatch = judgement.watch;
      this.holdTo(entry, judgement.watch.duty);
      if (judgement.breaches.length === 0) return;
      breaches ??= [];
      for (const breach of judgement.breaches) breaches.push([managed, breach]);
    });
    this.quietPasses = quiet ? this.quietPasses + 1 : 0;
    for (const [managed, breach] of breaches ?? []) this.onBreach(managed, breach);
  }

  private holdTo(entry: Watched, duty: number | null): void {
    if (duty === null) {
      entry.throttle?.release();
      entry.throttle = undefined;
      return;
    }
    entry.throttle ??= new Throttle((signal) => this.signalTree(entry.pid, signal));
    entry.throttle.setDuty(duty);
  }

  /** A signal to the process group of `root` and to members of its tree that left it. */
  private signalTree(root: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    sendSignal(-root, signal);
    for (const stray of this.sampler.strays(root)) sendSignal(stray.pid, signal);
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.tick(), this.nextDelay);
    // Sampling alone never keeps a host alive.
    this.timer.unref();
  }

  /**
   * A timed pass, whose cost paces the next one. The process's CPU time also counts what
   * its other threads (the garbage collector's) did meanwhile, and the wall time counts
   * being preempted: the pass itself, synchronous, cost no more than the smaller of the two.
   */
  private tick(): void {
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    this.pass();
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (!this.opening) this.passCost = nextPassCost(this.passCost, Math.min(cpuMs, wallMs));
    this.opening = false;
    if (this.watched.size > 0) this.schedule();
    else this.timer = undefined;
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
