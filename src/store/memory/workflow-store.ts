/**
 * Workflow runs, steps and dead letters in memory: the reference the contract suite holds
 * the SQLite and PostgreSQL stores to, and a store for tests. Nothing survives the process.
 */
import type {
  DeadLetter,
  NewRun,
  RunStatus,
  StepRecord,
  WorkflowRun,
} from '../../core/workflows/records.js';
import {
  type ClaimOptions,
  type DeadLetterFilter,
  type RunEnd,
  type RunFilter,
  type StepBucketCount,
  stepDurationBucket,
  stepTotals,
  type WorkflowStats,
  type WorkflowStore,
} from '../../core/workflows/workflow-store.js';

export interface MemoryWorkflowStoreOptions {
  /** The store's clock; `Date.now` if not given. */
  readonly clock?: () => number;
}

export class MemoryWorkflowStore implements WorkflowStore {
  readonly #clock: () => number;
  readonly #runs = new Map<string, WorkflowRun>();
  readonly #steps = new Map<string, StepRecord[]>();
  readonly #letters = new Map<string, DeadLetter>();
  /** Orders runs created in one ms as they were created. */
  #created = 0;
  readonly #order = new Map<string, number>();
  #letterIds = 0;

  constructor(options: MemoryWorkflowStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  async now(): Promise<number> {
    return this.#clock();
  }

  async createRun(run: NewRun) {
    const known = this.#runs.get(run.id);
    if (known) return { run: known, created: false };
    const now = this.#clock();
    const created: WorkflowRun = {
      ...run,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      stepFailures: {},
    };
    this.#runs.set(run.id, created);
    this.#order.set(run.id, this.#created++);
    this.#steps.set(run.id, []);
    return { run: created, created: true };
  }

  async run(id: string) {
    return this.#runs.get(id);
  }

  async runs(filter: RunFilter = {}) {
    const { updatedSince } = filter;
    const byCreation = (a: WorkflowRun, b: WorkflowRun) =>
      this.#order.get(a.id)! - this.#order.get(b.id)!;
    return [...this.#runs.values()]
      .filter((run) => filter.workflow === undefined || run.workflow === filter.workflow)
      .filter((run) => filter.statuses === undefined || filter.statuses.includes(run.status))
      .filter((run) => filter.owner === undefined || run.owner === filter.owner)
      .filter((run) => updatedSince === undefined || run.updatedAt >= updatedSince)
      .sort(
        updatedSince === undefined
          ? (a, b) => byCreation(b, a)
          : (a, b) => a.updatedAt - b.updatedAt || byCreation(a, b),
      )
      .slice(0, filter.limit ?? 100);
  }

  async steps(runId: string) {
    return [...(this.#steps.get(runId) ?? [])];
  }

  async claim(worker: string, options: ClaimOptions) {
    const now = this.#clock();
    const claimable = (run: WorkflowRun) =>
      (options.runId === undefined || run.id === options.runId) &&
      (options.workflows === undefined || options.workflows.includes(run.workflow)) &&
      (run.status === 'pending' ||
        (run.status === 'sleeping' && run.wakeAt! <= now) ||
        (run.status === 'running' && run.leaseUntil! <= now));
    const claimed = [...this.#runs.values()]
      .filter(claimable)
      .sort((a, b) => this.#order.get(a.id)! - this.#order.get(b.id)!)
      .slice(0, options.limit)
      .map((run) =>
        this.#update(run.id, {
          status: 'running',
          owner: worker,
          leaseUntil: now + options.leaseMs,
          wakeAt: undefined,
        }),
      );
    return claimed;
  }

  async renew(worker: string, runIds: readonly string[], leaseMs: number) {
    const now = this.#clock();
    return runIds.filter((id) => {
      if (!this.#holds(worker, id, now)) return false;
      this.#update(id, { leaseUntil: now + leaseMs }, false);
      return true;
    });
  }

  async release(worker: string, runIds: readonly string[]) {
    const now = this.#clock();
    for (const id of runIds) {
      if (this.#holds(worker, id, now)) {
        this.#update(id, { status: 'pending', owner: undefined, leaseUntil: undefined });
      }
    }
  }

  async recordStep(worker: string, step: StepRecord) {
    const steps = this.#steps.get(step.runId);
    if (!steps || !this.#holds(worker, step.runId, this.#clock())) return false;
    if (steps.some((recorded) => recorded.index === step.index)) return false;
    steps.push(step);
    steps.sort((a, b) => a.index - b.index);
    this.#update(step.runId, {});
    return true;
  }

  async countStepFailure(worker: string, runId: string, name: string) {
    const run = this.#runs.get(runId);
    if (!run || !this.#holds(worker, runId, this.#clock())) return false;
    // Own counts only: a step named `constructor` must not read the prototype's.
    const counted = Object.hasOwn(run.stepFailures, name) ? run.stepFailures[name]! : 0;
    const stepFailures = { ...run.stepFailures, [name]: counted + 1 };
    this.#update(runId, { stepFailures });
    return true;
  }

  async sleepRun(worker: string, runId: string, wakeAt: number) {
    if (!this.#holds(worker, runId, this.#clock())) return false;
    this.#update(runId, { status: 'sleeping', wakeAt, owner: undefined, leaseUntil: undefined });
    return true;
  }

  async finishRun(worker: string, runId: string, end: RunEnd) {
    const now = this.#clock();
    if (!this.#holds(worker, runId, now)) return false;
    const ended =
      end.status === 'completed'
        ? {
            status: end.status,
            ...('output' in end && end.output !== undefined && { output: end.output }),
          }
        : { status: end.status, error: end.error };
    this.#update(runId, { ...ended, owner: undefined, leaseUntil: undefined });
    if (end.status === 'failed' && end.deadLetter) {
      const id = `dl-${++this.#letterIds}`;
      this.#letters.set(id, { ...end.deadLetter, id, failedAt: now });
    }
    return true;
  }

  async deadLetters(filter: DeadLetterFilter = {}) {
    return [...this.#letters.values()]
      .filter((letter) => filter.workflow === undefined || letter.workflow === filter.workflow)
      .filter((letter) => filter.idPrefix === undefined || letter.id.startsWith(filter.idPrefix))
      .reverse()
      .slice(0, filter.limit ?? 100);
  }

  async deadLetter(id: string) {
    return this.#letters.get(id);
  }

  async retryDeadLetter(id: string) {
    const letter = this.#letters.get(id);
    if (!letter) return undefined;
    this.#letters.delete(id);
    const run = this.#update(letter.runId, { status: 'pending', error: undefined });
    return run;
  }

  async dropDeadLetter(id: string) {
    return this.#letters.delete(id);
  }

  async stats(): Promise<WorkflowStats> {
    const runs = new Map<string, { workflow: string; status: RunStatus; count: number }>();
    const steps: StepBucketCount[] = [];
    for (const run of this.#runs.values()) {
      const key = JSON.stringify([run.workflow, run.status]);
      const counted = runs.get(key) ?? { workflow: run.workflow, status: run.status, count: 0 };
      runs.set(key, { ...counted, count: counted.count + 1 });
      for (const step of this.#steps.get(run.id) ?? []) {
        if (step.kind !== 'step') continue;
        const durationMs = step.finishedAt - step.startedAt;
        const bucket = stepDurationBucket(durationMs);
        steps.push({ workflow: run.workflow, bucket, count: 1, durationMs });
      }
    }
    const letters = new Map<string, number>();
    for (const letter of this.#letters.values()) {
      letters.set(letter.workflow, (letters.get(letter.workflow) ?? 0) + 1);
    }
    return {
      runs: [...runs.values()],
      deadLetters: [...letters].map(([workflow, count]) => ({ workflow, count })),
      steps: stepTotals(steps),
    };
  }

  async close() {}

  #holds(worker: string, runId: string, now: number): boolean {
    const run = this.#runs.get(runId);
    return run?.status === 'running' && run.owner === worker && run.leaseUntil! > now;
  }

  /** Changes a run: fields set to undefined are removed. `touch`: set `updatedAt` too. */
  #update(id: string, changes: Partial<WorkflowRun>, touch = true): WorkflowRun {
    const merged: Record<string, unknown> = { ...this.#runs.get(id)!, ...changes };
    if (touch) merged.updatedAt = this.#clock();
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    const run = merged as unknown as WorkflowRun;
    this.#runs.set(id, run);
    return run;
  }
}
