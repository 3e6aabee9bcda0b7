/**
 * `tasks [--status S] [--label K=V] [--json]`: the running supervisor's tasks, recent
 * first; `tasks ID [--json]`: one, with its result; `tasks cancel ID`: cancels it.
 */
import { OverseerError } from '../../core/errors.js';
import type { TaskView } from '../../core/tasks/task.js';
import { taskFilterOf } from '../../core/tasks/task-filter.js';
import { type ConfigOption, connect } from '../context.js';
import {
  formatBytes,
  formatUptime,
  type Painter,
  painterFor,
  renderTable,
  STATUS_STYLE,
} from '../output.js';

export interface TasksOptions extends ConfigOption {
  readonly status?: readonly string[];
  readonly label?: readonly string[];
  readonly json?: boolean;
}

/** Colour of a task status, beside those of processes. */
const TASK_STYLE: Readonly<Record<string, Parameters<Painter>[0]>> = {
  queued: 'gray',
  retrying: 'yellow',
  succeeded: 'green',
  timed_out: 'red',
  cancelled: 'gray',
  refused: 'red',
};

export async function tasks(args: readonly string[], options: TasksOptions): Promise<number> {
  if (args[0] === 'cancel') return cancel(args.slice(1), options);
  if (args.length > 1) {
    throw new OverseerError('BAD_REQUEST', `tasks: expected one task id, got ${args.join(' ')}`);
  }
  if (args.length === 1) return show(args[0]!, options);
  const filter = taskFilterOf(options.status, options.label);
  const client = await connect(options);
  const views = await client.listTasks(filter);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ tasks: views })}\n`);
    return 0;
  }
  process.stdout.write(`${renderTaskTable(views, painterFor(process.stdout))}\n`);
  return 0;
}

async function show(id: string, options: TasksOptions): Promise<number> {
  const view = await (await connect(options)).getTask(id);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(view)}\n`);
    return 0;
  }
  const { result } = view;
  const command = Array.isArray(view.command) ? JSON.stringify(view.command) : view.command;
  const rows: [string, string][] = [
    ['id', view.id],
    ['name', view.name],
    ['status', view.status],
    ['command', String(command)],
    ['queued at', view.queuedAt],
    ['started at', view.startedAt ?? '-'],
    ['attempts', String(view.attempts)],
  ];
  if (view.pid !== null) rows.push(['pid', String(view.pid)]);
  if (Object.keys(view.labels).length > 0) {
    const labels = Object.entries(view.labels).map(([key, value]) => `${key}=${value}`);
    rows.push(['labels', labels.join(', ')]);
  }
  if (result) {
    rows.push(['exit code', result.exitCode === null ? '-' : String(result.exitCode)]);
    if (result.signal) rows.push(['signal', result.signal]);
    rows.push(['ended at', result.endedAt], ['duration', formatUptime(result.durationMs)]);
    rows.push(['peak memory', formatBytes(result.resourceUsage.peakMemoryBytes)]);
  }
  const reason = result ? result.reason : view.reason;
  if (reason) rows.push(['reason', reason]);
  const width = Math.max(...rows.map(([key]) => key.length));
  const lines = rows.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}`);
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = result?.[stream] ?? '';
    if (text !== '')
      lines.push(`--- ${stream}${result?.truncated ? ' (last lines)' : ''}`, text.trimEnd());
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function cancel(args: readonly string[], options: TasksOptions): Promise<number> {
  if (args.length !== 1) {
    throw new OverseerError('BAD_REQUEST', 'tasks cancel: expected one task id');
  }
  const view = await (await connect(options)).cancelTask(args[0]!);
  if (options.json) process.stdout.write(`${JSON.stringify(view)}\n`);
  else process.stdout.write(`cancelling task ${view.id} (${view.name})\n`);
  return 0;
}

/** ID, NAME, STATUS, EXIT, DURATION, PEAK MEM, ATTEMPTS, AGE: one row per task. */
export function renderTaskTable(views: readonly TaskView[], paint: Painter): string {
  const now = Date.now();
  const rows = views.map((view) => {
    const { result } = view;
    const style = TASK_STYLE[view.status] ?? STATUS_STYLE[view.status] ?? 'white';
    const duration = result
      ? result.durationMs
      : view.startedAt === null
        ? null
        : now - Date.parse(view.startedAt);
    return [
      view.id,
      view.name,
      paint(style, view.status),
      result?.exitCode === null || result === null ? '-' : String(result.exitCode),
      formatUptime(duration),
      result ? formatBytes(result.resourceUsage.peakMemoryBytes) : '-',
      String(view.attempts),
      formatUptime(now - Date.parse(view.queuedAt)),
    ];
  });
  const header = ['ID', 'NAME', 'STATUS', 'EXIT', 'DURATION', 'PEAK MEM', 'ATTEMPTS', 'AGE'];
  return renderTable(header, rows);
}
