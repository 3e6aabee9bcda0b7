/** A list for a model: a heading, a line per item, and no more lines than a context holds. */

/** Most items a list answers; past them, how many were left out and how to narrow. */
export const MAX_LIST_ITEMS = 200;

export function listText(heading: string, lines: readonly string[], narrowHint: string): string {
  const over = lines.length - MAX_LIST_ITEMS;
  if (over <= 0) return [heading, ...lines].join('\n');
  return [
    heading,
    ...lines.slice(0, MAX_LIST_ITEMS),
    `… and ${over} more, left out: ${narrowHint}.`,
  ].join('\n');
}
