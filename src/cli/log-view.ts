/**
 * What `overseer logs` asks for and how it shows a line, whether the lines are read from
 * this machine's files or asked of a remote daemon (`--api`).
 */
import { OverseerError } from '../core/errors.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../core/view.js';
import { parseSince } from '../runtime/logs/log-files.js';
import type { ConfigOption } from './context.js';
import { colourOf, painterFor } from './output.js';
import type { NamedOptions } from './selection.js';

export interface LogsOptions extends ConfigOption, NamedOptions {
  readonly follow?: boolean;
  readonly lines: string;
  readonly json?: boolean;
  readonly since?: string;
  readonly grep?: string;
  readonly supervisor?: boolean;
}

/** The query of the options: `-n`, `--since`, `--grep`, each refused by name when malformed. */
export function queryOf(options: LogsOptions): LogQuery {
  const lines = Number(options.lines);
  if (!Number.isInteger(lines) || lines < 1) {
    throw new OverseerError('BAD_REQUEST', `-n: expected a whole number ≥ 1, got ${options.lines}`);
  }
  let since: number | undefined;
  if (options.since !== undefined) {
    since = parseSince(options.since);
    if (since === undefined) {
      throw new OverseerError(
        'BAD_REQUEST',
        `--since: expected an ISO time (2026-11-23T11:00:00Z) or a duration (10m, 2h), got ${options.since}`,
      );
    }
  }
  let grep: RegExp | undefined;
  if (options.grep !== undefined) {
    try {
      grep = new RegExp(options.grep);
    } catch (error) {
      throw new OverseerError('BAD_REQUEST', `--grep: ${(error as Error).message}`);
    }
  }
  return { lines, since, grep };
}

/**
 * `--json`: one `{at, name, stream, text}` per line (`at` in epoch ms). Else the text, red
 * for stderr, with its process in front unless one name was asked for and the line is its
 * own (a name with instances shows which one). `known` sets the width of the names.
 */
export function processLineFormatter(
  options: LogsOptions,
  alone: string | undefined,
  known: readonly string[],
): (line: ProcessLogLine) => string {
  if (options.json) {
    return ({ at, name, stream, text }) => `${JSON.stringify({ at, name, stream, text })}\n`;
  }
  const paint = painterFor(process.stdout);
  const width = Math.max(0, ...known.map((name) => name.length));
  const body = (line: LogLine) => (line.stream === 'stderr' ? paint('red', line.text) : line.text);
  return (line) => {
    const prefix =
      line.name === alone ? '' : `${paint(colourOf(line.name), line.name.padEnd(width))} │ `;
    return `${prefix}${body(line)}\n`;
  };
}
