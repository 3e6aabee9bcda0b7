/**
 * `overseer __complete WORD…`, what the completion scripts call on every Tab: prints the
 * candidates for the last word, one a line (`value<TAB>description`), or `:files`. It reads
 * the config's names but never contacts a daemon, and it never fails: whatever goes wrong
 * (no config, a broken one) leaves nothing to offer, and the shell shows no error.
 */
import { constants } from 'node:os';
import type { Command } from 'commander';
import { findConfigFile } from '../../config/files.js';
import { type Completion, completionOf } from './candidates.js';
import { FILES_DIRECTIVE } from './scripts.js';

/** Prints the completion of `words` (the words after `overseer`) for `program`; always 0. */
export async function printCompletion(program: Command, words: readonly string[]): Promise<0> {
  try {
    const completion = await completionOf(program, words, {
      processes: async (file) => {
        try {
          const { declaredProcesses } = await import('../../config/declared-names.js');
          return await declaredProcesses(findConfigFile(process.cwd(), file));
        } catch {
          return [];
        }
      },
      signals: () => Object.keys(constants.signals).map((name) => name.replace(/^SIG/, '')),
    });
    process.stdout.write(linesOf(completion));
  } catch {
    // Nothing to offer: a completion never prints an error into the user's shell.
  }
  return 0;
}

/** The lines the scripts read: `value<TAB>description` a candidate, or the files directive. */
export function linesOf(completion: Completion): string {
  if (completion.kind === 'files') return `${FILES_DIRECTIVE}\n`;
  return completion.candidates
    .map(({ value, description }) => {
      const text = description?.replace(/\s+/g, ' ').trim();
      return text ? `${value}\t${text}\n` : `${value}\n`;
    })
    .join('');
}
