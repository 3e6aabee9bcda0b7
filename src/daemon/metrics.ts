/**
 * `/metrics` in the Prometheus text format: per process, whether it is up, its restarts,
 * CPU, memory, descriptors, threads, storage I/O, limit breaches, health and health score,
 * labelled by name and namespace (so a dashboard can sum a namespace:
 * `sum by (namespace) (overseer_process_up)`); the tasks; the host. prom-client is loaded by
 * the first scrape, not with the daemon: about 5 MB of a daemon that nobody scrapes.
 */
import type { Health } from '../core/process/state.js';
import type { HostStats } from '../core/stats.js';
import { FINAL_TASK_STATUSES, type TaskCounts } from '../core/tasks/task.js';
import type { TaskDurations } from '../core/tasks/task-durations.js';
import type { ProcessInfo } from '../core/view.js';

const HEALTH_VALUES: readonly Health[] = ['none', 'unknown', 'healthy', 'unhealthy'];

/** Task statuses of tasks not ended: a gauge each. */
const LIVE_TASK_STATUSES = ['queued', 'running', 'retrying'] as const;

/**
 * Renders the metrics for these rows and task counts; a fresh registry each time, so no
 * stale series.
 */
export async function renderMetrics(
  processes: readonly ProcessInfo[],
  tasks?: TaskCounts,
  taskDurations?: TaskDurations,
  host?: HostStats,
): Promise<string> {
  const { Counter, Gauge, Registry } = await import('prom-client');
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = ['name', 'namespace']) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const up = gauge('overseer_process_up', '1 when the process is starting or running, else 0');
  // A counter (the `_total` suffix says so), set from the supervisor's own count: it only
  // grows, across supervisors too, since the count is carried over from the store.
  const restarts = new Counter({
    name: 'overseer_process_restarts_total',
    help: 'Restarts of the process so far',
    labelNames: ['name', 'namespace'],
    registers: [registry],
  });
  const cpu = gauge('overseer_process_cpu_percent', 'CPU use of the process tree, % of one core');
  const memory = gauge('overseer_process_memory_bytes', 'Resident memory of the process tree');
  const fds = gauge('overseer_process_open_fds', 'Open file descriptors of the process tree');
  const threads = gauge('overseer_process_threads', 'Threads of the process tree');
  const score = gauge(
    'overseer_process_health_score',
    'Health score of the process, 0 to 100 (probes, recent restarts, resource pressure)',
  );
  const health = gauge('overseer_process_health', '1 for the current health of the process', [
    'name',
    'namespace',
    'health',
  ]);
  const status = gauge('overseer_process_status', '1 for the current status of the process', [
    'name',
    'namespace',
    'status',
  ]);
  const counter = (name: string, help: string, labelNames: string[] = ['name', 'namespace']) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  // Counters of the current run: they start again from 0 with each run (rate() sees a reset).
  const readBytes = counter(
    'overseer_process_io_read_bytes_total',
    'Bytes the current run of the process tree caused to be read from storage (read_bytes of /proc/PID/io, exited children included); absent when /proc/PID/io cannot be read (another user without privilege)',
  );
  const writeBytes = counter(
    'overseer_process_io_write_bytes_total',
    'Bytes the current run of the process tree caused to be written to storage (write_bytes of /proc/PID/io, exited children included); absent when /proc/PID/io cannot be read',
  );
  const breaches = counter(
    'overseer_process_limit_breaches_total',
    'Breaches of a resource limit of the process since the supervisor started, announced or held back by the alert cooldown, by resource and what the breach did',
    ['name', 'namespace', 'resource', 'action'],
  );

  for (const process of processes) {
    const labels = { name: process.name, namespace: process.namespace };
    up.set(labels, process.status === 'running' || process.status === 'starting' ? 1 : 0);
    restarts.inc(labels, process.restarts);
    if (process.cpuPercent !== null) cpu.set(labels, process.cpuPercent);
    if (process.memoryBytes !== null) memory.set(labels, process.memoryBytes);
    if (process.fds !== null) fds.set(labels, process.fds);
    if (process.threads !== null) threads.set(labels, process.threads);
    // `?? null`, `?? []`: rows of an older supervisor, read over HTTP, have no such fields.
    const read = process.readBytes ?? null;
    const written = process.writeBytes ?? null;
    if (read !== null) readBytes.inc(labels, read);
    if (written !== null) writeBytes.inc(labels, written);
    for (const breach of process.limitBreaches ?? []) {
      const { resource, action, count } = breach;
      breaches.inc({ ...labels, resource, action }, count);
    }
    score.set(labels, process.healthScore);
    for (const value of HEALTH_VALUES)
      health.set({ ...labels, health: value }, process.health === value ? 1 : 0);
    status.set({ ...labels, status: process.status }, 1);
  }
  if (tasks) {
    const live = gauge('overseer_tasks', 'Tasks waiting, running, or waiting to try again', [
      'status',
    ]);
    for (const value of LIVE_TASK_STATUSES) live.set({ status: value }, tasks[value]);
    const finished = new Counter({
      name: 'overseer_tasks_finished_total',
      help: 'Tasks ended since the supervisor started, by how they ended',
      labelNames: ['status'],
      registers: [registry],
    });
    for (const value of FINAL_TASK_STATUSES) finished.inc({ status: value }, tasks[value]);
  }
  if (host) hostGauges(host, gauge);
  const text = await registry.metrics();
  return taskDurations ? `${text}${durationLines(taskDurations)}` : text;
}

/**
 * `overseer_task_duration_seconds`, written out: prom-client's histogram takes
 * observations, and the supervisor keeps counts per bucket instead (a fresh registry is
 * made per scrape).
 */
function durationLines({ buckets, sum, count }: TaskDurations): string {
  const name = 'overseer_task_duration_seconds';
  return [
    `# HELP ${name} How long finished tasks ran, from the first try's start to the end`,
    `# TYPE ${name} histogram`,
    ...buckets.map((bucket) => `${name}_bucket{le="${bucket.le}"} ${bucket.count}`),
    `${name}_bucket{le="+Inf"} ${count}`,
    `${name}_sum ${sum}`,
    `${name}_count ${count}`,
    '',
  ].join('\n');
}

type GaugeMaker = (
  name: string,
  help: string,
  labelNames?: string[],
) => { set(value: number): void };

/** `overseer_host_*`: the machine the supervisor runs on, as `stats()` read it. */
function hostGauges(host: HostStats, gauge: GaugeMaker): void {
  const [one, five, fifteen] = host.load;
  gauge('overseer_host_load1', 'Load average of the host over 1 minute', []).set(one);
  gauge('overseer_host_load5', 'Load average of the host over 5 minutes', []).set(five);
  gauge('overseer_host_load15', 'Load average of the host over 15 minutes', []).set(fifteen);
  gauge('overseer_host_cpus', 'CPUs the supervisor may use on the host', []).set(host.cpus);
  gauge('overseer_host_memory_total_bytes', 'Memory of the host', []).set(host.memoryTotalBytes);
  gauge(
    'overseer_host_memory_available_bytes',
    'Memory of the host that can be had without swapping (MemAvailable of /proc/meminfo; the free memory where there is none)',
    [],
  ).set(host.memoryAvailableBytes ?? host.memoryFreeBytes);
}
