/** Workflow runs and dead letters as a model reads them: a line each, one run as JSON. */
import type { DeadLetterView, RunDetailsView, RunView } from '../core/workflows/views.js';

/** `order-1 order: failed, 1 step done, 2 failures, updated 2026-… — Error: card declined`. */
export function runLine(run: RunView): string {
  const facts = [
    run.status,
    `${run.stepsDone} step${run.stepsDone === 1 ? '' : 's'} done`,
    ...(run.failures > 0 ? [`${run.failures} failure${run.failures === 1 ? '' : 's'}`] : []),
    `updated ${run.updatedAt}`,
  ];
  const error = run.error ? ` — ${run.error.name}: ${run.error.message}` : '';
  return `${run.id} ${run.workflow}: ${facts.join(', ')}${error}`;
}

export function runListText(runs: readonly RunView[]): string {
  if (runs.length === 0) return 'No workflow run matches.';
  return [
    `${runs.length} run${runs.length === 1 ? '' : 's'}, newest first:`,
    ...runs.map(runLine),
  ].join('\n');
}

/** The run's line, then the run, its steps and its dead letters as JSON (no stack traces). */
export function runDetailsText(details: RunDetailsView): string {
  const withoutStack = <T extends { error: { stack?: string } | null }>(item: T): T =>
    item.error ? { ...item, error: { ...item.error, stack: undefined } } : item;
  const shown = {
    run: withoutStack(details.run),
    steps: details.steps,
    deadLetters: details.deadLetters.map(withoutStack),
  };
  return `${runLine(details.run)}\n${JSON.stringify(shown)}`;
}

/** `3f9c… order-1 order, step charge (#1) after 2 attempts, 2026-…: Error: card declined`. */
export function deadLetterLine(letter: DeadLetterView): string {
  const { error } = letter;
  return `${letter.id} run ${letter.runId} ${letter.workflow}, step ${letter.step} (#${letter.stepIndex}) after ${letter.attempts} attempts, failed ${letter.failedAt}: ${error.name}: ${error.message}`;
}

export function deadLetterListText(letters: readonly DeadLetterView[]): string {
  if (letters.length === 0) return 'No dead letter.';
  return [
    `${letters.length} dead letter${letters.length === 1 ? '' : 's'}, newest first:`,
    ...letters.map(deadLetterLine),
  ].join('\n');
}
