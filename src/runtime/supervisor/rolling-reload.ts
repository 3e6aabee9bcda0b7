/**
 * Carries out a rolling reload (core/stack/rolling.ts): each instance of the plan in turn
 * is restarted, and the next is touched only once its replacement is ready. A replacement
 * that fails ends the reload: it is left to its restart policy, and the instances after it
 * are left as they are.
 */
import { OverseerError } from '../../core/errors.js';
import {
  type InstanceReload,
  judgeReplacement,
  planRollingReload,
  type ReloadCandidate,
  type ReloadReport,
  type ReplacementVerdict,
} from '../../core/stack/rolling.js';
import type { Selection } from '../../core/stack/selector.js';
import { describe, type InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';
import type { ManagedProcess } from './managed-process.js';

/**
 * Reloads what `selection` stands for, one instance at a time; resolves once it is over.
 * Once `closing()` (the supervisor shuts down), no further instance is touched: a restart
 * then would wait for an admission that never comes.
 */
export async function reloadRolling(
  registry: InstanceRegistry,
  loop: SupervisorLoop,
  selection: Selection,
  closing: () => boolean,
): Promise<ReloadReport> {
  const selected = selection.instances.map((name) => registry.byName(name));
  const families = [...new Set(selected.map((managed) => managed.spec.family))];
  const declared = families.flatMap((family) => registry.instancesOf(family));
  const plan = planRollingReload(
    declared.map(candidate),
    selected.map(candidate),
    selection.processes.length > 0,
  );
  if (!plan.ok) throw new OverseerError(plan.refusal.code, plan.refusal.message);

  const done: InstanceReload[] = [];
  for (const name of plan.order) {
    if (done.some((outcome) => outcome.outcome === 'failed')) {
      done.push({ name, outcome: 'untouched' });
    } else if (closing()) {
      done.push({ name, outcome: 'failed', reason: 'the supervisor is shutting down' });
    } else {
      done.push(await replace(loop, registry.byName(name)));
    }
  }
  const skipped = plan.skipped.map(
    ({ name, reason }): InstanceReload => ({ name, outcome: 'skipped', reason }),
  );
  return {
    ok: done.every((outcome) => outcome.outcome === 'replaced'),
    instances: [...done, ...skipped],
    plainRestarts: plan.plainRestarts,
    processes: selected.map(describe),
  };
}

/** Restarts one instance and waits until its new run is ready, or will not be. */
async function replace(loop: SupervisorLoop, managed: ManagedProcess): Promise<InstanceReload> {
  const name = managed.spec.name;
  const runsBefore = managed.spawnCount;
  const askedAt = Date.now();
  // Kept as the condition saw it: the state may move on before this function resumes.
  const seen: { verdict: ReplacementVerdict } = { verdict: { kind: 'waiting' } };
  loop.feed(managed, { type: 'restart' });
  await loop.until(() => {
    seen.verdict = judgeReplacement(managed.record.state, managed.spawnCount > runsBefore);
    return seen.verdict.kind !== 'waiting';
  });
  const { verdict } = seen;
  return verdict.kind === 'failed'
    ? { name, outcome: 'failed', reason: verdict.reason }
    : { name, outcome: 'replaced', readyInMs: Date.now() - askedAt };
}

function candidate({ spec, record }: ManagedProcess): ReloadCandidate {
  return {
    name: spec.name,
    family: spec.family,
    instance: spec.instance,
    status: record.state.status,
  };
}
