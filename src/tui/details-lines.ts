/**
 * Everything `overseer inspect NAME` shows of a process, as the lines of the dashboard's
 * details: a summary (status, reason, pid, uptime, health), its resources drawn as
 * sparklines, its limits, probes and runs, and its spec as overseer.yaml writes it.
 */
import { containmentText, labelsText } from '../core/details-text.js';
import { specAsConfig } from '../core/process/spec-as-config.js';
import { reasonText } from '../core/reason-text.js';
import { formatDuration } from '../core/units.js';
import type { ProcessDetails } from '../core/view.js';
import { yamlLines } from '../core/yaml-text.js';
import { limitLines, probeLines, resourceLines, runLines } from './details-sections.js';
import type { Sample } from './sample-history.js';
import { HEALTH_LOOK, type Look, STATUS_LOOK } from './status-look.js';
import { joinSections, plain, type TextLine, title } from './text-line.js';

/** The details of `details`, with the recent `samples`, laid out `width` characters wide. */
export function detailsLines(
  details: ProcessDetails,
  samples: readonly Sample[],
  width: number,
  now: number,
): TextLine[] {
  return joinSections([
    summaryLines(details, now),
    healthLines(details),
    resourceLines(details, samples, width),
    limitLines(details),
    probeLines(details),
    runLines(details.runs, width),
    specLines(details),
  ]);
}

/** `web  ● running  pid 4242  up 1m15s  restarts 1`, why it is where it is, and who it is. */
function summaryLines(details: ProcessDetails, now: number): TextLine[] {
  const status = STATUS_LOOK[details.status];
  const facts = [
    details.pid === null ? 'no pid' : `pid ${details.pid}`,
    details.uptimeMs === null ? null : `up ${formatDuration(details.uptimeMs, 'elapsed')}`,
    `restarts ${details.restarts}`,
    details.kind,
  ].filter((fact) => fact !== null);
  const lines: TextLine[] = [
    [
      { text: details.name, bold: true },
      { text: '  ' },
      { text: `${status.symbol} ${details.status}`, look: status },
      { text: `  ${facts.join('  ')}` },
    ],
  ];
  const reason = reasonText(details, now);
  if (reason !== '') lines.push([{ text: 'reason ' }, { text: reason, look: reasonLook(status) }]);
  lines.push(plain(`namespace ${details.namespace}`));
  if (details.spec.description !== undefined) {
    lines.push(plain(`description ${details.spec.description}`));
  }
  const labels = labelsText(details.labels);
  if (labels !== '') lines.push(plain(`labels ${labels}`));
  if (details.containment) lines.push(plain(`containment ${containmentText(details.containment)}`));
  return lines;
}

/** A reason is painted as its status is, but never dimmed away. */
function reasonLook(status: Look): Look | undefined {
  return status.role === undefined ? undefined : { symbol: '', role: status.role };
}

/** `health healthy  score 82`, and what lowered the score. */
function healthLines(details: ProcessDetails): TextLine[] {
  return [
    [
      { text: 'health ', bold: true },
      { text: details.health, look: HEALTH_LOOK[details.health] },
      { text: `  score ${details.healthScore}` },
    ],
    ...details.healthReasons.map((reason) => plain(`  ${reason}`)),
  ];
}

/** The spec in snake_case, as overseer.yaml writes it, every default included. */
function specLines(details: ProcessDetails): TextLine[] {
  return [
    title('spec'),
    ...yamlLines(specAsConfig(details.spec)).map((line) => plain(`  ${line}`)),
  ];
}
