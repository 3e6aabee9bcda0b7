/**
 * The heart of the supervisor: inputs (requests, exits, probe verdicts, timers, limit
 * breaches) are fed to core's `transition` one at a time, and the effects it returns are
 * carried out (spawn, signal, timers, probes, events). Between passes the scheduler admits
 * waiting processes into free slots, and waiters whose processes got somewhere are woken.
 */

import type { LogCategory, LogFor } from '../../core/logging.js';
import { holdsSlot, isAtRest, isRequestOver, isSettled } from '../../core/process/state.js';
import type { ProcessInput } from '../../core/process/transition.js';
import { type Effect, transition } from '../../core/process/transition.js';
import { dependentRestartCause, dependentsToRestart } from '../../core/stack/dependent-restarts.js';
import { stopLayers } from '../../core/stack/graph.js';
import { planSchedule, type ScheduledProcess } from '../../core/stack/scheduler.js';
import { isWatchCause } from '../../core/triggers/watch.js';
import type { ResourceMonitor } from '../sampling/resource-monitor.js';
import type { CronClock } from '../triggers/cron.js';
import type { EventHub } from './emitter.js';
import type { HostExitGuard } from './host-exit-guard.js';
import type { InstanceRegistry } from './instance-registry.js';
import type { Launcher } from './launcher.js';
import type { ManagedProcess } from './managed-process.js';
import { Waiters } from './waiters.js';

/** What the loop acts through. */
export interface LoopRooms {
  readonly registry: InstanceRegistry;
  readonly hub: EventHub;
  readonly monitor: ResourceMonitor;
  readonly exitGuard: HostExitGuard;
  readonly launcher: Launcher;
  /** Feeds each process's schedule fires (`fire` inputs). */
  readonly cron: CronClock<ManagedProcess>;
  /** The supervisor's own log: every input is written at debug under its category. */
  readonly log: LogFor;
  /** The tasks, which share the slots and the priority queue with the stack's processes. */
  readonly tasks: TaskSlots;
}

/**
 * What the scheduler sees of the tasks: the tries holding a slot, and the queue, best first.
 * Only the head of the queue is shown to the scheduler (as many as could be admitted), so
 * a long queue costs a pass nothing.
 */
export interface TaskSlots {
  /** Tries not yet at rest: they hold a slot, or are about to. */
  tries(): Iterable<ManagedProcess>;
  /** Tasks waiting for a slot. */
  readonly queuedCount: number;
  /** The first `count` waiting tasks, by priority then submission, as the scheduler sees them. */
  queued(count: number): ScheduledProcess[];
  /** A waiting task got a slot: the try to start now (it is `pending`). */
  admit(name: string): ManagedProcess;
  /** A waiting task is left waiting: why. */
  waits(name: string, reason: string): void;
}

/** Where an input is logged: a probe's verdict under `probe`, a breach under `limits`… */
function categoryOf(input: ProcessInput): LogCategory {
  switch (input.type) {
    case 'probe':
      return 'probe';
    case 'limit':
      return 'limits';
    case 'sandbox-refused':
      return 'sandbox';
    case 'fire':
      return 'schedule';
    case 'start':
    case 'restart':
      // What a change of a watched file asked: read with the burst that caused it.
      return isWatchCause(input.cause) ? 'watch' : 'process';
    default:
      return 'process';
  }
}

/** Feeds inputs to core and carries out its effects, one input at a time. */
export class SupervisorLoop {
  private readonly queue: Array<readonly [ManagedProcess, ProcessInput]> = [];
  private readonly waiters = new Waiters();
  private draining = false;
  /** Once set, no waiting process is admitted any more. */
  private admissionClosed = false;

  constructor(
    private readonly rooms: LoopRooms,
    private maxProcesses: number,
  ) {}

  /** Queues an input and, unless already inside the loop, runs the loop until it is quiet. */
  feed(managed: ManagedProcess, input: ProcessInput): void {
    this.queue.push([managed, input]);
    this.drain();
  }

  /** A scheduling pass now: something joined the queue outside the loop (a task). */
  reschedule(): void {
    this.drain();
  }

  /** Changes how many children may be alive at once; waiting processes fill new slots now. */
  setMaxProcesses(maxProcesses: number): void {
    this.maxProcesses = maxProcesses;
    this.drain();
  }

  /**
   * Brings `selected` up (those not already under way): a process with a schedule waits for
   * its first fire, any other starts. Resolves once each is at rest.
   */
  async startAll(selected: readonly ManagedProcess[]): Promise<void> {
    // Queued together, so the scheduler sees every requested process waiting at once and
    // serves them by priority, rather than the first declared taking the first free slot.
    for (const managed of selected) {
      if (isSettled(managed.record.state)) this.queue.push([managed, { type: 'up' }]);
    }
    this.drain();
    await this.waiters.until(() => selected.every((managed) => isAtRest(managed.record.state)));
  }

  /** Feeds an accepted request to each of `selected`; resolves once the request is over for all. */
  async request(selected: readonly ManagedProcess[], input: ProcessInput): Promise<void> {
    const runsBefore = selected.map((managed) => managed.spawnCount);
    for (const managed of selected) this.feed(managed, input);
    const done = (managed: ManagedProcess, index: number) =>
      isRequestOver(
        managed.record.state,
        input.type === 'restart' && managed.spawnCount === runsBefore[index],
      );
    await this.waiters.until(() => selected.every(done));
  }

  /** Resolves once `done()` holds: now, or after a later pass of the loop. */
  until(done: () => boolean): Promise<void> {
    return this.waiters.until(done);
  }

  /** From now on, no waiting process is admitted into a slot: the supervisor is shutting down. */
  closeAdmission(): void {
    this.admissionClosed = true;
  }

  /** Stops every process, dependents before their dependencies; resolves once no child is left. */
  async stopEverything(): Promise<void> {
    const { registry } = this.rooms;
    // Nothing waiting may start from here on: settle every waiting process at once. A
    // `failed` one stays failed (that is how the stack ended), but its breaker's try is off.
    for (const managed of registry.all()) {
      const { status } = managed.record.state;
      if (status === 'pending' || status === 'backoff' || status === 'scheduled') {
        this.feed(managed, { type: 'stop' });
      }
      if (status === 'failed') managed.disarm('cooldown');
    }
    for (const layer of stopLayers(registry.graph())) {
      const members = layer.flatMap((family) => registry.instancesOf(family));
      for (const managed of members) {
        if (!isSettled(managed.record.state)) this.feed(managed, { type: 'stop' });
      }
      await this.waiters.until(() =>
        members.every((managed) => managed.child === undefined && isSettled(managed.record.state)),
      );
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      do {
        for (let item = this.queue.shift(); item; item = this.queue.shift()) this.step(...item);
        this.schedule();
      } while (this.queue.length > 0);
    } finally {
      this.draining = false;
    }
    this.waiters.wake();
  }

  private step(managed: ManagedProcess, input: ProcessInput): void {
    this.rooms.log(categoryOf(input)).debug({ name: managed.spec.name, ...input }, 'input');
    const now = Date.now();
    const { record, effects } = transition(managed.spec, managed.record, input, now);
    managed.record = record;
    for (const effect of effects) this.execute(managed, effect, now);
  }

  /** Admits waiting processes into free slots; fails those whose dependency failed; tells the rest why they wait. */
  private schedule(): void {
    if (this.admissionClosed) return;
    const { registry, tasks } = this.rooms;
    const contenders: ScheduledProcess[] = [...registry.all(), ...tasks.tries()];
    if (tasks.queuedCount > 0) {
      const busy = contenders.filter(({ record }) => holdsSlot(record.state)).length;
      contenders.push(...tasks.queued(Math.max(1, this.maxProcesses - busy)));
    }
    const plan = planSchedule(contenders, this.maxProcesses);
    const managedNamed = (name: string) => registry.find(name) ?? tasks.admit(name);
    for (const { name, reason } of plan.fail) {
      this.queue.push([registry.byName(name), { type: 'dependency-failed', reason }]);
    }
    for (const name of plan.admit) this.queue.push([managedNamed(name), { type: 'admit' }]);
    for (const { name, reason, blocked } of plan.wait) {
      const managed = registry.find(name);
      if (managed) this.queue.push([managed, { type: 'wait', reason, blocked }]);
      else tasks.waits(name, reason);
    }
  }

  private execute(managed: ManagedProcess, effect: Effect, now: number): void {
    const { monitor, hub } = this.rooms;
    switch (effect.type) {
      case 'spawn':
        return this.spawn(managed);
      case 'signal':
        // A throttled tree is resumed first: a paused process cannot act on SIGTERM.
        monitor.release(managed);
        return managed.child?.signal(effect.signal);
      case 'relay':
        return managed.child?.relay(effect.signal);
      case 'kill':
        monitor.release(managed);
        return managed.child?.kill();
      case 'arm-timer':
        return managed.arm(effect.timer, effect.at - now, () =>
          this.feed(managed, { type: 'timer', timer: effect.timer }),
        );
      case 'disarm-timer':
        return managed.disarm(effect.timer);
      case 'arm-fire':
        return this.rooms.cron.arm(managed, effect.at);
      case 'disarm-fire':
        return this.rooms.cron.disarm(managed);
      case 'probe':
        return managed.setProbe(effect.probe, effect.run);
      case 'emit':
        managed.observe(effect.event);
        if (!managed.deliverPrivately(effect.event)) hub.publish(effect.event);
        return;
      case 'restart-dependents':
        for (const name of dependentsToRestart(managed.spec, [...this.rooms.registry.all()])) {
          const cause = dependentRestartCause(managed.spec);
          this.queue.push([this.rooms.registry.byName(name), { type: 'restart', cause }]);
        }
        return;
    }
  }

  private spawn(managed: ManagedProcess): void {
    const told = this.rooms.launcher.launch(managed);
    if (told?.type === 'spawned') {
      this.rooms.monitor.watch(managed, told.pid);
      this.rooms.exitGuard.guard(true);
    }
    if (told) this.queue.push([managed, told]);
  }
}
