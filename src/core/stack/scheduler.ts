/**
 * Slot scheduling: which waiting processes start now. At most `maxProcesses` children
 * exist at once; waiting processes whose dependencies hold are served by priority, then
 * in declaration order. Every one left waiting is told what it waits for.
 */

import { slotReason } from '../process/reasons.js';
import { PRIORITY_RANK, type ProcessSpec } from '../process/spec.js';
import { holdsSlot, type ProcessRecord } from '../process/state.js';
import { type InstanceView, judgeDependencies } from './graph.js';

/** One supervised process as the scheduler sees it, in declaration order. */
export interface ScheduledProcess {
  readonly spec: ProcessSpec;
  readonly record: ProcessRecord;
}

/**
 * What the scheduler asks for: start these now; fail those whose dependency failed; tell
 * those left waiting what they wait for (only those for whom that changed).
 */
export interface SchedulePlan {
  readonly admit: readonly string[];
  readonly fail: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  readonly wait: ReadonlyArray<{
    readonly name: string;
    readonly reason: string;
    readonly blocked: boolean;
  }>;
}

export function planSchedule(
  processes: readonly ScheduledProcess[],
  maxProcesses: number,
): SchedulePlan {
  const byFamily = familyInstances(processes);
  const instancesOf = (family: string): readonly InstanceView[] => byFamily.get(family) ?? [];

  const fail: Array<{ name: string; reason: string }> = [];
  const wait: Array<{ name: string; reason: string; blocked: boolean }> = [];
  const candidates: Array<{ process: ScheduledProcess; order: number }> = [];
  let busySlots = 0;
  const waitFor = ({ spec, record }: ScheduledProcess, reason: string, blocked: boolean) => {
    const { state } = record;
    if (state.status !== 'pending' || (state.reason === reason && state.blocked === blocked)) {
      return;
    }
    wait.push({ name: spec.name, reason, blocked });
  };

  processes.forEach((process, order) => {
    const { state } = process.record;
    if (holdsSlot(state)) busySlots += 1;
    if (state.status !== 'pending') return;
    const judged = judgeDependencies(process.spec, instancesOf);
    if (judged.verdict === 'fail') fail.push({ name: process.spec.name, reason: judged.reason });
    else if (judged.verdict === 'ready') candidates.push({ process, order });
    else waitFor(process, judged.reason, judged.blocked);
  });

  candidates.sort(
    (a, b) =>
      PRIORITY_RANK[b.process.spec.priority] - PRIORITY_RANK[a.process.spec.priority] ||
      a.order - b.order,
  );
  const freeSlots = Math.max(0, maxProcesses - busySlots);
  const admit = candidates.slice(0, freeSlots).map(({ process }) => process.spec.name);
  for (const { process } of candidates.slice(freeSlots)) {
    waitFor(process, slotReason(maxProcesses), false);
  }
  return { admit, fail, wait };
}

function familyInstances(processes: readonly ScheduledProcess[]): Map<string, InstanceView[]> {
  const byFamily = new Map<string, InstanceView[]>();
  for (const { spec, record } of processes) {
    // `running` already means ready; only a probe that turned bad since then holds dependents back.
    const view: InstanceView = {
      name: spec.name,
      state: record.state,
      healthy: record.health !== 'unhealthy',
    };
    const list = byFamily.get(spec.family);
    if (list) list.push(view);
    else byFamily.set(spec.family, [view]);
  }
  return byFamily;
}
