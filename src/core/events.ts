/**
 * The typed events a supervisor emits, colon-namespaced. Every event carries `at`, the
 * epoch milliseconds when it happened.
 */
import type { LimitAction, LimitResource, Severity } from './limits/limits.js';
import type { Priority } from './process/spec.js';
import type { Health, Status } from './process/state.js';
import type { SupervisorStats } from './stats.js';
import type { TaskResult } from './tasks/task.js';
import type { FireAction } from './triggers.js';

interface ProcessEventBase {
  readonly name: string;
  readonly at: number;
}

export interface ProcessEventMap {
  /** Announced on entering `pending`, and again each time what it waits for changes. */
  'process:pending': ProcessEventBase & {
    readonly reason: string;
    /**
     * Present when what it waits for will not come unless someone asks, or not before its
     * time (a dependency stopped on request, a breaker's later try, a schedule's next fire):
     * a command waiting on it returns instead of waiting for ever.
     */
    readonly blocked?: true;
  };
  /**
   * Announced on admission with reason `spawning` (`SPAWNING`); announced again when what
   * its readiness check says changes (`readiness: connection refused ×1 since 10:42:01`).
   */
  'process:starting': ProcessEventBase & { readonly reason: string };
  'process:started': ProcessEventBase & { readonly pid: number };
  'process:ready': ProcessEventBase;
  'process:exit': ProcessEventBase & {
    readonly code: number | null;
    readonly signal: string | null;
    readonly runMs: number;
    readonly killedAfterTimeout: boolean;
    /** Why the run ended: `stop requested`, `restart requested`, a probe or limit, or the exit itself (`exited with code 1`). */
    readonly reason: string;
  };
  'process:backoff': ProcessEventBase & {
    readonly attempt: number;
    readonly delayMs: number;
    /** Why the run ended: the supervisor's own cause, or the exit (`exited with code 1`). */
    readonly reason: string;
  };
  'process:restarted': ProcessEventBase & { readonly pid: number };
  'process:failed': ProcessEventBase & {
    readonly reason: string;
    /** With `restart.cooldown`: when it is tried once more (epoch ms). */
    readonly retryAt?: number;
  };
  'process:stopped': ProcessEventBase;
  'process:completed': ProcessEventBase & { readonly code: number | null };
  /**
   * Waiting for its schedule's next fire (`nextRunAt`, epoch ms); `reason` says when, and how
   * the last run went when it went wrong (`next run at 10:42:00 (*\/5 * * * *); last run: exited with code 1`).
   */
  'process:scheduled': ProcessEventBase & { readonly nextRunAt: number; readonly reason: string };
  /**
   * Its schedule's fire time `fireAt` came, and what it did: `run`, or with a run still
   * going, per `overlap`: `skip`, `queue` one run after it, or `replace` it.
   */
  'process:fired': ProcessEventBase & {
    readonly fireAt: number;
    readonly action: FireAction;
  };
  /** A signal was sent to its process group on request. */
  'process:signalled': ProcessEventBase & { readonly signal: string };
  'process:health': ProcessEventBase & { readonly from: Health; readonly to: Health };
  /** A resource limit was breached (see `core/limits/limits.ts`); `value` and `limit` in the resource's unit. */
  'process:limit': ProcessEventBase & {
    readonly resource: LimitResource;
    /** Bytes (memory), % of one core (cpu), ms (max_runtime) or descriptors (open_files). */
    readonly value: number;
    readonly limit: number;
    readonly action: LimitAction;
    readonly severity: Severity;
    /** Breaches of this resource held back by the alert cooldown since the last announced one. */
    readonly suppressed: number;
    /** `memory 300MB over limit 256MB`, `max_runtime 10m reached`. */
    readonly reason: string;
  };
}

/** One issue of a config that was not applied: where, and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export interface SupervisorEventMap extends ProcessEventMap {
  /** A changed config was applied: the declared names it added, changed and removed. */
  'config:applied': {
    readonly at: number;
    readonly added: readonly string[];
    readonly changed: readonly string[];
    readonly removed: readonly string[];
  };
  /** A changed config was refused; nothing changed. */
  'config:rejected': { readonly at: number; readonly issues: readonly ConfigIssue[] };
  /** A task was submitted and waits for a slot. */
  'task:queued': {
    readonly at: number;
    readonly id: string;
    /** The task's name (not unique: `id` is). */
    readonly task: string;
    readonly priority: Priority;
    readonly labels: Readonly<Record<string, string>>;
  };
  /** A try of a task started (`attempt` 1 for the first). */
  'task:started': {
    readonly at: number;
    readonly id: string;
    readonly task: string;
    readonly pid: number;
    readonly attempt: number;
  };
  /** A task ended: its result. */
  'task:finished': {
    readonly at: number;
    readonly id: string;
    readonly task: string;
    readonly result: TaskResult;
  };
  'supervisor:started': { readonly at: number; readonly pid: number };
  'supervisor:orphans-cleaned': { readonly at: number; readonly count: number };
  /** The supervisor has stopped everything: what it ran, as `stats()` says. */
  'supervisor:shutdown': { readonly at: number; readonly stats?: SupervisorStats };
}

export type SupervisorEventType = keyof SupervisorEventMap;

/** One event of the given type, with its `type` tag. */
export type EventOf<T extends SupervisorEventType> = { readonly type: T } & SupervisorEventMap[T];

/** Any supervisor event, discriminated by `type`. */
export type SupervisorEvent = { [T in SupervisorEventType]: EventOf<T> }[SupervisorEventType];

/** Any event about one process. */
export type ProcessEvent = { [T in keyof ProcessEventMap]: EventOf<T> }[keyof ProcessEventMap];

/**
 * The status a process is in right after an event that changes it (`process:ready` →
 * `running`); events that change no status (`process:started`, `process:exit`…) are not
 * here. Entering `stopping` is not announced: it only ever follows a request.
 */
export const STATUS_AFTER: Readonly<Partial<Record<keyof ProcessEventMap, Status>>> = {
  'process:pending': 'pending',
  'process:starting': 'starting',
  'process:ready': 'running',
  'process:backoff': 'backoff',
  'process:failed': 'failed',
  'process:stopped': 'stopped',
  'process:completed': 'completed',
  'process:scheduled': 'scheduled',
};

/** Where one process is after an event that moves it, and why when the event says. */
export interface StatusChange {
  readonly name: string;
  readonly status: Status;
  /** The reason the event carries (what a `pending` one waits for, why one failed…), or `null`. */
  readonly reason: string | null;
  /** True for a `pending` one whose wait will not end unasked (see `process:pending`). */
  readonly blocked: boolean;
}

/**
 * The change of status `event` announces (see `STATUS_AFTER`), or `null` for an event that
 * moves no process: what a client following the stream needs to keep each status current
 * without asking again.
 */
export function statusAfter(event: SupervisorEvent): StatusChange | null {
  if (!('name' in event)) return null;
  const status = STATUS_AFTER[event.type];
  if (status === undefined) return null;
  const reason = 'reason' in event ? (event.reason ?? null) : null;
  const blocked = event.type === 'process:pending' && event.blocked === true;
  return { name: event.name, status, reason, blocked };
}

/** All event types, in lifecycle order. */
export const EVENT_TYPES: readonly SupervisorEventType[] = [
  'process:pending',
  'process:starting',
  'process:started',
  'process:ready',
  'process:exit',
  'process:backoff',
  'process:restarted',
  'process:failed',
  'process:stopped',
  'process:completed',
  'process:scheduled',
  'process:fired',
  'process:health',
  'process:limit',
  'process:signalled',
  'config:applied',
  'config:rejected',
  'task:queued',
  'task:started',
  'task:finished',
  'supervisor:started',
  'supervisor:orphans-cleaned',
  'supervisor:shutdown',
];
