/**
 * One-off tasks as a model reads them: a line each in a list; one task as JSON, its captured
 * output cut to its last characters (what ends a failing run is what explains it).
 */
import type { TaskView } from '../core/tasks/task.js';
import { formatBytes, formatDuration } from '../core/units.js';
import { listText } from './list-text.js';

/** Most characters of a task's captured stdout, and of its stderr, in an answer. */
export const MAX_OUTPUT_CHARS = 8_000;

/** `mxd9xhfx-7a0b3cb6 migrate: failed, exit 1, 3.2s, peak mem 52.0MB — exit code 1`. */
export function taskLine(task: TaskView): string {
  const { result } = task;
  const facts: string[] = [task.status];
  if (result) {
    if (result.exitCode !== null) facts.push(`exit ${result.exitCode}`);
    if (result.signal !== null) facts.push(result.signal);
    facts.push(formatDuration(result.durationMs, 'elapsed'));
    facts.push(`peak mem ${formatBytes(result.resourceUsage.peakMemoryBytes)}`);
  } else if (task.pid !== null) {
    facts.push(`pid ${task.pid}`);
  }
  if (task.attempts > 1) facts.push(`${task.attempts} tries`);
  const why = result?.reason ?? task.reason;
  return `${task.id} ${task.name}: ${facts.join(', ')}${why ? ` — ${why}` : ''}`;
}

export function taskListText(tasks: readonly TaskView[]): string {
  if (tasks.length === 0) return 'No task matches.';
  const heading = `${tasks.length} task${tasks.length === 1 ? '' : 's'}:`;
  return listText(heading, tasks.map(taskLine), 'narrow the list by status');
}

/** Its line, then its view as JSON with its output's tails. */
export function taskDetailsText(task: TaskView): string {
  const result = task.result && {
    ...task.result,
    stdout: tail(task.result.stdout),
    stderr: tail(task.result.stderr),
  };
  return `${taskLine(task)}\n${JSON.stringify({ ...task, result })}`;
}

function tail(text: string): string {
  const over = text.length - MAX_OUTPUT_CHARS;
  return over > 0 ? `(${over} earlier characters left out)…${text.slice(over)}` : text;
}
