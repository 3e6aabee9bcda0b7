/**
 * Processes as a model reads them: one line each, the words that matter first (name, status,
 * why), figures after; one process in detail as JSON with the long parts cut short.
 */
import { reasonText } from '../core/reason-text.js';
import { formatBytes, formatDuration, formatPercent } from '../core/units.js';
import type { ProcessDetails, ProcessInfo } from '../core/view.js';
import { listText } from './list-text.js';

/** Resource samples and runs `inspect_process` shows: the newest. */
const SAMPLES_SHOWN = 5;
const RUNS_SHOWN = 5;

/** `api [backend]: running, healthy, pid 4242, up 3m5s, restarts 0, cpu 1.2%, mem 52.0MB, score 100`. */
export function processLine(info: ProcessInfo, now: number): string {
  const facts = [
    info.status,
    info.health === 'none' ? undefined : info.health,
    info.pid === null ? undefined : `pid ${info.pid}`,
    info.uptimeMs === null ? undefined : `up ${formatDuration(info.uptimeMs, 'elapsed')}`,
    `restarts ${info.restarts}`,
    info.cpuPercent === null ? undefined : `cpu ${formatPercent(info.cpuPercent)}`,
    info.memoryBytes === null ? undefined : `mem ${formatBytes(info.memoryBytes)}`,
    `score ${info.healthScore}`,
  ].filter((fact) => fact !== undefined);
  const reason = reasonText(info, now);
  return `${info.name} [${info.namespace}]: ${facts.join(', ')}${reason === '' ? '' : ` — ${reason}`}`;
}

/** A heading with the count per status, then a line per process. */
export function processListText(processes: readonly ProcessInfo[], now: number): string {
  if (processes.length === 0) return 'No process matches.';
  const counts = new Map<string, number>();
  for (const info of processes) counts.set(info.status, (counts.get(info.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const noun = processes.length === 1 ? 'process' : 'processes';
  return listText(
    `${processes.length} ${noun} (${summary}):`,
    processes.map((info) => processLine(info, now)),
    'narrow the list by namespace or status',
  );
}

/**
 * One process in detail: its line, then JSON of everything known, but the environment's
 * values (which hold passwords as often as not) and all but the newest samples and runs.
 */
export function processDetailsText(details: ProcessDetails, now: number): string {
  const { history } = details.resources;
  const shown = {
    ...details,
    spec: { ...details.spec, env: Object.keys(details.spec.env) },
    runs: details.runs.slice(-RUNS_SHOWN),
    resources: { ...details.resources, history: history.slice(-SAMPLES_SHOWN) },
  };
  return [
    processLine(details, now),
    `(spec.env lists the variable names only; runs and resources.history hold the newest ${RUNS_SHOWN} and ${SAMPLES_SHOWN})`,
    JSON.stringify(shown),
  ].join('\n');
}
