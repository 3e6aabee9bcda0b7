/**
 * The workflow engine over one store: workflows defined by name, runs started (and by
 * default executed here at once), resumed by `recover()` after a crash, claimed by
 * workers with a lease that this engine renews for every run it executes, and their dead
 * letters. Several engines, in several processes or on several machines, may share one
 * store: the leases keep each run with one of them at a time.
 */
import { randomUUID } from 'node:crypto';
import type { Disposer } from '../core/subscription.js';
import { jsonProblem } from '../core/workflows/json-value.js';
import type { DeadLetter, Json, StepRecord, WorkflowRun } from '../core/workflows/records.js';
import type { RunFilter, WorkflowStore } from '../core/workflows/workflow-store.js';
import { Listeners, type PolicyListener } from '../resilience/listeners.js';
import { WorkflowFailedError } from './errors.js';
import type { WorkflowEvent } from './events.js';
import { type ExecutionOutcome, executeRun, type WorkflowFunction } from './execute-run.js';
import { LeaseRenewal } from './lease-renewal.js';
import type { WorkflowContext } from './run-context.js';
import { RunWaiters } from './run-waiters.js';
import { startWorker, type WorkerOptions, type WorkflowWorker } from './worker.js';
import { defaultWorkerId } from './worker-id.js';

export interface WorkflowEngineOptions {
  readonly store: WorkflowStore;
  /** Names this engine in leases; default `<host>/<process>#<instance>` under overseer, else `<host>/pid-<pid>`. */
  readonly workerId?: string;
  /** How long a claim holds unless renewed; renewed every third of it. Default 30 s. */
  readonly leaseMs?: number;
  /** How often `result()` looks at the store for a run executed elsewhere. Default 250 ms. */
  readonly pollMs?: number;
}

export interface StartOptions {
  /** Names the run: a second start with one id is the same run. Default: a random UUID. */
  readonly id?: string;
  /** Leave the run to a worker rather than executing it here. */
  readonly enqueue?: boolean;
}

export interface RunHandle<O> {
  readonly id: string;
  /** Whether this start created the run (false: it existed, from an earlier start). */
  readonly created: boolean;
  /** Resolves with the run's output once it completed; rejects with `WorkflowFailedError`. */
  result(): Promise<O>;
  /** The run as stored now. */
  run(): Promise<WorkflowRun>;
}

export interface Workflow<I extends Json, O> {
  readonly name: string;
  start(input: I, options?: StartOptions): Promise<RunHandle<O>>;
}

export interface DeadLetters {
  list(filter?: { readonly workflow?: string; readonly limit?: number }): Promise<DeadLetter[]>;
  show(id: string): Promise<DeadLetter | undefined>;
  /** Resumes the run at the failed step (its completed steps untouched); undefined for an unknown id. */
  retry(id: string): Promise<WorkflowRun | undefined>;
  drop(id: string): Promise<boolean>;
}

interface Execution {
  readonly controller: AbortController;
  reason: 'stopping' | 'lease lost';
  readonly done: Promise<ExecutionOutcome>;
}

export class WorkflowEngine {
  readonly store: WorkflowStore;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly deadLetters: DeadLetters;
  readonly #pollMs: number;
  readonly #definitions = new Map<string, WorkflowFunction<Json, unknown>>();
  readonly #executing = new Map<string, Execution>();
  readonly #wakeTimers = new Map<string, NodeJS.Timeout>();
  readonly #workers = new Set<WorkflowWorker>();
  readonly #events = new Listeners<WorkflowEvent>();
  readonly #errors = new Listeners<unknown>();
  readonly #waiters = new RunWaiters();
  readonly #leases: LeaseRenewal;
  #closed = false;

  constructor(options: WorkflowEngineOptions) {
    this.store = options.store;
    this.workerId = options.workerId ?? defaultWorkerId();
    this.leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 250;
    this.#leases = new LeaseRenewal({
      store: this.store,
      worker: this.workerId,
      leaseMs: this.leaseMs,
      held: () => [...this.#executing.keys()],
      onLost: (runId) => {
        const execution = this.#executing.get(runId);
        if (!execution || execution.controller.signal.aborted) return;
        execution.reason = 'lease lost';
        execution.controller.abort(new Error(`the lease on run ${runId} was lost`));
      },
      report: (error) => this.#report(error),
    });
    if (!Number.isFinite(this.leaseMs) || this.leaseMs < 30) {
      throw new RangeError(`workflows: leaseMs must be at least 30 ms, got ${options.leaseMs}`);
    }
    this.deadLetters = {
      list: (filter) => this.store.deadLetters(filter),
      show: (id) => this.store.deadLetter(id),
      retry: async (id) => {
        const run = await this.store.retryDeadLetter(id);
        if (run && this.#definitions.has(run.workflow) && !this.#closed) void this.#drive(run.id);
        return run;
      },
      drop: (id) => this.store.dropDeadLetter(id),
    };
  }

  /** Defines the workflow `name`; its function is called for each run, and again on resume. */
  define<I extends Json = Json, O = unknown>(
    name: string,
    fn: (context: WorkflowContext, input: I) => Promise<O>,
  ): Workflow<I, O> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError('workflows: a workflow needs a name');
    }
    if (this.#definitions.has(name)) throw new TypeError(`workflows: ${name} is already defined`);
    this.#definitions.set(name, fn as WorkflowFunction<Json, unknown>);
    return { name, start: (input, options) => this.#start<O>(name, input, options) };
  }

  /** The workflows defined here, by name. */
  get defined(): string[] {
    return [...this.#definitions.keys()];
  }

  run(id: string): Promise<WorkflowRun | undefined> {
    return this.store.run(id);
  }

  runs(filter?: RunFilter): Promise<WorkflowRun[]> {
    return this.store.runs(filter);
  }

  steps(runId: string): Promise<StepRecord[]> {
    return this.store.steps(runId);
  }

  /**
   * Resumes every run a crash interrupted (and every run waiting) of the workflows defined
   * here, `concurrency` at a time; resolves with how many it took up, once each has
   * completed, failed or gone to sleep.
   */
  async recover(options: { readonly concurrency?: number } = {}): Promise<number> {
    const concurrency = options.concurrency ?? 20;
    await this.#releaseOwnLeftovers();
    let taken = 0;
    const running = new Set<Promise<unknown>>();
    for (;;) {
      this.#refuseIfClosed();
      const free = concurrency - running.size;
      let fresh: WorkflowRun[] = [];
      if (free > 0) {
        const runs = await this.store.claim(this.workerId, {
          limit: free,
          leaseMs: this.leaseMs,
          workflows: this.defined,
        });
        fresh = runs.filter((run) => !this.#executing.has(run.id));
        taken += fresh.length;
        for (const run of fresh) {
          const done = this.#execute(run).finally(() => running.delete(done));
          running.add(done);
        }
      }
      if (fresh.length === 0 && running.size === 0) return taken;
      if (fresh.length > 0 && running.size < concurrency) continue;
      await Promise.race(running);
    }
  }

  /**
   * Lets go of the runs this worker's name holds that it is not executing: a previous life
   * of it held them when it crashed. Pending again, they are claimed as any other, at once
   * rather than when their leases run out.
   */
  async #releaseOwnLeftovers(): Promise<void> {
    const held = await this.store.runs({
      statuses: ['running'],
      owner: this.workerId,
      limit: 1_000_000,
    });
    const leftovers = held.filter((run) => !this.#executing.has(run.id)).map((run) => run.id);
    if (leftovers.length > 0) await this.store.release(this.workerId, leftovers);
  }

  /**
   * Claims runs as they come, `concurrency` at a time, until `stop()`; first, like
   * `recover()`, it lets go of what a previous life under its name left, to take it up.
   */
  worker(options: WorkerOptions = {}): WorkflowWorker {
    this.#refuseIfClosed();
    const worker = startWorker(options, {
      prepare: () => this.#releaseOwnLeftovers(),
      claim: async (limit) =>
        this.#closed
          ? []
          : this.store.claim(this.workerId, {
              limit,
              leaseMs: this.leaseMs,
              workflows: this.defined,
            }),
      execute: (run) => this.#execute(run),
      isExecuting: (id) => this.#executing.has(id),
      report: (error) => this.#report(error),
      onStop: () => this.#workers.delete(worker),
    });
    this.#workers.add(worker);
    return worker;
  }

  onEvent(listener: PolicyListener<WorkflowEvent>): Disposer {
    return this.#events.add(listener);
  }

  /**
   * Told of what went wrong outside any run's own outcome: the store unreachable during a
   * renewal or a write. Without a listener, written to stderr.
   */
  onError(listener: PolicyListener<unknown>): Disposer {
    return this.#errors.add(listener);
  }

  /**
   * Stops the workers, lets go of the runs executing here (each `pending` again, its step
   * in flight to run again wherever it is taken up), and clears the timers. The store is
   * left open: whoever opened it closes it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#wakeTimers.values()) clearTimeout(timer);
    this.#wakeTimers.clear();
    const executions = [...this.#executing.values()];
    for (const execution of executions) {
      execution.reason = 'stopping';
      execution.controller.abort(new Error('the workflow engine is closing'));
    }
    await Promise.all([...this.#workers].map((worker) => worker.stop()));
    await Promise.allSettled(executions.map((execution) => execution.done));
    this.#waiters.closeAll();
  }

  async #start<O>(name: string, input: Json, options: StartOptions = {}): Promise<RunHandle<O>> {
    this.#refuseIfClosed();
    const problem = input === undefined ? 'the input is undefined (use null)' : jsonProblem(input);
    if (problem) throw new TypeError(`workflow ${name}: the input is not plain JSON: ${problem}`);
    const id = options.id ?? randomUUID();
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`workflow ${name}: a run id must be a non-empty string`);
    const { run, created } = await this.store.createRun({ id, workflow: name, input });
    if (run.workflow !== name) {
      throw new TypeError(
        `workflow ${name}: run ${id} already exists, of workflow ${run.workflow}`,
      );
    }
    if (!options.enqueue && run.status === 'pending') void this.#drive(id);
    return {
      id,
      created,
      result: () => this.#result<O>(id),
      run: async () => (await this.store.run(id))!,
    };
  }

  /** Claims one run and executes it here, if it is free to take. */
  async #drive(runId: string): Promise<void> {
    if (this.#closed || this.#executing.has(runId)) return;
    try {
      const [run] = await this.store.claim(this.workerId, {
        limit: 1,
        leaseMs: this.leaseMs,
        runId,
        workflows: this.defined,
      });
      if (run) await this.#execute(run);
    } catch (error) {
      this.#report(error);
    }
  }

  #execute(run: WorkflowRun): Promise<ExecutionOutcome> {
    const known = this.#executing.get(run.id);
    if (known) return known.done;
    const fn = this.#definitions.get(run.workflow)!;
    const controller = new AbortController();
    const execution: Execution = {
      controller,
      reason: 'lease lost',
      done: Promise.resolve().then(() =>
        executeRun({
          store: this.store,
          worker: this.workerId,
          run,
          fn,
          signal: controller.signal,
          abortReason: () => execution.reason,
          emit: (event) => this.#events.emit(event),
        }),
      ),
    };
    this.#executing.set(run.id, execution);
    this.#leases.start();
    return execution.done.then(
      (outcome) => this.#ended(run.id, outcome),
      (error: unknown) => {
        // The store failed under the execution: nothing is known to be written, and the
        // lease, no longer renewed, lets another worker take the run over.
        this.#report(error);
        return this.#ended(run.id, { kind: 'interrupted', why: 'lease lost' });
      },
    );
  }

  async #ended(runId: string, outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
    this.#executing.delete(runId);
    if (this.#executing.size === 0) this.#leases.stop();
    try {
      if (outcome.kind === 'interrupted' && outcome.why === 'stopping') {
        await this.store.release(this.workerId, [runId]);
      }
      if (outcome.kind === 'sleeping' && !this.#closed) {
        const delay = Math.max(0, outcome.wakeAt - (await this.store.now()));
        const timer = setTimeout(() => {
          this.#wakeTimers.delete(runId);
          void this.#drive(runId);
        }, delay);
        timer.unref();
        this.#wakeTimers.set(runId, timer);
      }
    } catch (error) {
      this.#report(error);
    }
    this.#waiters.notify(runId);
    return outcome;
  }

  async #result<O>(runId: string): Promise<O> {
    for (;;) {
      const settled = this.#waiters.next(runId, this.#pollMs);
      const run = await this.store.run(runId);
      if (!run) throw new TypeError(`workflow run ${runId} does not exist`);
      if (run.status === 'completed') return run.output as O;
      if (run.status === 'failed') throw new WorkflowFailedError(runId, run.error!);
      await settled;
    }
  }

  #report(error: unknown): void {
    if (this.#errors.size > 0) return this.#errors.emit(error);
    process.stderr.write(
      `overseer workflows: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }

  #refuseIfClosed(): void {
    if (this.#closed) throw new Error('the workflow engine is closed');
  }
}
