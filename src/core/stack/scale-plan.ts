/**
 * `overseer scale web N` as a pure decision: which instances to add or remove so that a
 * process runs N from now on, never touching the others. Instances are numbered: added
 * ones take the lowest free numbers (`web-3`, `web-4`), removed ones are the highest.
 */
import type { ErrorCode } from '../errors.js';

/** The most instances one process may have: as in a config (`instances`). */
export const MAX_INSTANCES = 1_000;

/** One instance of the process to scale, as the plan needs to know it. */
export interface ScaleMember {
  readonly name: string;
  readonly instance: number;
  /** Stopped, completed, or failed with no retry of its breaker to come: it will not run again unless asked. */
  readonly settled: boolean;
}

/** What to do, or why not. */
export type ScalePlan =
  | {
      readonly ok: true;
      /** New instances to declare, lowest number first. */
      readonly add: readonly { readonly name: string; readonly instance: number }[];
      /** Instances to stop and forget, highest number first. */
      readonly remove: readonly string[];
      /**
       * Whether the added instances start: when the process runs (one of its instances is
       * not settled). A process stopped whole gains stopped instances, which start with it.
       */
      readonly startAdded: boolean;
    }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * The plan to run `target` instances of `family`, whose instances are `members`. Refused:
 * a `target` that is not a whole number from 1 to MAX_INSTANCES; a process declared
 * without `instances` (its one process is named `web`, and scaling it would rename it);
 * a new instance name that another process already has (`taken`).
 */
export function planScale(
  family: string,
  members: readonly ScaleMember[],
  target: number,
  taken: (name: string) => boolean,
): ScalePlan {
  if (!Number.isInteger(target) || target < 1 || target > MAX_INSTANCES) {
    const stopInstead = target === 0 ? ` (to run none, \`overseer stop ${family}\`)` : '';
    return refuse(
      'BAD_REQUEST',
      `instances: expected a whole number from 1 to ${MAX_INSTANCES}, got ${JSON.stringify(target)}${stopInstead}`,
    );
  }
  if (members.length === 1 && members[0]!.name === family) {
    return refuse(
      'BAD_REQUEST',
      `${family} was declared without \`instances:\` (its one process is named ${family}, not ${family}-0): set \`instances:\` in the config to scale it`,
    );
  }
  const byNumber = [...members].sort((a, b) => a.instance - b.instance);
  const remove = byNumber
    .slice(target)
    .reverse()
    .map((member) => member.name);
  const used = new Set(members.map((member) => member.instance));
  const add: { name: string; instance: number }[] = [];
  for (let instance = 0; members.length + add.length < target; instance++) {
    if (used.has(instance)) continue;
    const name = `${family}-${instance}`;
    if (taken(name)) {
      return refuse('BAD_REQUEST', `cannot add ${name}: another process is named so`);
    }
    add.push({ name, instance });
  }
  const startAdded = members.some((member) => !member.settled);
  return { ok: true, add, remove, startAdded };
}

function refuse(code: ErrorCode, message: string): ScalePlan {
  return { ok: false, code, message };
}
