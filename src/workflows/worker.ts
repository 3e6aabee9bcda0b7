/**
 * A worker: claims runs as they come, up to `concurrency` executing at once, and looks
 * again every `pollMs` while there is nothing to claim. `stop()` claims no more and waits
 * for the runs it took to end or be let go of.
 */
import type { WorkflowRun } from '../core/workflows/records.js';
import type { ExecutionOutcome } from './execute-run.js';

export interface WorkerOptions {
  /** Runs executing at once. Default 10. */
  readonly concurrency?: number;
  /** How long to wait before claiming again when nothing was there. Default 500 ms. */
  readonly pollMs?: number;
}

export interface WorkflowWorker {
  /** Claims no more; resolves once the runs it took have ended or been let go of. */
  stop(): Promise<void>;
}

export interface WorkerDeps {
  /** Before the first claim: what the worker's previous life left is let go of, to be claimed. */
  prepare(): Promise<void>;
  claim(limit: number): Promise<WorkflowRun[]>;
  execute(run: WorkflowRun): Promise<ExecutionOutcome>;
  isExecuting(runId: string): boolean;
  report(error: unknown): void;
  onStop(): void;
}

export function startWorker(options: WorkerOptions, deps: WorkerDeps): WorkflowWorker {
  const concurrency = options.concurrency ?? 10;
  const pollMs = options.pollMs ?? 500;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `workflow worker: concurrency must be a whole number ≥ 1, got ${concurrency}`,
    );
  }
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async () => {
    try {
      await deps.prepare();
    } catch (error) {
      deps.report(error);
    }
    while (!stopped) {
      const free = concurrency - running.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const runs = (await deps.claim(free)).filter((run) => !deps.isExecuting(run.id));
          claimed = runs.length;
          for (const run of runs) {
            const done = deps.execute(run).finally(() => {
              running.delete(done);
              wake?.();
            });
            running.add(done);
          }
        } catch (error) {
          deps.report(error);
        }
      }
      if (stopped) break;
      // Full: wait for a slot. Nothing to claim: look again in a while (or when a slot frees).
      if (free <= 0 || claimed === 0) await pause(free <= 0 ? 60_000 : pollMs);
    }
  };
  const looping = loop();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      await Promise.allSettled([...running]);
      deps.onStop();
    },
  };
}
