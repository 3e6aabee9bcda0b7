/**
 * One task in full, as lines: what `overseer tasks ID` says (where it is, how it ended, why),
 * what its tree used, the limits it went over, and the tail of its output.
 */
import type { TaskView } from '../core/tasks/task.js';
import { formatBytes, formatDuration } from '../core/units.js';
import { screenText } from './screen-text.js';
import type { Look } from './status-look.js';
import { commandText, exitText } from './task-cells.js';
import { TASK_STATUS_LOOK } from './task-look.js';
import { joinSections, plain, type TextLine, title } from './text-line.js';

const ERROR: Look = { symbol: '', role: 'error' };
const WARNING: Look = { symbol: '', role: 'warning' };
const DIM: Look = { symbol: '', dim: true };

export function taskResultLines(task: TaskView, now: number): TextLine[] {
  return joinSections([summaryLines(task, now), usageLines(task), ...outputSections(task)]);
}

/** The task's facts, one `key value` a line, its status in its look. */
function summaryLines(task: TaskView, now: number): TextLine[] {
  const { result } = task;
  const look = TASK_STATUS_LOOK[task.status];
  const facts: Array<[string, string]> = [
    ['name', task.name],
    ['command', commandText(task.command)],
    ['queued at', task.queuedAt],
    ['started at', task.startedAt ?? '-'],
    ['attempts', String(task.attempts)],
  ];
  if (task.pid !== null) facts.push(['pid', String(task.pid)]);
  const labels = Object.entries(task.labels);
  if (labels.length > 0) {
    facts.push(['labels', labels.map(([key, value]) => `${key}=${value}`).join(' ')]);
  }
  if (result) {
    facts.push(
      ['exit', exitText(task)],
      ['ended at', result.endedAt],
      ['duration', formatDuration(result.durationMs, 'elapsed')],
      ['queued for', formatDuration(result.queuedMs, 'elapsed')],
    );
  } else if (task.startedAt !== null) {
    facts.push(['running for', formatDuration(now - Date.parse(task.startedAt), 'elapsed')]);
  }
  const width = Math.max(...facts.map(([key]) => key.length), 'reason'.length);
  const reason = result ? result.reason : task.reason;
  return [
    [
      { text: `task ${task.id}  `, bold: true },
      { text: `${look.symbol} ${task.status}`, look },
    ],
    ...facts.map(([key, value]) => plain(`${key.padEnd(width)}  ${value}`)),
    ...(reason
      ? [[{ text: `${'reason'.padEnd(width)}  ` }, { text: reason, look: ERROR }] as TextLine]
      : []),
  ];
}

/** What the tree used over every try, and the limits it went over. */
function usageLines(task: TaskView): TextLine[] {
  const { result } = task;
  if (!result) return [[{ text: 'no result yet: the task has not ended', look: DIM }]];
  const usage = result.resourceUsage;
  return [
    title('usage'),
    plain(`cpu time     ${formatDuration(usage.cpuMs, 'elapsed')}`),
    plain(`peak memory  ${formatBytes(usage.peakMemoryBytes)}`),
    plain(`peak files   ${usage.peakOpenFiles}`),
    ...result.limitBreaches.map(
      (breach): TextLine => [
        breach.action === 'warn'
          ? { text: `over a warning: ${breach.at} ${breach.reason}`, look: WARNING }
          : { text: `over a limit: ${breach.at} ${breach.reason}: ${breach.action}`, look: ERROR },
      ],
    ),
  ];
}

/** The captured output of the last try, stdout then stderr, each under its title. */
function outputSections(task: TaskView): TextLine[][] {
  const { result } = task;
  if (!result) return [];
  return (['stdout', 'stderr'] as const).flatMap((stream) => {
    const text = result[stream].trimEnd();
    if (text === '') return [];
    const tail = result.truncated ? ' (last lines)' : '';
    return [
      [title(`${stream}${tail}`), ...text.split('\n').map((line) => plain(screenText(line)))],
    ];
  });
}
