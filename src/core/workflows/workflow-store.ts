/**
 * What the workflow engine needs of a store. In memory for tests, a SQLite file by
 * default, PostgreSQL for workers on several machines: each passes one contract suite.
 *
 * Every write a worker makes to a run it holds is fenced by its lease: it names the worker
 * and is refused (false, nothing written) once another worker has taken the run over, so
 * that a worker that stalled past its lease cannot record over its successor.
 */
import type {
  DeadLetter,
  Json,
  NewDeadLetter,
  NewRun,
  RunStatus,
  StepRecord,
  StoredError,
  WorkflowRun,
} from './records.js';

export interface RunFilter {
  readonly workflow?: string;
  readonly statuses?: readonly RunStatus[];
  /** Only runs this worker holds or held last (`owner`), its lease ended or not. */
  readonly owner?: string;
  /** Most runs answered, newest first. Default: 100. */
  readonly limit?: number;
  /**
   * Only runs whose `updatedAt` is at or after it (store clock), then answered least
   * recently updated first (ties as created): what a watcher polls for what changed, a
   * page at a time, going on from the last `updatedAt` it was answered.
   */
  readonly updatedSince?: number;
}

/**
 * Upper bounds (ms, inclusive) of the buckets `WorkflowStats` counts steps' durations in;
 * the last bucket, past them, holds the rest.
 */
export const STEP_DURATION_BUCKETS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
];

/** What a store holds, counted for metrics: cheap to answer however many runs it keeps. */
/** Which dead letters to list. */
export interface DeadLetterFilter {
  readonly workflow?: string;
  /** Only letters whose id starts with this: a user names a letter by the start of its id. */
  readonly idPrefix?: string;
  /** Default 100. */
  readonly limit?: number;
}

export interface WorkflowStats {
  readonly runs: readonly {
    readonly workflow: string;
    readonly status: RunStatus;
    readonly count: number;
  }[];
  readonly deadLetters: readonly { readonly workflow: string; readonly count: number }[];
  /**
   * The recorded steps of kind `step` (a sleep is no work) by workflow, of every run the
   * store ever recorded: their count, their durations (`finishedAt - startedAt`) summed, and
   * how many fell in each bucket of `STEP_DURATION_BUCKETS_MS` (one count per bucket, the
   * last for longer ones; not cumulative).
   */
  readonly steps: readonly {
    readonly workflow: string;
    readonly count: number;
    readonly durationMs: number;
    readonly buckets: readonly number[];
  }[];
}

/** The bucket of `STEP_DURATION_BUCKETS_MS` a step of `durationMs` falls in. */
export function stepDurationBucket(durationMs: number): number {
  const index = STEP_DURATION_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? STEP_DURATION_BUCKETS_MS.length : index;
}

/** Recorded steps of one workflow that fell in one bucket: what stores count or aggregate. */
export interface StepBucketCount {
  readonly workflow: string;
  readonly bucket: number;
  readonly count: number;
  readonly durationMs: number;
}

/**
 * Bucket counts folded into `WorkflowStats.steps`, one entry per workflow. A bucket past
 * today's bounds (counted by a later version) goes in the last one.
 */
export function stepTotals(counts: Iterable<StepBucketCount>): WorkflowStats['steps'] {
  const byWorkflow = new Map<
    string,
    { workflow: string; count: number; durationMs: number; buckets: number[] }
  >();
  for (const { workflow, bucket, count, durationMs } of counts) {
    const totals = byWorkflow.get(workflow) ?? {
      workflow,
      count: 0,
      durationMs: 0,
      buckets: new Array<number>(STEP_DURATION_BUCKETS_MS.length + 1).fill(0),
    };
    totals.count += count;
    totals.durationMs += durationMs;
    totals.buckets[Math.min(bucket, STEP_DURATION_BUCKETS_MS.length)]! += count;
    byWorkflow.set(workflow, totals);
  }
  return [...byWorkflow.values()];
}

export interface ClaimOptions {
  /** Most runs claimed. */
  readonly limit: number;
  /** How long the claim holds unless renewed, in ms. */
  readonly leaseMs: number;
  /** Only runs of these workflows (the ones the claimer defined). Default: any. */
  readonly workflows?: readonly string[];
  /** Only this run. */
  readonly runId?: string;
}

/** How a run ends. */
export type RunEnd =
  | { readonly status: 'completed'; readonly output?: Json }
  | { readonly status: 'failed'; readonly error: StoredError; readonly deadLetter?: NewDeadLetter };

export interface WorkflowStore {
  /** The store's clock, in ms since the epoch: leases and wake times are read by it. */
  now(): Promise<number>;

  /**
   * Creates `run` as `pending` unless a run with its id exists; answers the stored run
   * and whether it was created now. A second start with one id is the same run.
   */
  createRun(run: NewRun): Promise<{ readonly run: WorkflowRun; readonly created: boolean }>;
  run(id: string): Promise<WorkflowRun | undefined>;
  runs(filter?: RunFilter): Promise<WorkflowRun[]>;
  /** The recorded steps of a run, by index. */
  steps(runId: string): Promise<StepRecord[]>;

  /**
   * Takes up to `limit` runs for `worker`, oldest first: pending ones, sleeping ones whose
   * `wakeAt` has passed, running ones whose lease has ended. Each becomes `running`, owned
   * by `worker`, its lease ending `leaseMs` from now. Two claimers never get one run. (A
   * worker taking back what its previous life held first releases those runs.)
   */
  claim(worker: string, options: ClaimOptions): Promise<WorkflowRun[]>;
  /** Extends `worker`'s leases on `runIds`; answers the ids it still holds. */
  renew(worker: string, runIds: readonly string[], leaseMs: number): Promise<string[]>;
  /** Lets go of runs `worker` holds: `pending` again, for any worker to claim. */
  release(worker: string, runIds: readonly string[]): Promise<void>;

  /**
   * Records a step of a run `worker` holds. False, and nothing written, when the lease is
   * lost or a step is already recorded at that index.
   */
  recordStep(worker: string, step: StepRecord): Promise<boolean>;
  /** Counts a failed attempt of step `name` on a run `worker` holds. */
  countStepFailure(worker: string, runId: string, name: string): Promise<boolean>;
  /** Puts a run `worker` holds to sleep until `wakeAt`, letting go of it. */
  sleepRun(worker: string, runId: string, wakeAt: number): Promise<boolean>;
  /**
   * Ends a run `worker` holds; a failure with a dead letter files the letter in the same
   * transaction. False, and nothing written, when the lease is lost.
   */
  finishRun(worker: string, runId: string, end: RunEnd): Promise<boolean>;

  /** Dead letters, newest first (`limit` default 100). */
  deadLetters(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  deadLetter(id: string): Promise<DeadLetter | undefined>;
  /**
   * Takes a dead letter back: deletes it and makes its run `pending` again, its error
   * cleared, its recorded steps kept (the failed step was never recorded, so it runs
   * again). Answers the run, or undefined when no such letter exists.
   */
  retryDeadLetter(id: string): Promise<WorkflowRun | undefined>;
  /** Deletes a dead letter (its run stays failed); false when no such letter exists. */
  dropDeadLetter(id: string): Promise<boolean>;

  /** Runs by workflow and status, dead letters and recorded steps by workflow. */
  stats(): Promise<WorkflowStats>;

  close(): Promise<void>;
}
