/**
 * The simple command lines a string command may be when its commands are checked: read the
 * way `/bin/sh` would, so the program that runs is the one that was checked, and anything
 * a shell could act on beyond that refused with where and why.
 */

/** A string command that is one simple command: what a shell would run, and with what. */
export interface SimpleCommand {
  /** `NAME=value` words before the program: set in the child's environment. */
  readonly assignments: Readonly<Record<string, string>>;
  /** Program and arguments, quotes removed. */
  readonly argv: readonly string[];
}

/** Why a string command is not a simple command line. */
export interface ShellSyntax {
  /** What was found (`&&`, `$(`, `;`), where, and why it is refused. */
  readonly problem: string;
}

/**
 * Characters that stand for themselves outside quotes. Everything else a shell may read as
 * syntax (operators, expansions, globs, `~`, comments), so it is refused unless quoted.
 */
const PLAIN = /^[A-Za-z0-9_\-./:=,+@%]$/;

/** Two-character operators, named before their first character alone would be. */
const OPERATORS: readonly (readonly [string, string])[] = [
  ['&&', 'runs another command'],
  ['||', 'runs another command'],
  ['$(', 'runs another command'],
  ['${', 'expands a variable'],
  ['>>', 'redirects output'],
  ['<<', 'redirects input'],
  [';', 'runs another command'],
  ['&', 'runs another command'],
  ['|', 'runs another command'],
  ['`', 'runs another command'],
  ['$', 'expands a variable'],
  ['>', 'redirects output'],
  ['<', 'redirects input'],
  ['(', 'starts a subshell'],
  [')', 'starts a subshell'],
  ['\n', 'starts another command'],
  ['\r', 'starts another command'],
  ['*', 'expands to file names'],
  ['?', 'expands to file names'],
  ['[', 'expands to file names'],
  ['~', 'expands to a home folder'],
  ['#', 'starts a comment'],
];

/**
 * Reads a string command the way `/bin/sh` would, accepting only a simple command line:
 * words separated by blanks, `'single'` and `"double"` quotes, backslash escapes, and
 * `NAME=value` words before the program. Anything else a shell could act on (`;`, `&&`,
 * `||`, `|`, `&`, `$(`, backticks, `$VAR`, redirections, subshells, globs, `~`, `#`, a
 * second line) is refused, so the program that runs is the one that was checked. Inside
 * single quotes everything is literal; inside double quotes `$` and backticks are refused.
 */
export function parseSimpleCommand(line: string): SimpleCommand | ShellSyntax {
  const words: Array<{ text: string; quotedFrom: number }> = [];
  let word: { text: string; quotedFrom: number } | undefined;
  const start = () => {
    word ??= { text: '', quotedFrom: Number.POSITIVE_INFINITY };
    return word;
  };
  const quoted = (current: { text: string; quotedFrom: number }) => {
    current.quotedFrom = Math.min(current.quotedFrom, current.text.length);
  };
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (char === ' ' || char === '\t') {
      if (word) words.push(word);
      word = undefined;
      i += 1;
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return refusal(`unterminated ' at column ${i + 1}`);
      const current = start();
      quoted(current);
      current.text += line.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      const current = start();
      quoted(current);
      const end = readDoubleQuoted(line, i + 1, current);
      if (typeof end !== 'number') return end;
      i = end + 1;
    } else if (char === '\\') {
      const next = line[i + 1];
      if (next === undefined || next === '\n' || next === '\r')
        return refusal(`\\ at the end of a line (column ${i + 1}) continues the command`);
      const current = start();
      quoted(current);
      current.text += next;
      i += 2;
    } else if (PLAIN.test(char) || char.charCodeAt(0) > 0x7f) {
      start().text += char;
      i += 1;
    } else {
      return operatorAt(line, i);
    }
  }
  if (word) words.push(word);
  const assignments: Record<string, string> = {};
  let first = 0;
  for (; first < words.length; first += 1) {
    const { text, quotedFrom } = words[first]!;
    const equals = text.indexOf('=');
    if (
      equals <= 0 ||
      equals > quotedFrom ||
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, equals))
    )
      break;
    assignments[text.slice(0, equals)] = text.slice(equals + 1);
  }
  if (first === words.length) return refusal('no program to run, only variable assignments');
  return { assignments, argv: words.slice(first).map((w) => w.text) };
}

/** Reads a double-quoted part from `from` (after the quote); returns the closing quote's index. */
function readDoubleQuoted(
  line: string,
  from: number,
  word: { text: string },
): number | ShellSyntax {
  for (let i = from; i < line.length; i += 1) {
    const char = line[i]!;
    if (char === '"') return i;
    if (char === '$' || char === '`') return operatorAt(line, i, ' inside double quotes');
    if (char === '\\') {
      const next = line[i + 1];
      if (next === '\n' || next === '\r')
        return refusal(`\\ at the end of a line (column ${i + 1}) continues the command`);
      // In double quotes a backslash escapes only these; before anything else it is literal.
      if (next === '"' || next === '\\' || next === '$' || next === '`') {
        word.text += next;
        i += 1;
        continue;
      }
    }
    word.text += char;
  }
  return refusal(`unterminated " at column ${from}`);
}

function operatorAt(line: string, index: number, where = ''): ShellSyntax {
  const found = OPERATORS.find(([operator]) => line.startsWith(operator, index));
  const [operator, effect] = found ?? [line[index]!, 'means something to the shell'];
  const shown =
    operator === '\n' ? 'a line break' : operator === '\r' ? 'a carriage return' : operator;
  return refusal(`${shown} at column ${index + 1}${where} ${effect}`);
}

function refusal(problem: string): ShellSyntax {
  return { problem };
}

/** True when `parsed` is a refusal rather than a command. */
export function isShellSyntax(parsed: SimpleCommand | ShellSyntax): parsed is ShellSyntax {
  return 'problem' in parsed;
}
