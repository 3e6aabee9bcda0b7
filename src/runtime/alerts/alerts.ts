/**
 * The alert dispatcher: tells a command and/or a webhook when a process fails, a limit is
 * breached, a circuit breaker opens or a workflow run is dead-lettered.
 *
 * It is never on the supervisor's path: a listener only drops the event in an inbox; the
 * alerts are made, held back by the cooldown and queued on the next turn of the event loop,
 * and sent from a bounded queue a few at a time. A slow or dead receiver delays alerts,
 * never a restart. When the queue is full the oldest alert gives way, and the next one sent
 * says how many were not. A delivery that fails for good is written to the log.
 */
import {
  type Alert,
  type AlertKind,
  alertOfBreaker,
  alertOfEvent,
  alertOfWorkflowEvent,
  type BreakerOpened,
} from '../../core/alerts/alert.js';
import {
  admitAlert,
  type CooldownMark,
  cooldownKey,
  flushAlert,
  isSpent,
} from '../../core/alerts/cooldown.js';
import {
  ALERT_DEFAULTS,
  type AlertSettings,
  alertTargetProblems,
} from '../../core/alerts/delivery.js';
import { OverseerError } from '../../core/errors.js';
import type { SupervisorEvent } from '../../core/events.js';
import type { Disposer } from '../../core/subscription.js';
import type { WorkflowEvent } from '../../core/workflows/events.js';
import { deliverAlert } from './deliver.js';

/** Options of `new Alerts()`: `settings.alerts` in camelCase, durations in ms. */
export interface AlertsOptions {
  /** Run through `/bin/sh -c` for each alert, its JSON on stdin, `OVERSEER_ALERT_*` set. */
  readonly command?: string;
  /** Where the command runs (default: the current folder). */
  readonly cwd?: string;
  /** POSTed each alert's JSON (`content-type: application/json`). */
  readonly webhook?: string;
  /** Extra headers of the webhook's requests, e.g. `authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** At most one alert per process and kind per this long (default 5 min). */
  readonly cooldownMs?: number;
  /** The kinds sent (default all: failed, limit, breaker, dead_letter). */
  readonly on?: readonly AlertKind[];
  /** One try of one delivery (default 10 s). */
  readonly timeoutMs?: number;
  /** Tries after a failed first one, for failures worth another (default 3). */
  readonly retries?: number;
  /** Named in every alert's `project`. */
  readonly project?: string;
  /** Alerts waiting to be sent at most; the oldest gives way (default 1000). */
  readonly maxQueued?: number;
  /** Where failed deliveries and a full queue are told (a pino logger fits). */
  readonly log?: AlertsLog;
  /** `Date.now` unless given. */
  readonly clock?: () => number;
}

export interface AlertsLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What `watch` listens to: a `Supervisor`, or anything with its `onAny`. */
export interface AlertEventSource {
  onAny(listener: (event: SupervisorEvent) => void): Disposer;
}

/** What `watchWorkflows` listens to: the daemon's workflow watch, an engine's events. */
export interface WorkflowEventSource {
  subscribe(listener: (event: WorkflowEvent) => void): Disposer;
}

/** A circuit breaker as `watchBreaker` needs it: the resilience toolkit's fits. */
export interface WatchableBreaker {
  readonly name: string;
  onOpen(listener: (event: BreakerOpened) => void): Disposer;
}

/** Breakers by name, as a `BreakerRegistry` (or `createExecutors().breakers`) has them. */
export interface WatchableBreakers {
  names(): string[];
  get(name: string): WatchableBreaker | undefined;
  /** Told of each breaker added later; without it, only those there now are watched. */
  onAdd?(listener: (breaker: WatchableBreaker) => void): Disposer;
}

/** Counts since the alerts were made. */
export interface AlertsStats {
  /** Alerts delivered to every target. */
  readonly sent: number;
  /** Alerts a target could not be given, retries spent. */
  readonly failed: number;
  /** Alerts the cooldown held back (each said in the next one of its process and kind). */
  readonly heldBack: number;
  /** Alerts a full queue, or the end of the shutdown grace, left unsent. */
  readonly notSent: number;
  /** Waiting now: queued, or handed over and not made into alerts yet. */
  readonly queued: number;
}

/** Deliveries at once: a few, so one slow receiver does not hold every alert behind it. */
const CONCURRENCY = 4;
/**
 * The most one turn of the event loop spends making alerts: a storm of events is made
 * into alerts a slice at a time, so that a restart decision never waits long behind it.
 */
const SLICE_MS = 0.5;
/** Marks kept before the spent ones are swept (one pass, then not again until twice as many). */
const SWEEP_AT = 1024;
const DEFAULT_MAX_QUEUED = 1000;
/** What a shutdown gives pending alerts to go out, at most. */
export const DEFAULT_CLOSE_GRACE_MS = 2_000;

/** The settings of `options`, defaults applied; refused when there is nowhere to send. */
export function alertSettingsOf(options: AlertsOptions): AlertSettings {
  const problems = alertTargetProblems(options).map(({ path, message }) => ({
    path: ['alerts', ...path].join('.'),
    message,
  }));
  if (problems.length > 0) {
    throw new OverseerError(
      'INVALID_SPEC',
      problems.map(({ path, message }) => `${path}: ${message}`).join('; '),
      problems,
    );
  }
  return {
    command: options.command,
    webhook: options.webhook,
    headers: options.headers ?? {},
    cooldownMs: options.cooldownMs ?? ALERT_DEFAULTS.cooldownMs,
    on: options.on ?? ALERT_DEFAULTS.on,
    timeoutMs: options.timeoutMs ?? ALERT_DEFAULTS.timeoutMs,
    retries: options.retries ?? ALERT_DEFAULTS.retries,
  };
}

export class Alerts {
  #settings: AlertSettings;
  #project: string | null;
  #cwd: string | undefined;
  readonly #maxQueued: number;
  readonly #log: AlertsLog | undefined;
  readonly #clock: () => number;
  /** Events handed over by listeners, made into alerts on the next turn. */
  #inbox: Array<() => Alert | null> = [];
  #draining = false;
  readonly #marks = new Map<string, CooldownMark>();
  #sweepAt = SWEEP_AT;
  readonly #flushTimers = new Map<string, NodeJS.Timeout>();
  readonly #queue: Alert[] = [];
  #inFlight = 0;
  /** A turn that starts the next delivery is queued. */
  #pumping = false;
  /** Alerts the full queue let go since the last one sent. */
  #notSentSince = 0;
  #closed = false;
  readonly #giveUp = new AbortController();
  #idleWaiters: Array<() => void> = [];
  readonly #disposers = new Set<Disposer>();
  #stats = { sent: 0, failed: 0, heldBack: 0, notSent: 0 };

  constructor(options: AlertsOptions) {
    this.#settings = alertSettingsOf(options);
    this.#project = options.project ?? null;
    this.#cwd = options.cwd;
    this.#maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.#log = options.log;
    this.#clock = options.clock ?? Date.now;
  }

  /** The settings in force. */
  get settings(): AlertSettings {
    return this.#settings;
  }

  /** Takes up other settings (a config applied again); what is queued is sent by them. */
  configure(options: AlertsOptions): void {
    this.#settings = alertSettingsOf(options);
    if (options.project !== undefined) this.#project = options.project;
    if (options.cwd !== undefined) this.#cwd = options.cwd;
  }

  /**
   * Alerts on a supervisor's `process:failed` and `process:limit` events. `namespaceOf`
   * names a process's namespace in the alert (the supervisor's `get` by default).
   */
  watch(
    source: AlertEventSource,
    namespaceOf: (name: string) => string | null = namespaceFrom(source),
  ): Disposer {
    return this.#own(
      source.onAny((event) => {
        if (event.type !== 'process:failed' && event.type !== 'process:limit') return;
        this.#hand(() =>
          alertOfEvent(event, { project: this.#project, namespaceOf: safely(namespaceOf) }),
        );
      }),
    );
  }

  /** Alerts on workflow runs that were dead-lettered. */
  watchWorkflows(source: WorkflowEventSource): Disposer {
    return this.#own(
      source.subscribe((event) => {
        if (event.type !== 'workflow:dead-lettered') return;
        const at = this.#clock();
        this.#hand(() => alertOfWorkflowEvent(event, at, { project: this.#project }));
      }),
    );
  }

  /** Alerts when this circuit breaker opens. */
  watchBreaker(breaker: WatchableBreaker): Disposer {
    return this.#own(
      breaker.onOpen((opened) => {
        const at = this.#clock();
        this.#hand(() => alertOfBreaker(opened, at, { project: this.#project }));
      }),
    );
  }

  /**
   * Alerts when any breaker of `source` opens: those it has now, and those added later
   * when it tells of them (a `BreakerRegistry` does). `createExecutors()` gives its own.
   */
  watchBreakers(source: WatchableBreakers | { readonly breakers: WatchableBreakers }): Disposer {
    const registry = 'breakers' in source ? source.breakers : source;
    const watched = new Map<string, Disposer>();
    const watchOne = (breaker: WatchableBreaker) => {
      watched.get(breaker.name)?.();
      watched.set(breaker.name, this.watchBreaker(breaker));
    };
    for (const name of registry.names()) {
      const breaker = registry.get(name);
      if (breaker) watchOne(breaker);
    }
    const stopAdding = registry.onAdd?.(watchOne);
    return this.#own(() => {
      stopAdding?.();
      for (const dispose of watched.values()) dispose();
      watched.clear();
    });
  }

  /** Sends an alert of the application's own, under the same cooldown and queue. */
  notify(alert: Omit<Alert, 'heldBack' | 'notSent' | 'at' | 'project'> & { at?: number }): void {
    const at = alert.at ?? this.#clock();
    this.#hand(() => ({ ...alert, at, project: this.#project, heldBack: 0, notSent: 0 }));
  }

  stats(): AlertsStats {
    return { ...this.#stats, queued: this.#queue.length + this.#inbox.length };
  }

  /** Resolves once nothing is waiting, queued or being delivered. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops listening, sends what the cooldown still holds back, and gives what is queued
   * `graceMs` to go out; what is left then is given up (and logged). Never longer.
   */
  async close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
    if (this.#closed) return;
    for (const dispose of [...this.#disposers]) dispose();
    this.#drain(true);
    for (const [key, timer] of this.#flushTimers) {
      clearTimeout(timer);
      this.#flush(key, Number.POSITIVE_INFINITY);
    }
    this.#flushTimers.clear();
    this.#pump();
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'over'>((resolve) => {
      timer = setTimeout(() => resolve('over'), graceMs);
    });
    const ended = await Promise.race([this.idle().then(() => 'idle' as const), graceOver]);
    clearTimeout(timer);
    if (ended === 'over') {
      const left = this.#queue.length + this.#inFlight;
      this.#stats.notSent += this.#queue.length;
      this.#queue.length = 0;
      this.#giveUp.abort();
      this.#log?.warn({ left, graceMs }, 'alerts not sent before the shutdown grace ended');
      await this.idle();
    }
  }

  #own(dispose: Disposer): Disposer {
    const once = () => {
      if (!this.#disposers.delete(once)) return;
      dispose();
    };
    this.#disposers.add(once);
    return once;
  }

  /** What a listener does: keep the making of the alert for later, and return at once. */
  #hand(make: () => Alert | null): void {
    if (this.#closed) return;
    this.#inbox.push(make);
    if (!this.#draining) {
      this.#draining = true;
      setImmediate(() => this.#drain());
    }
  }

  /** Makes what the inbox holds into alerts, for at most `SLICE_MS` (all of it with `whole`). */
  #drain(whole = false): void {
    const began = performance.now();
    let taken = 0;
    while (taken < this.#inbox.length) {
      const alert = this.#inbox[taken]!();
      taken += 1;
      if (alert && this.#settings.on.includes(alert.kind)) this.#admit(alert);
      if (!whole && performance.now() - began >= SLICE_MS) break;
    }
    this.#inbox.splice(0, taken);
    if (this.#inbox.length > 0) setImmediate(() => this.#drain());
    else this.#draining = false;
    this.#pump();
  }

  #admit(alert: Alert): void {
    const { cooldownMs } = this.#settings;
    const key = cooldownKey(alert);
    const admission = admitAlert(this.#marks.get(key), alert, cooldownMs);
    this.#marks.set(key, admission.mark);
    if (this.#marks.size >= this.#sweepAt) this.#sweep(alert.at);
    if (admission.send) {
      this.#enqueue(admission.send);
      return;
    }
    this.#stats.heldBack += 1;
    if (admission.flushAt !== null) this.#armFlush(key, admission.flushAt);
  }

  /**
   * Sends what `key`'s cooldown holds once it ends. A timer that fires before the clock
   * says the cooldown is over (another clock, a clock set back) is armed again: what is held
   * back waits, it is never left behind.
   */
  #armFlush(key: string, flushAt: number): void {
    if (this.#flushTimers.has(key)) return;
    const timer = setTimeout(
      () => {
        this.#flushTimers.delete(key);
        const now = this.#clock();
        this.#flush(key, now);
        const mark = this.#marks.get(key);
        if (mark?.last) this.#armFlush(key, mark.sentAt + this.#settings.cooldownMs);
      },
      Math.max(1, flushAt - this.#clock()),
    );
    timer.unref();
    this.#flushTimers.set(key, timer);
  }

  #flush(key: string, now: number): void {
    const mark = this.#marks.get(key);
    if (!mark) return;
    const flushed = flushAlert(mark, now, this.#settings.cooldownMs);
    this.#marks.set(key, flushed.mark);
    if (flushed.send) this.#enqueue(flushed.send);
  }

  /** Forgets the marks whose cooldown is over with nothing held: as many as are recent. */
  #sweep(now: number): void {
    for (const [key, mark] of this.#marks) {
      if (isSpent(mark, now, this.#settings.cooldownMs)) this.#marks.delete(key);
    }
    this.#sweepAt = Math.max(SWEEP_AT, this.#marks.size * 2);
  }

  #enqueue(alert: Alert): void {
    // Those free hands are about to take do not count against the queue.
    const free = Math.max(0, CONCURRENCY - this.#inFlight);
    if (this.#queue.length >= this.#maxQueued + free) {
      this.#queue.shift();
      this.#stats.notSent += 1;
      if (this.#notSentSince === 0) {
        this.#log?.warn(
          { maxQueued: this.#maxQueued },
          'the alert queue is full: the oldest alerts are given up, and the next one sent says how many',
        );
      }
      this.#notSentSince += 1;
    }
    this.#queue.push(alert);
    this.#pump();
  }

  /**
   * Starts deliveries while hands are free, one per turn of the event loop: starting one
   * (its JSON, its request or child) is the longest thing the alerts do at a time.
   */
  #pump(): void {
    if (this.#pumping) return;
    if (this.#inFlight >= CONCURRENCY || this.#queue.length === 0) {
      this.#resolveIfIdle();
      return;
    }
    this.#pumping = true;
    setImmediate(() => {
      this.#pumping = false;
      this.#startOne();
      this.#pump();
    });
  }

  #startOne(): void {
    if (this.#inFlight >= CONCURRENCY || this.#queue.length === 0) return;
    const alert = { ...this.#queue.shift()!, notSent: this.#notSentSince };
    this.#notSentSince = 0;
    this.#inFlight += 1;
    this.#deliver(alert)
      .catch((err: unknown) => this.#log?.error({ err }, 'an alert could not be sent'))
      .finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
  }

  #resolveIfIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #isIdle(): boolean {
    return this.#inbox.length === 0 && this.#queue.length === 0 && this.#inFlight === 0;
  }

  async #deliver(alert: Alert): Promise<void> {
    const failures = await deliverAlert(alert, {
      settings: this.#settings,
      cwd: this.#cwd,
      signal: this.#giveUp.signal,
    });
    for (const { target, tries, error } of failures) {
      this.#log?.error(
        { target, kind: alert.kind, process: alert.process, tries, error },
        `could not deliver an alert (${target})`,
      );
    }
    if (failures.length === 0) this.#stats.sent += 1;
    else this.#stats.failed += 1;
  }
}

/** A supervisor's `get(name).namespace`, when the source has a `get` that answers at once. */
function namespaceFrom(source: AlertEventSource): (name: string) => string | null {
  const get = (source as { get?: (name: string) => unknown }).get;
  if (typeof get !== 'function') return () => null;
  return (name) => {
    const details = get.call(source, name) as { namespace?: unknown } | undefined;
    return typeof details?.namespace === 'string' ? details.namespace : null;
  };
}

/** A lookup that throws (a process removed since) names no namespace. */
function safely(lookup: (name: string) => string | null): (name: string) => string | null {
  return (name) => {
    try {
      return lookup(name);
    } catch {
      return null;
    }
  };
}
