/**
 * The apply plan: what a changed config means for a running stack. A process that is new
 * is added, one whose definition changed is changed (stopped, then declared again with the
 * new definition), one that is gone is removed; the rest is left alone. Definitions are
 * compared as data: the order keys are written in does not matter, a value does.
 */

/** One declared process as written in the config: its name and the rest as plain data. */
export interface Definition {
  readonly name: string;
}

/** The side of a config the plan compares: the processes and the settings every one shares. */
export interface ApplySide {
  readonly definitions: readonly Definition[];
  /** The sandbox of every process: when it changes, every process changes. */
  readonly sandbox: unknown;
}

/** What applying a changed config does, by declared process name. */
export interface ApplyPlan {
  /** New processes, in the new config's order. */
  readonly added: readonly string[];
  /** Processes whose definition (or the shared sandbox) changed, in the new config's order. */
  readonly changed: readonly string[];
  /** Processes the new config no longer declares, in the old config's order. */
  readonly removed: readonly string[];
}

/** Compares the config running (`before`) with the one to apply (`after`). */
export function planApply(before: ApplySide, after: ApplySide): ApplyPlan {
  const old = new Map(before.definitions.map((definition) => [definition.name, definition]));
  const next = new Set(after.definitions.map((definition) => definition.name));
  const sandboxChanged = !sameData(before.sandbox, after.sandbox);
  const added: string[] = [];
  const changed: string[] = [];
  for (const definition of after.definitions) {
    const was = old.get(definition.name);
    if (was === undefined) added.push(definition.name);
    else if (sandboxChanged || !sameData(was, definition)) changed.push(definition.name);
  }
  const removed = [...old.keys()].filter((name) => !next.has(name));
  return { added, changed, removed };
}

/**
 * True when two values hold the same data: primitives equal, arrays equal item by item,
 * objects with equal values under the same keys, whatever order the keys come in. A key
 * whose value is `undefined` counts as absent, as it does once written to a file.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameData(item, b[index]))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  // Every defined key of `a` holds the same in `b`, and `b` has no more defined keys.
  let defined = 0;
  for (const key of Object.keys(a)) {
    if (a[key] === undefined) continue;
    defined += 1;
    if (!sameData(a[key], b[key])) return false;
  }
  return defined === countDefined(b);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

function countDefined(value: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const key of Object.keys(value)) if (value[key] !== undefined) count += 1;
  return count;
}
