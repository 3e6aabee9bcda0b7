/**
 * The selection of a list of things with ids (tasks, runs, dead letters), kept by id so that
 * it stays on its item as the list is read again and rows come and go.
 */
import type { Key } from 'ink';
import { stepsOf } from './scroll.js';

/** The index of the item `id` among `items`; the first when it is not (or no longer) there. */
export function indexOfId(
  items: readonly { readonly id: string }[],
  id: string | undefined,
): number {
  return Math.max(
    0,
    items.findIndex((item) => item.id === id),
  );
}

/**
 * Where ↑ ↓ (or `k` `j`, each typed counting) move the selection from the item at `from`:
 * the id of the item it lands on, kept within the list; undefined when the key is no move.
 */
export function movedSelection(
  items: readonly { readonly id: string }[],
  from: number,
  input: string,
  key: Pick<Key, 'upArrow' | 'downArrow'>,
): string | undefined {
  const move = key.upArrow ? -1 : key.downArrow ? 1 : stepsOf(input);
  if (move === 0 || items.length === 0) return undefined;
  return items[Math.min(items.length - 1, Math.max(0, from + move))]!.id;
}
