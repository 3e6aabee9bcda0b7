/**
 * `dlq [ls]`: the dead letters of the project's workflows, newest first; `dlq show ID`:
 * one; `dlq retry ID`: its run pending again, for a worker to resume at the failed step;
 * `dlq drop ID`: deleted, its run left failed.
 */
import { OverseerError } from '../../core/errors.js';
import { checkedLimit } from '../../protocol/workflows-api.js';
import { type WorkflowsOptions, withWorkflows } from '../workflows-access.js';
import { keyValues, renderLetterTable } from './workflows.js';

export interface DlqOptions extends WorkflowsOptions {
  readonly workflow?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

const ACTIONS = ['ls', 'show', 'retry', 'drop'] as const;

export async function dlq(args: readonly string[], options: DlqOptions): Promise<number> {
  const [action = 'ls', ...rest] = args;
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new OverseerError('BAD_REQUEST', `dlq: expected ${ACTIONS.join(', ')}, got ${action}`);
  }
  const expected = action === 'ls' ? 0 : 1;
  if (rest.length !== expected) {
    throw new OverseerError(
      'BAD_REQUEST',
      action === 'ls'
        ? `dlq ls: expected no argument`
        : `dlq ${action}: expected one dead letter id`,
    );
  }
  const id = rest[0]!;
  const print = (json: unknown, text: string) =>
    process.stdout.write(`${options.json ? JSON.stringify(json) : text}\n`);
  switch (action) {
    case 'ls': {
      const deadLetters = await withWorkflows(options, (api) =>
        api.deadLetters({
          ...(options.workflow !== undefined && { workflow: options.workflow }),
          ...(options.limit !== undefined && { limit: checkedLimit(options.limit) }),
        }),
      );
      print({ deadLetters }, renderLetterTable(deadLetters));
      return 0;
    }
    case 'show': {
      const letter = await withWorkflows(options, (api) => api.deadLetter(id));
      const rows: [string, string][] = [
        ['id', letter.id],
        ['workflow', letter.workflow],
        ['run', letter.runId],
        ['step', `${letter.step} (#${letter.stepIndex})`],
        ['attempts', String(letter.attempts)],
        ['failed at', letter.failedAt],
        ['input', JSON.stringify(letter.input)],
        ['error', `${letter.error.name}: ${letter.error.message}`],
      ];
      const lines = keyValues(rows);
      if (letter.error.stack) lines.push('', letter.error.stack);
      print(letter, lines.join('\n'));
      return 0;
    }
    case 'retry': {
      // The letter's whole id is said: the user may have given its start.
      const { letter, run } = await withWorkflows(options, async (api) => {
        const letter = await api.deadLetter(id);
        return { letter, run: await api.retryDeadLetter(letter.id) };
      });
      print(
        { id: letter.id, run },
        `retried ${letter.id}: run ${run.id} (${run.workflow}) is pending again`,
      );
      return 0;
    }
    default: {
      const letter = await withWorkflows(options, async (api) => {
        const letter = await api.deadLetter(id);
        await api.dropDeadLetter(letter.id);
        return letter;
      });
      print({ dropped: letter.id }, `dropped ${letter.id}`);
      return 0;
    }
  }
}
