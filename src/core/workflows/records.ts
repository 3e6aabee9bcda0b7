/**
 * Workflow runs, their recorded steps and dead letters as plain data: what a workflow
 * store keeps and what the engine, the CLI and the HTTP API read. Times are ms since the
 * epoch by the store's clock (the database's, on PostgreSQL), so that workers on several
 * machines agree on when a lease ends.
 */

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json };

/**
 * - `pending`: waiting for a worker (new, released, or retried from a dead letter);
 * - `running`: held by a worker, whose lease must be renewed before `leaseUntil`;
 * - `sleeping`: in a durable sleep until `wakeAt`, then claimable again;
 * - `completed`: its function returned `output`;
 * - `failed`: ended by `error` (a step out of retries files a dead letter; a run whose
 *   steps no longer match what was recorded, or whose function threw outside a step,
 *   fails without one).
 */
export type RunStatus = 'pending' | 'running' | 'sleeping' | 'completed' | 'failed';

export const RUN_STATUSES: readonly RunStatus[] = [
  'pending',
  'running',
  'sleeping',
  'completed',
  'failed',
];

/** A run still to finish: what `recover()` and the workers pick up. */
export const UNFINISHED_RUN_STATUSES: readonly RunStatus[] = ['pending', 'running', 'sleeping'];

/** An error as stored: what a person needs to see why, with its stack. */
export interface StoredError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export interface WorkflowRun {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly input: Json;
  /** What the function returned (`completed`); absent for `undefined`. */
  readonly output?: Json;
  /** Why it failed (`failed`). */
  readonly error?: StoredError;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The worker holding it (`running`). */
  readonly owner?: string;
  /** When the holder's lease ends unless renewed (`running`). */
  readonly leaseUntil?: number;
  /** When its sleep ends (`sleeping`). */
  readonly wakeAt?: number;
  /** Failed attempts by step name, over the whole run (retries of dead letters included). */
  readonly stepFailures: Readonly<Record<string, number>>;
}

/** A run as `start` creates it. */
export interface NewRun {
  readonly id: string;
  readonly workflow: string;
  readonly input: Json;
}

/**
 * A step whose result is recorded: on resume, the step at `index` returns `output`
 * without running again. A durable sleep is recorded too, with when it ends, so that a
 * resumed run sleeps only what is left.
 */
export interface StepRecord {
  readonly runId: string;
  /** Its place in the run, from 0: the n-th `step` or `sleep` the function called. */
  readonly index: number;
  readonly name: string;
  readonly kind: 'step' | 'sleep';
  /** The step's result; absent for `undefined` (and for a sleep). */
  readonly output?: Json;
  /** When the sleep ends (`sleep`). */
  readonly wakeAt?: number;
  /** Attempts it took (1: it succeeded at once). */
  readonly attempts: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** A step that ran out of retries, parked for a person to look at, retry or drop. */
export interface DeadLetter {
  readonly id: string;
  readonly runId: string;
  readonly workflow: string;
  readonly step: string;
  readonly stepIndex: number;
  /** The run's input. */
  readonly input: Json;
  readonly error: StoredError;
  readonly attempts: number;
  readonly failedAt: number;
}

/** A dead letter as the engine files it; the store gives it its id and time. */
export type NewDeadLetter = Omit<DeadLetter, 'id' | 'failedAt'>;
