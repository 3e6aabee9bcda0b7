/**
 * `/metrics` in the Prometheus text format: per process, whether it is up, its restarts,
 * CPU, memory, descriptors, threads, storage I/O, limit breaches, health and health score,
 * labelled by name and namespace (so a dashboard can sum a namespace:
 * `sum by (namespace) (overseer_process_up)`); the tasks; the host. Written as text, with
 * no prom-client registry: see `exposition.ts`.
 */
import type { Health } from '../core/process/state.js';
import type { HostStats } from '../core/stats.js';
import { FINAL_TASK_STATUSES, type TaskCounts } from '../core/tasks/task.js';
import type { TaskDurations } from '../core/tasks/task-durations.js';
import type { ProcessInfo } from '../core/view.js';
import { Family, labelPairs, type MetricType } from './exposition.js';

const HEALTH_VALUES: readonly Health[] = ['none', 'unknown', 'healthy', 'unhealthy'];

/** Task statuses of tasks not ended: a gauge each. */
const LIVE_TASK_STATUSES = ['queued', 'running', 'retrying'] as const;

/**
 * Renders the metrics for these rows, task counts and host figures; written afresh each
 * time, so no stale series. Every per-process family has its HELP and TYPE lines, with no
 * process too.
 */
export function renderMetrics(
  processes: readonly ProcessInfo[],
  tasks?: TaskCounts,
  taskDurations?: TaskDurations,
  host?: HostStats,
): string {
  const family = (name: string, help: string, type: MetricType = 'gauge') =>
    new Family(name, help, type);
  const up = family('overseer_process_up', '1 when the process is starting or running, else 0');
  // A counter (the `_total` suffix says so), set from the supervisor's own count: it only
  // grows, across supervisors too, since the count is carried over from the store.
  const restarts = family(
    'overseer_process_restarts_total',
    'Restarts of the process so far',
    'counter',
  );
  const cpu = family('overseer_process_cpu_percent', 'CPU use of the process tree, % of one core');
  const memory = family('overseer_process_memory_bytes', 'Resident memory of the process tree');
  const fds = family('overseer_process_open_fds', 'Open file descriptors of the process tree');
  const threads = family('overseer_process_threads', 'Threads of the process tree');
  const score = family(
    'overseer_process_health_score',
    'Health score of the process, 0 to 100 (probes, recent restarts, resource pressure)',
  );
  const health = family('overseer_process_health', '1 for the current health of the process');
  const status = family('overseer_process_status', '1 for the current status of the process');
  // Counters of the current run: they start again from 0 with each run (rate() sees a reset).
  const readBytes = family(
    'overseer_process_io_read_bytes_total',
    'Bytes the current run of the process tree caused to be read from storage (read_bytes of /proc/PID/io, exited children included); absent when /proc/PID/io cannot be read (another user without privilege)',
    'counter',
  );
  const writeBytes = family(
    'overseer_process_io_write_bytes_total',
    'Bytes the current run of the process tree caused to be written to storage (write_bytes of /proc/PID/io, exited children included); absent when /proc/PID/io cannot be read',
    'counter',
  );
  const breaches = family(
    'overseer_process_limit_breaches_total',
    'Breaches of a resource limit of the process since the supervisor started, announced or held back by the alert cooldown, by resource and what the breach did',
    'counter',
  );

  for (const process of processes) {
    const labels = labelPairs({ name: process.name, namespace: process.namespace });
    up.sample(labels, process.status === 'running' || process.status === 'starting' ? 1 : 0);
    restarts.sample(labels, process.restarts);
    if (process.cpuPercent !== null) cpu.sample(labels, process.cpuPercent);
    if (process.memoryBytes !== null) memory.sample(labels, process.memoryBytes);
    if (process.fds !== null) fds.sample(labels, process.fds);
    if (process.threads !== null) threads.sample(labels, process.threads);
    score.sample(labels, process.healthScore);
    for (const value of HEALTH_VALUES) {
      health.sample(`${labels},health="${value}"`, process.health === value ? 1 : 0);
    }
    status.sample(`${labels},status="${process.status}"`, 1);
    // `?? null`, `?? []`: rows of an older supervisor, read over HTTP, have no such fields.
    const read = process.readBytes ?? null;
    const written = process.writeBytes ?? null;
    if (read !== null) readBytes.sample(labels, read);
    if (written !== null) writeBytes.sample(labels, written);
    for (const { resource, action, count } of process.limitBreaches ?? []) {
      breaches.sample(`${labels},${labelPairs({ resource, action })}`, count);
    }
  }
  const families = [
    up,
    restarts,
    cpu,
    memory,
    fds,
    threads,
    score,
    health,
    status,
    readBytes,
    writeBytes,
    breaches,
  ];
  if (tasks) {
    const live = family('overseer_tasks', 'Tasks waiting, running, or waiting to try again');
    for (const value of LIVE_TASK_STATUSES) live.add({ status: value }, tasks[value]);
    const finished = family(
      'overseer_tasks_finished_total',
      'Tasks ended since the supervisor started, by how they ended',
      'counter',
    );
    for (const value of FINAL_TASK_STATUSES) finished.add({ status: value }, tasks[value]);
    families.push(live, finished);
  }
  if (host) families.push(...hostFamilies(host));
  if (taskDurations) families.push(durationFamily(taskDurations));
  return families.map((each) => each.text()).join('');
}

/**
 * `overseer_task_duration_seconds`: the supervisor keeps counts per bucket, cumulative as
 * the format wants them.
 */
function durationFamily({ buckets, sum, count }: TaskDurations): Family {
  const histogram = new Family(
    'overseer_task_duration_seconds',
    "How long finished tasks ran, from the first try's start to the end",
    'histogram',
  );
  for (const bucket of buckets) histogram.add({ le: String(bucket.le) }, bucket.count, '_bucket');
  histogram.add({ le: '+Inf' }, count, '_bucket');
  histogram.add({}, sum, '_sum');
  histogram.add({}, count, '_count');
  return histogram;
}

/** `overseer_host_*`: the machine the supervisor runs on, as `stats()` read it. */
function hostFamilies(host: HostStats): Family[] {
  const [one, five, fifteen] = host.load;
  const single = (name: string, help: string, value: number) =>
    new Family(name, help, 'gauge').add({}, value);
  return [
    single('overseer_host_load1', 'Load average of the host over 1 minute', one),
    single('overseer_host_load5', 'Load average of the host over 5 minutes', five),
    single('overseer_host_load15', 'Load average of the host over 15 minutes', fifteen),
    single('overseer_host_cpus', 'CPUs the supervisor may use on the host', host.cpus),
    single('overseer_host_memory_total_bytes', 'Memory of the host', host.memoryTotalBytes),
    single(
      'overseer_host_memory_available_bytes',
      'Memory of the host that can be had without swapping (MemAvailable of /proc/meminfo; the free memory where there is none)',
      host.memoryAvailableBytes ?? host.memoryFreeBytes,
    ),
  ];
}
