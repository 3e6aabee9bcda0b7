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
import type { Registry } from 'prom-client';

let shared: Promise<Registry> | undefined;

/** The process's own metrics in the text format. */
export async function processMetrics(): Promise<string> {
  shared ??= open();
  return (await shared).metrics();
}

async function open(): Promise<Registry> {
  const { collectDefaultMetrics, Registry } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
