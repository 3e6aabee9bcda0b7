/**
 * Renderings shared by commands: the process table of `ps` and `top`, and one-line
 * descriptions of events.
 */

import { DEFAULTS } from '../core/defaults.js';
import type { SupervisorEvent } from '../core/events.js';
import { DEGRADED_BELOW, FAILING_BELOW } from '../core/limits/stack-health.js';
import { AWAITING_SCHEDULER, SPAWNING } from '../core/process/reasons.js';
import { reasonText } from '../core/reason-text.js';
import { formatDuration } from '../core/units.js';
import type { ProcessInfo } from '../core/view.js';
import {
  formatBytes,
  formatPercent,
  formatUptime,
  type Painter,
  renderTable,
  STATUS_STYLE,
} from './output.js';

const PS_HEADER = [
  'NAME',
  'STATUS',
  'HEALTH',
  'PID',
  'RESTARTS',
  'UPTIME',
  'CPU',
  'MEM',
  'FDS',
  'SCORE',
  'REASON',
];

/**
 * The `ps` table. Its NAMESPACE column (after NAME) is shown once a row is outside the
 * `default` namespace: a stack that never uses namespaces keeps its table as narrow as it
 * was, and one that does sees every row's namespace, `default` included.
 */
export function renderProcessTable(
  processes: readonly ProcessInfo[],
  paint: Painter,
  now: number = Date.now(),
): string {
  const namespaced = processes.some((process) => process.namespace !== DEFAULTS.namespace);
  const rows = processes.map((process) => [
    process.name,
    ...(namespaced ? [process.namespace] : []),
    paint(STATUS_STYLE[process.status] ?? 'white', process.status),
    paint(STATUS_STYLE[process.health] ?? 'white', process.health),
    process.pid === null ? '-' : String(process.pid),
    String(process.restarts),
    formatUptime(process.uptimeMs),
    formatPercent(process.cpuPercent),
    formatBytes(process.memoryBytes),
    process.fds === null ? '-' : String(process.fds),
    paintScore(process.healthScore, paint),
    reasonText(process, now),
  ]);
  const header = namespaced ? [PS_HEADER[0]!, 'NAMESPACE', ...PS_HEADER.slice(1)] : PS_HEADER;
  return renderTable(header, rows);
}

/** Green from 70 (the stack stays `ok`), yellow from 30, red below. */
function paintScore(score: number, paint: Painter): string {
  const style = score >= DEGRADED_BELOW ? 'green' : score >= FAILING_BELOW ? 'yellow' : 'red';
  return paint(style, String(score));
}

/** `started pid=4242`, `exit code=1 after 3.2s`, `failed: restart budget spent…` */
export function describeEvent(event: SupervisorEvent): string {
  switch (event.type) {
    case 'process:started':
    case 'process:restarted':
      return `${event.type.slice(8)} (pid ${event.pid})`;
    case 'process:exit': {
      const how = event.signal === null ? `code ${event.code}` : event.signal;
      const killed = event.killedAfterTimeout ? ', killed after the stop timeout' : '';
      return `exited (${how}) after ${formatUptime(event.runMs)}${killed}`;
    }
    case 'process:backoff':
      return `backing off ${formatUptime(event.delayMs)} (restart ${event.attempt})`;
    case 'process:failed':
      return event.retryAt === undefined
        ? `failed: ${event.reason}`
        : `failed: ${event.reason} (retry in ${formatDuration(event.retryAt - event.at)})`;
    case 'process:pending':
      // Until the scheduler has looked, there is nothing specific to say.
      return event.reason === AWAITING_SCHEDULER ? 'pending' : `pending: ${event.reason}`;
    case 'process:starting':
      return event.reason === SPAWNING ? 'starting' : `starting: ${event.reason}`;
    case 'process:completed':
      return `completed (code ${event.code})`;
    case 'process:scheduled':
      return `scheduled: ${event.reason}`;
    case 'process:fired':
      return event.action === 'run' ? 'fired' : `fired during a run: ${event.action}`;
    case 'process:health':
      return `health ${event.from} → ${event.to}`;
    case 'process:signalled':
      return `signalled (${event.signal})`;
    case 'process:limit': {
      const held = event.suppressed > 0 ? ` (${event.suppressed} more since the last)` : '';
      return `limit ${event.severity}: ${event.reason}, ${event.action}${held}`;
    }
    case 'supervisor:orphans-cleaned':
      return `cleaned ${event.count} orphaned process(es)`;
    default:
      return event.type.split(':')[1]!;
  }
}
