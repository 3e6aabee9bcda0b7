/**
 * One workflow run in full, as lines: what `overseer workflows ID` says (its status, times,
 * worker), its steps with their status, duration, attempts and error, its dead letters,
 * then its input and output.
 */
import { formatDuration } from '../core/units.js';
import type { RunDetailsView, RunView, StepView } from '../core/workflows/views.js';
import type { Look } from './status-look.js';
import { joinSections, type TextLine, textOf, title } from './text-line.js';
import { agoText, firstLine } from './workflow-cells.js';
import { DIM_LOOK, ERROR_LOOK, errorLines, factLines, jsonSection } from './workflow-lines.js';
import { RUN_STATUS_LOOK, runStatusText } from './workflow-look.js';

/** A step's line before it is laid out in columns. */
interface StepRow {
  readonly index: string;
  readonly name: string;
  readonly status: string;
  readonly look: Look;
  readonly duration: string;
  readonly attempts: string;
  readonly error: string;
}

const DONE: Look = { symbol: '✔', role: 'success' };
const WAITING: Look = { symbol: '◷', role: 'primary' };
const FAILED: Look = { symbol: '✖', role: 'error' };
const RETRYING: Look = { symbol: '↻', role: 'warning' };

export function runDetailsLines(details: RunDetailsView, now: number): TextLine[] {
  const { run } = details;
  return joinSections([
    summaryLines(run, now),
    stepLines(details, now),
    run.error ? [title('error'), ...errorLines(run.error)] : [],
    letterLines(details, now),
    jsonSection('input', run.input),
    jsonSection('output', run.output),
  ]);
}

function summaryLines(run: RunView, now: number): TextLine[] {
  const look = RUN_STATUS_LOOK[run.status];
  const facts: Array<[string, string]> = [
    ['workflow', run.workflow],
    ['created at', run.createdAt],
    ['updated at', `${run.updatedAt} (${agoText(run.updatedAt, now)})`],
    ['steps done', String(run.stepsDone)],
    ['failures', String(run.failures)],
  ];
  if (run.owner !== null) facts.push(['worker', run.owner], ['lease until', run.leaseUntil ?? '-']);
  if (run.wakeAt !== null) facts.push(['wakes at', run.wakeAt]);
  return [
    [
      { text: `run ${run.id}  `, bold: true },
      { text: runStatusText(run.status), look },
    ],
    ...factLines(facts),
  ];
}

/**
 * The recorded steps in order, then each step that failed without being recorded (the one
 * a failed run stopped at, or the one a running run is trying again), laid out in columns.
 */
function stepLines({ run, steps, deadLetters }: RunDetailsView, now: number): TextLine[] {
  const recorded = steps.map((step) => recordedRow(step, now));
  const names = new Set(steps.map((step) => step.name));
  const unrecorded = Object.entries(run.stepFailures)
    .filter(([name]) => !names.has(name))
    .map(([name, failures]) => {
      // Its place is known once it was filed as a dead letter.
      const letter = deadLetters.find((filed) => filed.step === name);
      return failingRow(run, name, failures, letter?.stepIndex);
    });
  const rows = [...recorded, ...unrecorded];
  if (rows.length === 0)
    return [title('steps'), [{ text: 'no step recorded yet', look: DIM_LOOK }]];
  const titles: StepRow = {
    index: '#',
    name: 'STEP',
    status: 'STATUS',
    look: DIM_LOOK,
    duration: 'DURATION',
    attempts: 'ATTEMPTS',
    error: 'ERROR',
  };
  const keys = ['index', 'name', 'status', 'duration', 'attempts'] as const;
  const widths = keys.map((key) => Math.max(...[titles, ...rows].map((row) => row[key].length)));
  const cells = (row: StepRow) => keys.map((key, column) => row[key].padEnd(widths[column]!));
  return [
    title('steps'),
    [{ text: [...cells(titles), titles.error].join('  '), bold: true }],
    ...rows.map((row): TextLine => {
      const [index, name, status, duration, attempts] = cells(row);
      return [
        { text: `${index}  ${name}  ` },
        { text: status!, look: row.look },
        { text: `  ${duration}  ${attempts}  ` },
        { text: row.error, look: ERROR_LOOK },
      ];
    }),
  ].map(trimEnd);
}

function recordedRow(step: StepView, now: number): StepRow {
  const sleeping = step.kind === 'sleep' && step.wakeAt !== null && Date.parse(step.wakeAt) > now;
  const status = step.kind === 'step' ? 'done' : sleeping ? 'sleeping' : 'slept';
  const look = sleeping ? WAITING : DONE;
  return {
    index: String(step.index),
    name: step.name,
    status: `${look.symbol} ${status}`,
    look,
    duration: formatDuration(step.durationMs, 'elapsed'),
    attempts: String(step.attempts),
    error: '',
  };
}

/** A step with failed attempts and no record: failed if its run did, else being retried. */
function failingRow(
  run: RunView,
  name: string,
  failures: number,
  index: number | undefined,
): StepRow {
  const failed = run.status === 'failed';
  const look = failed ? FAILED : RETRYING;
  return {
    index: index === undefined ? '-' : String(index),
    name,
    status: `${look.symbol} ${failed ? 'failed' : 'retrying'}`,
    look,
    duration: '-',
    attempts: String(failures),
    error: failed && run.error ? firstLine(run.error.message) : '',
  };
}

function letterLines({ deadLetters }: RunDetailsView, now: number): TextLine[] {
  if (deadLetters.length === 0) return [];
  return [
    title('dead letters'),
    ...deadLetters.map(
      (letter): TextLine => [
        {
          text: `${letter.id}  ${letter.step} #${letter.stepIndex}  ${letter.attempts} attempts  ${agoText(letter.failedAt, now)}  `,
        },
        { text: firstLine(letter.error.message), look: ERROR_LOOK },
      ],
    ),
  ];
}

/** The line without its padding at the end: an empty error cell leaves some. */
function trimEnd(line: TextLine): TextLine {
  if (textOf(line).trimEnd() === textOf(line)) return line;
  const pieces = line.filter((piece) => piece.text !== '');
  const last = pieces.at(-1);
  if (last === undefined) return line;
  return [...pieces.slice(0, -1), { ...last, text: last.text.trimEnd() }];
}
