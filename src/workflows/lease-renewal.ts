/**
 * Keeps the leases of the runs an engine executes: one renewal of all of them every third
 * of the lease, while there are any. A run whose lease the store no longer grants was taken
 * over by another worker: `onLost` stops its execution here.
 */
import type { WorkflowStore } from '../core/workflows/workflow-store.js';

export interface LeaseRenewalDeps {
  readonly store: WorkflowStore;
  readonly worker: string;
  readonly leaseMs: number;
  /** The runs executing now. */
  held(): string[];
  onLost(runId: string): void;
  report(error: unknown): void;
}

export class LeaseRenewal {
  readonly #deps: LeaseRenewalDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: LeaseRenewalDeps) {
    this.#deps = deps;
  }

  /** Renews from now on, if not already. */
  start(): void {
    if (this.#timer) return;
    const every = Math.max(10, Math.floor(this.#deps.leaseMs / 3));
    this.#timer = setInterval(() => void this.#renew(), every);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    const { store, worker, leaseMs } = this.#deps;
    const ids = this.#deps.held();
    if (ids.length === 0) return;
    try {
      const held = new Set(await store.renew(worker, ids, leaseMs));
      for (const id of ids) if (!held.has(id)) this.#deps.onLost(id);
    } catch (error) {
      this.#deps.report(error);
    }
  }
}
