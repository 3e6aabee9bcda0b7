/**
 * `inspect NAME [-n NS] [--json]`: everything known about one instance. NAME goes through
 * the one resolver, so `web` of a single instance is that instance, an unknown name or
 * namespace exits 2 naming it, and `web` of several instances names them to choose from.
 */
import {
  breachText,
  containmentText,
  labelsText,
  memoryTrendText,
  runExitText,
  throttleText,
  violationsText,
} from '../../core/details-text.js';
import { OverseerError } from '../../core/errors.js';
import type { ProcessDetails } from '../../core/view.js';
import { type ConfigOption, connect } from '../context.js';
import {
  formatBytes,
  formatPercent,
  formatUptime,
  type Painter,
  painterFor,
  renderTable,
} from '../output.js';
import { type NamedOptions, resolveNamed } from '../selection.js';
import { renderProcessTable } from '../views.js';

export async function inspect(
  name: string,
  options: ConfigOption & NamedOptions & { json?: boolean },
): Promise<number> {
  const client = await connect(options);
  const rows = await resolveNamed(client, [name], options);
  if (rows.length !== 1) {
    const instances = rows.map((row) => row.name).join(', ');
    throw new OverseerError(
      'BAD_REQUEST',
      `${name} stands for ${rows.length} instances (${instances}): inspect one of them`,
    );
  }
  const details = await client.get(rows[0]!.name);
  if (options.json) process.stdout.write(`${JSON.stringify(details)}\n`);
  else process.stdout.write(`${renderDetails(details, painterFor(process.stdout))}\n`);
  return 0;
}

function renderDetails(details: ProcessDetails, paint: Painter): string {
  const { spec, runs } = details;
  const runRows = runs.map((run) => [
    String(run.pid),
    run.startedAt,
    run.endedAt ?? 'running',
    run.runMs === null ? '-' : formatUptime(run.runMs),
    runExitText(run),
    run.killedAfterTimeout ? 'yes' : '',
    run.reason ?? '',
  ]);
  return [
    renderProcessTable([details], paint),
    '',
    ...renderIdentity(details, paint),
    ...renderHealth(details, paint),
    ...renderContainment(details, paint),
    ...renderResources(details, paint),
    paint('bold', 'spec'),
    JSON.stringify(spec, null, 2),
    '',
    paint('bold', `runs (last ${runs.length})`),
    renderTable(
      ['PID', 'STARTED', 'ENDED', 'RAN', 'EXIT', 'KILLED AFTER TIMEOUT', 'REASON'],
      runRows,
    ),
  ].join('\n');
}

/** Where the process belongs and what it is for: its namespace, description and labels. */
function renderIdentity(details: ProcessDetails, paint: Painter): string[] {
  const lines = [`${paint('bold', 'namespace')} ${details.namespace}`];
  const { description } = details.spec;
  if (description !== undefined) lines.push(`${paint('bold', 'description')} ${description}`);
  const labels = labelsText(details.labels);
  if (labels !== '') lines.push(`${paint('bold', 'labels')} ${labels}`);
  return [...lines, ''];
}

/** Samples shown by `inspect`; `--json` has all of them. */
const HISTORY_SHOWN = 10;

function renderHealth(details: ProcessDetails, paint: Painter): string[] {
  const reasons = details.healthReasons.map((reason) => `  ${reason}`);
  return [paint('bold', `health score ${details.healthScore}`), ...reasons, ''];
}

/** How the process's tree is kept together: the mode, and where or why. */
function renderContainment(details: ProcessDetails, paint: Painter): string[] {
  const { containment } = details;
  if (!containment) return [];
  return [`${paint('bold', 'containment')} ${containmentText(containment)}`, ''];
}

function renderResources(details: ProcessDetails, paint: Painter): string[] {
  const { history, memoryTrend, violations, breaches, throttleDuty } = details.resources;
  const lines: string[] = [];
  if (history.length > 0) {
    const shown = history.slice(-HISTORY_SHOWN);
    lines.push(
      paint('bold', `resources (last ${shown.length} of ${history.length} samples)`),
      renderTable(
        ['TIME', 'CPU', 'MEM', 'FDS', 'THREADS', 'PROCESSES'],
        shown.map((sample) => [
          new Date(sample.at).toISOString().slice(11, 19),
          formatPercent(sample.cpuPercent),
          formatBytes(sample.memoryBytes),
          sample.fds === null ? '-' : String(sample.fds),
          String(sample.threads),
          String(sample.processes),
        ]),
      ),
    );
    if (memoryTrend) lines.push(memoryTrendText(memoryTrend));
    if (throttleDuty !== null) lines.push(throttleText(throttleDuty));
    lines.push('');
  }
  const total = violationsText(violations);
  // Warnings (`memory_warn`, `cpu_warn`) are announced without being violations: listed too.
  if (total !== null || breaches.length > 0) {
    lines.push(paint('bold', total === null ? 'limit warnings' : `limit violations: ${total}`));
    for (const breach of breaches) lines.push(`  ${breachText(breach)}`);
    lines.push('');
  }
  return lines;
}
