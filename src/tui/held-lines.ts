/**
 * Lines already held, left out of a page read around them: several lines may share a
 * millisecond, so a read that reaches into a held line's millisecond brings them again.
 * Lines of several instances arrive in the order they were read, not in the files' order:
 * they are compared as a set (by process, stream and text), one left out per held line.
 */
import type { ProcessLogLine } from '../core/view.js';

/** What is still owed of the held lines: a count per line, equal lines counted together. */
export class HeldLines {
  private readonly owed = new Map<string, number>();

  constructor(held: readonly ProcessLogLine[]) {
    for (const line of held) this.owed.set(keyOf(line), (this.owed.get(keyOf(line)) ?? 0) + 1);
  }

  /** True, once per held line equal to it, for a line already held. */
  takes(line: ProcessLogLine): boolean {
    const key = keyOf(line);
    const left = this.owed.get(key) ?? 0;
    if (left === 0) return false;
    this.owed.set(key, left - 1);
    return true;
  }
}

function keyOf(line: ProcessLogLine): string {
  return `${line.name}\u0000${line.stream}\u0000${line.text}`;
}
