/**
 * One dead letter in full, as lines: what `overseer dlq show ID` says (its workflow, run,
 * step, attempts, when), the error with its stack, and the run's input.
 */
import type { DeadLetterView } from '../core/workflows/views.js';
import { joinSections, type TextLine, title } from './text-line.js';
import { agoText } from './workflow-cells.js';
import { errorLines, factLines, jsonSection } from './workflow-lines.js';

export function letterDetailsLines(letter: DeadLetterView, now: number): TextLine[] {
  return joinSections([
    [
      [{ text: `dead letter ${letter.id}`, bold: true }],
      ...factLines([
        ['workflow', letter.workflow],
        ['run', letter.runId],
        ['step', `${letter.step} #${letter.stepIndex}`],
        ['attempts', String(letter.attempts)],
        ['failed at', `${letter.failedAt} (${agoText(letter.failedAt, now)})`],
      ]),
    ],
    [title('error'), ...errorLines(letter.error)],
    jsonSection('input', letter.input),
  ]);
}
