/**
 * The comment atop every exported file: what it is, what to fill in, what did not carry
 * over. All four formats take `#` comments, so one writer serves them all.
 */
import { type Loss, lossLines } from './model.js';

/** `# …` lines: the title, the placeholders to fill in, then every loss that concerns the file. */
export function headerComment(
  title: string,
  placeholders: readonly string[],
  losses: readonly Loss[],
): string {
  const lines = [title];
  if (placeholders.length > 0) {
    lines.push('', 'REPLACE BEFORE USE:', ...placeholders.map((text) => `  - ${text}`));
  }
  if (losses.length > 0) {
    lines.push('', 'Did not carry over:', ...lossLines(losses).map((text) => `  - ${text}`));
  }
  return `${lines.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n')}\n`;
}

/** The losses that concern one process's file: the project's own, then that process's. */
export function lossesOf(losses: readonly Loss[], processes: readonly string[]): Loss[] {
  return losses.filter((loss) => loss.process === undefined || processes.includes(loss.process));
}
