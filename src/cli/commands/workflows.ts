/**
 * `workflows [--workflow W] [--status S] [--limit N] [--json]`: the project's workflow
 * runs, newest first; `workflows ID`: one, with its steps, its error and its dead letters.
 */
import { OverseerError } from '../../core/errors.js';
import type { DeadLetterView, RunDetailsView, RunView } from '../../core/workflows/views.js';
import { checkedLimit } from '../../protocol/workflows-api.js';
import { formatUptime, type Painter, painterFor, renderTable, STATUS_STYLE } from '../output.js';
import { type WorkflowsOptions, withWorkflows } from '../workflows-access.js';

export interface WorkflowsCommandOptions extends WorkflowsOptions {
  readonly workflow?: string;
  readonly status?: readonly string[];
  readonly limit?: string;
  readonly json?: boolean;
}

/** Colour of a run status, beside those of processes. */
const RUN_STYLE: Readonly<Record<string, Parameters<Painter>[0]>> = {
  sleeping: 'cyan',
  running: 'yellow',
};

export async function workflows(
  args: readonly string[],
  options: WorkflowsCommandOptions,
): Promise<number> {
  if (args.length > 1) {
    throw new OverseerError('BAD_REQUEST', `workflows: expected one run id, got ${args.join(' ')}`);
  }
  if (args.length === 1) return show(args[0]!, options);
  const status = options.status ?? [];
  const runs = await withWorkflows(options, (api) =>
    api.runs({
      ...(options.workflow !== undefined && { workflow: options.workflow }),
      ...(status.length > 0 && { status }),
      ...(options.limit !== undefined && { limit: checkedLimit(options.limit) }),
    }),
  );
  if (options.json) process.stdout.write(`${JSON.stringify({ runs })}\n`);
  else process.stdout.write(`${renderRunTable(runs, painterFor(process.stdout))}\n`);
  return 0;
}

async function show(id: string, options: WorkflowsCommandOptions): Promise<number> {
  const details = await withWorkflows(options, (api) => api.run(id));
  if (options.json) process.stdout.write(`${JSON.stringify(details)}\n`);
  else process.stdout.write(`${renderRunDetails(details)}\n`);
  return 0;
}

/** ID, WORKFLOW, STATUS, STEPS, FAILURES, UPDATED, OWNER: one row per run. */
export function renderRunTable(runs: readonly RunView[], paint: Painter): string {
  const now = Date.now();
  const rows = runs.map((run) => [
    run.id,
    run.workflow,
    paint(RUN_STYLE[run.status] ?? STATUS_STYLE[run.status] ?? 'white', run.status),
    String(run.stepsDone),
    String(run.failures),
    `${formatUptime(now - Date.parse(run.updatedAt))} ago`,
    run.owner ?? '-',
  ]);
  return renderTable(['ID', 'WORKFLOW', 'STATUS', 'STEPS', 'FAILURES', 'UPDATED', 'OWNER'], rows);
}

/** A run as `key: value` lines, then its steps, its error and its dead letters. */
export function renderRunDetails({ run, steps, deadLetters }: RunDetailsView): string {
  const rows: [string, string][] = [
    ['id', run.id],
    ['workflow', run.workflow],
    ['status', run.status],
    ['created at', run.createdAt],
    ['updated at', run.updatedAt],
    ['input', JSON.stringify(run.input)],
  ];
  if (run.owner !== null) rows.push(['owner', run.owner], ['lease until', run.leaseUntil ?? '-']);
  if (run.wakeAt !== null) rows.push(['wakes at', run.wakeAt]);
  if ('output' in run) rows.push(['output', JSON.stringify(run.output)]);
  const failures = Object.entries(run.stepFailures).map(([step, count]) => `${step} ${count}`);
  if (failures.length > 0) rows.push(['failed attempts', failures.join(', ')]);
  const lines = keyValues(rows);
  if (steps.length > 0) {
    const stepRows = steps.map((step) => [
      String(step.index),
      step.name,
      step.kind,
      String(step.attempts),
      formatUptime(step.durationMs),
      step.finishedAt,
    ]);
    lines.push(
      '',
      renderTable(['#', 'STEP', 'KIND', 'ATTEMPTS', 'DURATION', 'FINISHED'], stepRows),
    );
  }
  if (run.error) lines.push('', `error: ${run.error.name}: ${run.error.message}`);
  if (deadLetters.length > 0) lines.push('', renderLetterTable(deadLetters));
  return lines.join('\n');
}

/** ID, WORKFLOW, RUN, STEP, ATTEMPTS, FAILED, ERROR: one row per dead letter. */
export function renderLetterTable(letters: readonly DeadLetterView[]): string {
  const now = Date.now();
  const rows = letters.map((letter) => [
    letter.id,
    letter.workflow,
    letter.runId,
    `${letter.step} (#${letter.stepIndex})`,
    String(letter.attempts),
    `${formatUptime(now - Date.parse(letter.failedAt))} ago`,
    oneLine(letter.error.message),
  ]);
  return renderTable(
    ['DEAD LETTER', 'WORKFLOW', 'RUN', 'STEP', 'ATTEMPTS', 'FAILED', 'ERROR'],
    rows,
  );
}

export function keyValues(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}`);
}

/** A message's first line, cut to fit a table cell. */
function oneLine(message: string): string {
  const first = message.split('\n')[0]!;
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}
