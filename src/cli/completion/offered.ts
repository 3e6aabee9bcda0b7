/**
 * Words offered to shell completion where commander cannot tell them itself: the words a
 * command takes first (`dlq ls|show|retry|drop`, `tasks cancel`), whose first argument is a
 * verb or an ID and so has no `choices()`; and the values of an option that its command
 * checks itself, with its own message (`run --priority`, `tasks --status`). The definition
 * offers them here, beside what it declares.
 */
import type { Command, Option } from 'commander';

const firstWords = new WeakMap<Command, readonly string[]>();
const optionValues = new WeakMap<Option, readonly string[]>();

/** Offers `words` as the first argument of `command`; returns the command. */
export function offerFirstWords(command: Command, words: readonly string[]): Command {
  firstWords.set(command, words);
  return command;
}

/** The words offered as the first argument of `command`: none unless it offered some. */
export function firstWordsOf(command: Command): readonly string[] {
  return firstWords.get(command) ?? [];
}

/** Offers `values` for the option of `command` whose long flag is `flag`; returns the command. */
export function offerOptionValues(
  command: Command,
  flag: string,
  values: readonly string[],
): Command {
  const option = command.options.find((candidate) => candidate.long === flag);
  if (!option) throw new Error(`${command.name()} has no option ${flag} to offer values for`);
  optionValues.set(option, values);
  return command;
}

/** The values offered for `option`: its `choices()`, or those offered here, or none. */
export function valuesOfOption(option: Option): readonly string[] {
  return option.argChoices ?? optionValues.get(option) ?? [];
}
