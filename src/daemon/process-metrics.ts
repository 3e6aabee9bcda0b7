/**
 * The metrics of the process serving `/metrics` itself (the daemon, or the application that
 * embeds the supervisor): prom-client's default metrics under their standard names
 * (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_open_fds`,
 * `process_start_time_seconds`, `nodejs_eventloop_lag_seconds`, `nodejs_heap_size_used_bytes`…),
 * which dashboards for Node.js already know.
 *
 * One registry for the whole process, made at the first scrape (a daemon nobody scrapes does
 * not load prom-client) and kept: the event-loop lag is measured by a monitor that runs
 * between scrapes, and default metrics may be registered only once per registry, however
 * many route sets the process serves.
 */
import { statSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { fdDirSizeCounts } from '../runtime/sampling/system-units.js';

let shared: Promise<Registry> | undefined;

/** The process's own metrics in the text format. */
export async function processMetrics(): Promise<string> {
  // A registry that failed to open is not kept: the next scrape tries again.
  shared ??= open().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return (await shared).metrics();
}

async function open(): Promise<Registry> {
  const { collectDefaultMetrics, Gauge, Registry } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (fdDirSizeCounts()) {
    // prom-client lists /proc/self/fd, and a supervisor holds thousands of descriptors (its
    // children's pipes, the sampler's handles): where the folder's size is the count, one
    // stat gives it, under the same name.
    registry.removeSingleMetric('process_open_fds');
    new Gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      registers: [registry],
      collect() {
        try {
          this.set(statSync('/proc/self/fd').size);
        } catch {
          // Not readable any more: the last value stays.
        }
      },
    });
  }
  return registry;
}
