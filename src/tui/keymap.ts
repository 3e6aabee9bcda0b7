/**
 * Every key of the dashboard, view by view: the one list the help screen (`?`) shows and the
 * footer's short line is taken from, so neither can tell of a key that does not exist.
 */

export interface KeyHelp {
  readonly keys: string;
  readonly does: string;
  /** Shown in the footer's one line, not only in the help screen. */
  readonly brief?: string;
}

export type Pane = 'table' | 'logs' | 'details' | 'tasks' | 'workflows' | 'letters' | 'help';

export const KEYMAP: Readonly<Record<Pane, readonly KeyHelp[]>> = {
  table: [
    { keys: '↑ ↓  k j', does: 'select a row', brief: '↑↓ select' },
    { keys: 'PgUp PgDn  g G', does: 'a page up or down; the first or last row' },
    {
      keys: 'Enter',
      does: 'details of the process (a folded process unfolds first)',
      brief: 'Enter details',
    },
    { keys: 'Space  → ←', does: 'unfold or fold the instances of a process' },
    {
      keys: '/',
      does: 'filter by name, namespace or status (Enter keeps, Esc clears)',
      brief: '/ filter',
    },
    { keys: 'n', does: 'show one namespace, the next, then all again' },
    {
      keys: 'o  O',
      does: 'sort by the next column (config, name, cpu, memory, restarts, score); reverse',
      brief: 'o sort',
    },
    { keys: 's  x  r', does: 'start, stop, restart', brief: 's x r start stop restart' },
    { keys: 'R', does: 'reload: a rolling restart, one instance at a time' },
    { keys: 'K', does: 'send a signal (asks which)' },
    { keys: 'S', does: 'scale a process with instances (asks how many)' },
    {
      keys: 'A',
      does: 'actions reach the selection, its namespace, or everything (stop and restart beyond the selection ask first)',
    },
    { keys: 'Tab', does: 'give the keys to the log pane', brief: 'Tab logs' },
    { keys: 't', does: 'the tasks: recent ones, their usage; cancel', brief: 't tasks' },
    { keys: 'w', does: 'the workflow runs: their steps, errors, dead letters', brief: 'w runs' },
    { keys: 'd', does: 'the dead letters: show, retry, drop', brief: 'd dead letters' },
    { keys: 'z', does: 'the log pane over the whole screen, or shared again' },
    { keys: 'Esc', does: 'clear the filter and the namespace' },
    { keys: '?', does: 'this help', brief: '? help' },
    {
      keys: 'q  Ctrl-C',
      does: 'quit (top: the stack runs on; up: stops the stack, again to force)',
      brief: 'q quit',
    },
  ],
  logs: [
    {
      keys: '↑ ↓  k j',
      does: 'scroll a line (up pauses following; past the oldest line, reads older ones from the log files)',
      brief: '↑↓ scroll',
    },
    { keys: 'PgUp PgDn', does: 'scroll a page' },
    { keys: 'g  Home', does: 'the oldest line in memory' },
    { keys: 'G  End', does: 'follow the newest lines again', brief: 'G follow' },
    { keys: 'a', does: 'every process’s output, or the selected process’s again', brief: 'a all' },
    { keys: 'w', does: 'wrap long lines, or cut them', brief: 'w wrap' },
    { keys: '/', does: 'search (Enter keeps, Esc clears)', brief: '/ search' },
    { keys: 'n  N', does: 'the next, the previous match', brief: 'n N match' },
    { keys: 'z', does: 'the log pane over the whole screen, or shared again' },
    { keys: 'Esc', does: 'clear the search; with none, back to the table' },
    { keys: 'Tab', does: 'back to the process table', brief: 'Tab table' },
    { keys: '?', does: 'every key', brief: '? help' },
    { keys: 'q  Ctrl-C', does: 'quit, as in the table', brief: 'q quit' },
  ],
  details: [
    { keys: '↑ ↓  k j', does: 'scroll a line', brief: '↑↓ scroll' },
    { keys: 'PgUp PgDn  g G', does: 'scroll a page; the top or the bottom' },
    { keys: 'Esc', does: 'back to the table', brief: 'Esc back' },
  ],
  tasks: [
    { keys: '↑ ↓  k j', does: 'select a task (in a result: scroll a line)', brief: '↑↓ select' },
    { keys: 'PgUp PgDn  g G', does: 'in a result: scroll a page; the top or the bottom' },
    { keys: 'Enter', does: "show the task's result in full", brief: 'Enter result' },
    { keys: 'c', does: 'cancel the task (asks first)', brief: 'c cancel' },
    {
      keys: 'Esc',
      does: 'from a result, back to the list; from the list, back to the table',
      brief: 'Esc back',
    },
  ],
  workflows: [
    { keys: '↑ ↓  k j', does: 'select a run (in a run: scroll a line)', brief: '↑↓ select' },
    { keys: 'PgUp PgDn  g G', does: 'in a run: scroll a page; the top or the bottom' },
    {
      keys: 'Enter',
      does: 'the run in full: steps, error, dead letters, input, output',
      brief: 'Enter run',
    },
    { keys: 'f', does: 'only runs of one status, the next, then all again', brief: 'f status' },
    { keys: 'd', does: 'the dead letters', brief: 'd dead letters' },
    {
      keys: 'Esc',
      does: 'from a run, back to the list; from the list, back to the table',
      brief: 'Esc back',
    },
  ],
  letters: [
    { keys: '↑ ↓  k j', does: 'select a letter (in a letter: scroll a line)', brief: '↑↓ select' },
    { keys: 'PgUp PgDn  g G', does: 'in a letter: scroll a page; the top or the bottom' },
    {
      keys: 'Enter',
      does: 'the letter in full: the error with its stack, the input',
      brief: 'Enter letter',
    },
    { keys: 'r', does: 'retry: the run resumes at the failed step (asks first)', brief: 'r retry' },
    { keys: 'D  x', does: 'drop the letter, the run stays failed (asks first)', brief: 'D drop' },
    { keys: 'w', does: 'the workflow runs', brief: 'w runs' },
    {
      keys: 'Esc',
      does: 'from a letter, back to the list; from the list, back to the table',
      brief: 'Esc back',
    },
  ],
  help: [
    { keys: '↑ ↓  k j  PgUp PgDn  g G', does: 'scroll', brief: '↑↓ scroll' },
    { keys: 'Esc  ?  q', does: 'back', brief: 'Esc back' },
  ],
};

/** The footer's line of keys for a pane. */
export function briefKeys(pane: Pane): string {
  const briefs = KEYMAP[pane].flatMap((key) => (key.brief === undefined ? [] : [key.brief]));
  // Help and quit first: a narrow terminal cuts the line's end.
  const first = briefs.filter((brief) => brief.startsWith('? ') || brief.startsWith('q '));
  return [...first, ...briefs.filter((brief) => !first.includes(brief))].join('  ');
}
