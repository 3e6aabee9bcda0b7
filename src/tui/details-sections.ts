/**
 * The sections of a process's details below its summary, as lines: resources (sparklines
 * of the recent samples), limits and their breaches, probes and what they last said, and
 * the runs with why each ended. Pure, as every line of the details is.
 */
import {
  breachText,
  memoryTrendText,
  runExitText,
  throttleText,
  violationsText,
} from '../core/details-text.js';
import { cpuWarnThreshold, memoryWarnBytes } from '../core/limits/limits.js';
import { healthSource } from '../core/process/probe-tally.js';
import type { ProbeSpec } from '../core/process/spec.js';
import { checkConfig, durationText, sizeText } from '../core/process/spec-as-config.js';
import type { ProbeKind } from '../core/process/state.js';
import { formatBytes, formatDuration, formatPercent, formatSize } from '../core/units.js';
import type { ProcessDetails, RunRecord } from '../core/view.js';
import { GAP, padOrCut } from './process-cells.js';
import type { Sample } from './sample-history.js';
import { sparkline } from './sparkline.js';
import { HEALTH_LOOK, type Look } from './status-look.js';
import { plain, type TextLine, title } from './text-line.js';

const WARNING: Look = { symbol: '', role: 'warning' };
const ERROR: Look = { symbol: '', role: 'error' };
const DIM: Look = { symbol: '', dim: true };

/** `cpu  ▁▂▅█▃  min 0.5%  max 12.0%  last 3.2%`, and the same for memory. */
export function resourceLines(
  details: ProcessDetails,
  samples: readonly Sample[],
  width: number,
): TextLine[] {
  const lines: TextLine[] = [title(`resources (last ${samples.length} samples)`)];
  const cpu = samples.flatMap((sample) => (sample.cpuPercent === null ? [] : [sample.cpuPercent]));
  const memory = samples.flatMap((sample) =>
    sample.memoryBytes === null ? [] : [sample.memoryBytes],
  );
  if (cpu.length === 0 && memory.length === 0) {
    lines.push([{ text: 'no samples yet: they are taken while the process runs', look: DIM }]);
  } else {
    lines.push(seriesLine('cpu', cpu, formatPercent, width));
    lines.push(seriesLine('mem', memory, formatBytes, width));
  }
  const { memoryTrend, throttleDuty } = details.resources;
  if (memoryTrend) {
    lines.push(
      memoryTrend.rising
        ? [{ text: memoryTrendText(memoryTrend), look: WARNING }]
        : plain(memoryTrendText(memoryTrend)),
    );
  }
  if (throttleDuty !== null) lines.push([{ text: throttleText(throttleDuty), look: WARNING }]);
  return lines;
}

/** One series: its label, its sparkline as wide as the room left, and its min, max and last. */
function seriesLine(
  label: string,
  values: readonly number[],
  format: (value: number) => string,
  width: number,
): TextLine {
  if (values.length === 0) return plain(`${label}  -`);
  const figuresOf = (shown: readonly number[]) =>
    `min ${format(Math.min(...shown))}  max ${format(Math.max(...shown))}  last ${format(shown.at(-1)!)}`;
  const room = Math.max(1, width - label.length - figuresOf(values).length - 2 * GAP);
  // The figures are those of the bars shown: the newest samples that fit.
  const shown = values.slice(-room);
  return [
    { text: `${label}  ` },
    { text: sparkline(shown, room), look: { symbol: '', role: 'primary' } },
    { text: `  ${figuresOf(shown)}` },
  ];
}

/** The limits the spec sets, what each does, and the breaches so far. */
export function limitLines(details: ProcessDetails): TextLine[] {
  const { limits } = details.spec;
  const { violations, breaches } = details.resources;
  const total = violationsText(violations);
  if (!limits && total === null) return [];
  const lines: TextLine[] = [title('limits')];
  if (limits) {
    if (limits.memoryBytes !== undefined) {
      lines.push(plain(`memory ${sizeText(limits.memoryBytes)}: over it, ${limits.memoryAction}`));
      const warn = memoryWarnBytes(limits);
      if (warn !== undefined) lines.push(plain(`memory ${formatSize(warn)}: over it, warn`));
    }
    if (limits.cpuPercent !== undefined) {
      const window = durationText(limits.cpuWindowMs);
      lines.push(plain(`cpu ${limits.cpuPercent}%: over it for ${window}, ${limits.cpuAction}`));
      const warn = cpuWarnThreshold(limits);
      if (warn !== undefined) lines.push(plain(`cpu ${warn}%: over it for ${window}, warn`));
    }
    if (limits.maxRuntimeMs !== undefined) {
      lines.push(plain(`max runtime ${durationText(limits.maxRuntimeMs)}: then stopped`));
    }
    if (limits.openFiles !== undefined) lines.push(plain(`open files ${limits.openFiles}`));
  }
  // Warnings are announced without being violations: they are listed all the same.
  if (total === null) lines.push([{ text: 'no violation', look: DIM }]);
  else lines.push([{ text: `violations: ${total}`, look: WARNING }]);
  for (const breach of breaches) {
    lines.push([
      { text: `  ${breachText(breach)}`, look: breach.severity === 'critical' ? ERROR : WARNING },
    ]);
  }
  return lines;
}

/**
 * Each probe the spec sets, how it checks, and what it last said: the verdict for the probe
 * the health follows, and the failures in a row the health score counts for either.
 */
export function probeLines(details: ProcessDetails): TextLine[] {
  const { readiness, liveness } = details.spec;
  const probes = [
    ['readiness', readiness],
    ['liveness', liveness],
  ] as const;
  const present = probes.filter((entry): entry is [ProbeKind, ProbeSpec] => entry[1] !== undefined);
  if (present.length === 0) return [];
  const source = healthSource(details.spec);
  const lines: TextLine[] = [title('probes')];
  for (const [kind, probe] of present) {
    lines.push(plain(`${kind}  ${checkOf(probe)}`));
    if (kind === source) {
      lines.push([
        { text: '  last result: ' },
        { text: details.health, look: HEALTH_LOOK[details.health] },
      ]);
    }
    for (const reason of details.healthReasons.filter((text) => concerns(text, kind))) {
      lines.push([{ text: `  ${reason}`, look: WARNING }]);
    }
  }
  return lines;
}

/** `http http://127.0.0.1:3000/health every 1s, timeout 1s, failing after 3` */
function checkOf(probe: ProbeSpec): string {
  const [type, target] = Object.entries(checkConfig(probe.check))[0]!;
  const every = `every ${durationText(probe.intervalMs)}, timeout ${durationText(probe.timeoutMs)}`;
  return `${type} ${String(target)}  ${every}, failing after ${probe.failureThreshold}`;
}

/** Whether a reason of the health score speaks of this probe. */
function concerns(reason: string, kind: ProbeKind): boolean {
  return (
    reason.startsWith(`${kind} probe`) || (kind === 'readiness' && reason.startsWith('not ready'))
  );
}

const RUN_COLUMNS = ['PID', 'STARTED', 'ENDED', 'RAN', 'EXIT', 'WHY'] as const;

/** The runs, newest first, with why each ended. */
export function runLines(runs: readonly RunRecord[], width: number): TextLine[] {
  if (runs.length === 0) return [title('runs'), [{ text: 'no run yet', look: DIM }]];
  const rows = [...runs]
    .reverse()
    .map((run) => [
      String(run.pid),
      timeOf(run.startedAt),
      run.endedAt === null ? 'running' : timeOf(run.endedAt),
      run.runMs === null ? '-' : formatDuration(run.runMs, 'elapsed'),
      runExitText(run),
      [run.reason ?? '', run.killedAfterTimeout ? 'killed after the stop timeout' : '']
        .filter((text) => text !== '')
        .join('; '),
    ]);
  const widths = RUN_COLUMNS.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) => {
    const fixed = cells.slice(0, -1).map((cell, column) => cell.padEnd(widths[column]! + GAP));
    const used = fixed.join('').length;
    return fixed.join('') + padOrCut(cells.at(-1)!, Math.max(0, width - used)).trimEnd();
  };
  return [
    title(`runs (last ${runs.length}, newest first)`),
    [{ text: line(RUN_COLUMNS), bold: true }],
    ...rows.map((cells) => plain(line(cells))),
  ];
}

/** `2026-01-01 10:00:00`, in UTC as `inspect` shows it. */
function timeOf(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}
