/**
 * The words a command takes first among its arguments when commander cannot say so itself:
 * `dlq ls|show|retry|drop`, `tasks cancel`. Their first argument is a verb or an ID, so it
 * has no `choices()` to check it against; the definition offers the verbs here, for shell
 * completion, beside the arguments it declares.
 */
import type { Command } from 'commander';

const firstWords = new WeakMap<Command, readonly string[]>();

/** Offers `words` as the first argument of `command`; returns the command. */
export function offerFirstWords(command: Command, words: readonly string[]): Command {
  firstWords.set(command, words);
  return command;
}

/** The words offered as the first argument of `command`: none unless it offered some. */
export function firstWordsOf(command: Command): readonly string[] {
  return firstWords.get(command) ?? [];
}
