/**
 * What may come next on an `overseer` command line, read from the live commander program
 * (commands, subcommands, options, the `choices()` of options and arguments) and from the
 * config's declared names (processes, instances, namespaces) where a command takes a
 * process selector. The shell scripts only relay it, so they never drift from the commands.
 */
import type { Argument, Command, Option } from 'commander';
import type { DeclaredProcess } from '../../config/declared-names.js';
import { firstWordsOf, valuesOfOption } from './offered.js';

/** One word the shell may offer, with what it is. */
export interface Candidate {
  readonly value: string;
  readonly description?: string;
}

/** The candidates for the word being completed, or `files`: let the shell complete a path. */
export type Completion =
  | { readonly kind: 'words'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'files' };

/** What completion needs beyond the program: read only when a word calls for it. */
export interface CompletionSources {
  /** The processes declared by the config `-f FILE` names (undefined: the current folder's). */
  readonly processes: (file: string | undefined) => Promise<readonly DeclaredProcess[]>;
  /** The signal names of this host, without `SIG`. */
  readonly signals: () => readonly string[];
}

/** How many instance names one process offers at most: enough for any real stack. */
const MAX_INSTANCES_OFFERED = 1000;

/** Where the words before the current one left the command line. */
interface LineState {
  command: Command;
  readonly positionals: string[];
  file?: string;
  namespace?: string;
  afterDashes: boolean;
}

/**
 * The completion of the last of `words` (the words after `overseer`, the last being the one
 * under the cursor, possibly empty), its candidates starting with it.
 */
export async function completionOf(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<Completion> {
  const current = words.at(-1) ?? '';
  const preceding = words.slice(0, -1);
  const state: LineState = { command: program, positionals: [], afterDashes: false };
  for (let index = 0; index < preceding.length; index++) {
    const word = preceding[index]!;
    if (state.afterDashes) state.positionals.push(word);
    else if (word === '--') state.afterDashes = true;
    else if (word.startsWith('-') && word !== '-') {
      const [flag, inline] = splitInline(word);
      const option = state.command.options.find(
        (candidate) => candidate.long === flag || candidate.short === flag,
      );
      if (option && inline !== undefined) remember(state, option, inline);
      if (!option || inline !== undefined) continue;
      // bash splits `--file=x` at the `=` (COMP_WORDBREAKS): `--file`, `=`, `x`.
      if (preceding[index + 1] === '=') index++;
      if (!takesValue(option, preceding[index + 1] ?? current)) continue;
      if (index + 1 === preceding.length) return valuesOf(option, current, state, sources);
      remember(state, option, preceding[++index]!);
    } else {
      const subcommand = state.positionals.length === 0 && subcommandOf(state.command, word);
      if (subcommand) state.command = subcommand;
      else state.positionals.push(word);
    }
  }
  if (state.afterDashes) return { kind: 'files' };
  if (current.startsWith('-')) return matching(optionsOf(program, state.command), current);
  const subcommands = program.createHelp().visibleCommands(state.command);
  if (subcommands.length > 0 && state.positionals.length === 0) {
    return matching(
      subcommands.map((command) => ({
        value: command.name(),
        description: command.summary() || command.description(),
      })),
      current,
    );
  }
  return argumentValues(state, current, sources);
}

function matching(candidates: readonly Candidate[], current: string): Completion {
  return {
    kind: 'words',
    candidates: candidates.filter((candidate) => candidate.value.startsWith(current)),
  };
}

/** `--file=x` as `--file` and `x`; any other word as itself. */
function splitInline(word: string): [string, string | undefined] {
  const equals = word.indexOf('=');
  return word.startsWith('--') && equals > 0
    ? [word.slice(0, equals), word.slice(equals + 1)]
    : [word, undefined];
}

/** Whether `option` takes the word after it: always for `<value>`, for `[value]` unless a flag follows. */
function takesValue(option: Option, next: string): boolean {
  return option.required || (option.optional && !next.startsWith('-'));
}

function remember(state: LineState, option: Option, value: string): void {
  if (option.attributeName() === 'file') state.file = value;
  if (option.attributeName() === 'namespace') state.namespace = value;
}

function subcommandOf(command: Command, word: string): Command | undefined {
  return command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
}

/** The flags of `command`'s visible options, long and short, with their descriptions. */
function optionsOf(program: Command, command: Command): Candidate[] {
  return program
    .createHelp()
    .visibleOptions(command)
    .flatMap((option) =>
      [option.long, option.short]
        .filter((flag): flag is string => flag !== undefined)
        .map((flag) => ({ value: flag, description: option.description })),
    );
}

/** The values an option's argument may take: its choices, namespaces, or a path. */
async function valuesOf(
  option: Option,
  current: string,
  state: LineState,
  sources: CompletionSources,
): Promise<Completion> {
  const values = valuesOfOption(option);
  if (values.length > 0)
    return matching(
      values.map((value) => ({ value })),
      current,
    );
  if (option.attributeName() === 'namespace') {
    const processes = await sources.processes(state.file);
    const namespaces = new Set(processes.flatMap((process) => process.namespace ?? []));
    return matching(
      [...namespaces].map((value) => ({ value, description: 'namespace' })),
      current,
    );
  }
  if (/<(file|dir|path)>/.test(option.flags)) return { kind: 'files' };
  return matching([], current);
}

/** The values of the argument at the next position: offered words, choices, names, signals. */
async function argumentValues(
  state: LineState,
  current: string,
  sources: CompletionSources,
): Promise<Completion> {
  const position = state.positionals.length;
  const offered = position === 0 ? firstWordsOf(state.command) : [];
  if (offered.length > 0)
    return matching(
      offered.map((value) => ({ value })),
      current,
    );
  const argument = argumentAt(state.command, position);
  if (!argument) return matching([], current);
  if (argument.argChoices)
    return matching(
      argument.argChoices.map((value) => ({ value })),
      current,
    );
  if (argument.name() === 'signal') {
    return matching(
      sources.signals().map((value) => ({ value, description: 'signal' })),
      current,
    );
  }
  if (argument.name() !== 'name' && argument.name() !== 'names') return matching([], current);
  const named = new Set(state.positionals);
  const selectors = [
    ...processNames(await sources.processes(state.file), state.namespace, current),
    // `all` is a selector wherever the argument says it takes it.
    ...(/\ball\b/.test(argument.description)
      ? [{ value: 'all', description: 'every process' }]
      : []),
  ];
  return matching(
    selectors.filter((candidate) => !named.has(candidate.value)),
    current,
  );
}

/** The argument of `command` at `position`; a variadic last one takes every later word. */
function argumentAt(command: Command, position: number): Argument | undefined {
  const declared = command.registeredArguments;
  const last = declared.at(-1);
  return declared[position] ?? (last?.variadic ? last : undefined);
}

/**
 * The processes (of `namespace` when one is given), and the instances of one whose name the
 * word already begins with: `worker-` offers `worker-0`, `worker-1`….
 */
function processNames(
  processes: readonly DeclaredProcess[],
  namespace: string | undefined,
  current: string,
): Candidate[] {
  return processes
    .filter((process) => namespace === undefined || process.namespace === namespace)
    .flatMap((process) => {
      const description = process.namespace ? `process in ${process.namespace}` : 'process';
      const own = { value: process.name, description };
      if (process.instances === undefined || !current.startsWith(`${process.name}-`)) return [own];
      const count = Math.min(process.instances, MAX_INSTANCES_OFFERED);
      return [
        own,
        ...Array.from({ length: count }, (_, instance) => ({
          value: `${process.name}-${instance}`,
          description: `instance of ${process.name}`,
        })),
      ];
    });
}
