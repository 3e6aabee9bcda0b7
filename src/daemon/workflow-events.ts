/**
 * The `workflow:*` events of `/events`, for runs that worker processes execute and record
 * in the project's workflow store: while someone listens, the store is polled for the runs
 * updated since the last look, and the events derived from what changed in each
 * (core/workflows/run-changes.ts). A listener hears of what happens after the watch began,
 * never of what was already there.
 */
import type { Disposer } from '../core/subscription.js';
import type { WorkflowEvent } from '../core/workflows/events.js';
import {
  type DeadLetter,
  UNFINISHED_RUN_STATUSES,
  type WorkflowRun,
} from '../core/workflows/records.js';
import { eventsOfChange, type SeenRun, seenAtStart } from '../core/workflows/run-changes.js';
import type { WorkflowStore } from '../core/workflows/workflow-store.js';

export interface WorkflowEventSource {
  subscribe(listener: (event: WorkflowEvent) => void): Disposer;
}

export interface WorkflowWatchOptions {
  /** Between two looks at the store. Default 500 ms. */
  readonly intervalMs?: number;
  /**
   * How far back each look reaches before the last one: a write stamped with its time
   * but committed after a look is still found by the next. Default 1 s.
   */
  readonly overlapMs?: number;
  /** Told when a look at the store fails (the next one tries again), once until one succeeds. */
  readonly onError?: (error: unknown) => void;
}

/** Runs read per look; more changed at once are read by the looks right after. */
const PAGE = 500;
/** Unfinished runs known when a watch begins: their failure counts are the baseline. */
const MAX_BASELINE = 10_000;

export class WorkflowWatch implements WorkflowEventSource {
  readonly #store: WorkflowStore;
  readonly #intervalMs: number;
  readonly #overlapMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<(event: WorkflowEvent) => void>();
  /** The current watch, from the first listener to the last one gone. */
  #watch: { stopped: boolean; timer?: NodeJS.Timeout } | undefined;
  /** Whether the last look failed: a store down for an hour is told of once, not 7200 times. */
  #failing = false;
  /** A look under way: a new watch waits for the last one's to end. */
  #looking: Promise<void> = Promise.resolve();

  constructor(store: WorkflowStore, options: WorkflowWatchOptions = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 500;
    this.#overlapMs = options.overlapMs ?? 1_000;
    const onError = options.onError ?? (() => {});
    this.#onError = (error) => {
      if (!this.#failing) onError(error);
      this.#failing = true;
    };
  }

  subscribe(listener: (event: WorkflowEvent) => void): Disposer {
    // A wrapper of its own: one listener subscribed twice hears each event twice.
    const own = (event: WorkflowEvent) => listener(event);
    this.#listeners.add(own);
    if (!this.#watch) this.#begin();
    return () => {
      this.#listeners.delete(own);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  /** Stops watching, every listener dropped; resolves once no look is under way. */
  async close(): Promise<void> {
    this.#listeners.clear();
    this.#stop();
    await this.#looking;
  }

  #stop(): void {
    if (!this.#watch) return;
    this.#watch.stopped = true;
    clearTimeout(this.#watch.timer);
    this.#watch = undefined;
  }

  #begin(): void {
    const watch: { stopped: boolean; timer?: NodeJS.Timeout } = { stopped: false };
    this.#watch = watch;
    const store = this.#store;
    const seen = new Map<string, SeenRun>();
    let since = 0;
    let cursor = 0;
    let lastLook = 0;
    // The moment of the first subscription, not of the first answer of a store still opening:
    // a run started right after the subscription is news. (By this process's clock when the
    // store's is ahead of it.)
    const subscribedAt = Date.now();
    const start = async () => {
      since = Math.min(subscribedAt, await store.now());
      cursor = since;
      lastLook = since;
      const unfinished = await store.runs({
        statuses: UNFINISHED_RUN_STATUSES,
        limit: MAX_BASELINE,
      });
      // One created since the watch began is news, from its start.
      for (const run of unfinished) if (run.createdAt < since) seen.set(run.id, seenAtStart(run));
      this.#failing = false;
    };
    const look = async (): Promise<boolean> => {
      const now = await store.now();
      const changed = await store.runs({ updatedSince: cursor, limit: PAGE });
      const letters = new Map<string, Promise<DeadLetter[]>>();
      const letterOf = async (run: WorkflowRun) => {
        if (run.status !== 'failed') return undefined;
        let found = letters.get(run.workflow);
        if (!found) {
          found = store.deadLetters({ workflow: run.workflow, limit: 1000 });
          letters.set(run.workflow, found);
        }
        // Filed with the run's end, in its transaction, at its time.
        return (await found).find(
          (letter) => letter.runId === run.id && letter.failedAt === run.updatedAt,
        );
      };
      for (const run of changed) {
        if (watch.stopped) return false;
        const before = seen.get(run.id);
        // Unchanged since looked at, and not written in the moment of that look.
        if (
          before &&
          before.updatedAt === run.updatedAt &&
          run.updatedAt < lastLook - this.#overlapMs
        )
          continue;
        const steps = await store.steps(run.id);
        const letter = await letterOf(run);
        const told = eventsOfChange(before, { run, steps, ...(letter && { letter }) }, since);
        seen.set(run.id, told.seen);
        for (const event of told.events) this.#tell(event);
      }
      const full = changed.length === PAGE;
      cursor = full ? changed.at(-1)!.updatedAt : Math.max(since, now - this.#overlapMs);
      lastLook = now;
      this.#failing = false;
      for (const [id, run] of seen) {
        if (run.updatedAt < cursor && (run.status === 'completed' || run.status === 'failed'))
          seen.delete(id);
      }
      return full;
    };
    const next = (delay: number) => {
      if (watch.stopped) return;
      watch.timer = setTimeout(() => {
        this.#looking = look().then(
          (more) => next(more ? 0 : this.#intervalMs),
          (error: unknown) => {
            this.#onError(error);
            next(this.#intervalMs);
          },
        );
      }, delay);
    };
    const begin = () => {
      if (watch.stopped) return;
      this.#looking = start().then(
        () => next(this.#intervalMs),
        (error: unknown) => {
          // Begins again later: a store that cannot be read now may be then.
          this.#onError(error);
          if (!watch.stopped) watch.timer = setTimeout(begin, this.#intervalMs);
        },
      );
    };
    // After a look of the watch before, if one is under way: one look at a time.
    void this.#looking.then(begin);
  }

  #tell(event: WorkflowEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
