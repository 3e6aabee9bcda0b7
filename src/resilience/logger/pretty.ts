/**
 * Lines for a person at a terminal: `12:04:05.120 INFO  app:db connected host=db1`, the
 * stack of an error under its line, coloured when the stream is a terminal. A formatter of
 * our own over pino's JSON rather than pino-pretty and its dependencies: this is all we need.
 */
import type { LineSink } from './sinks.js';

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** ANSI colours by level value: grey, cyan, green, yellow, red, magenta. */
const LEVEL_COLOURS: Readonly<Record<number, string>> = {
  10: '90',
  20: '36',
  30: '32',
  40: '33',
  50: '31',
  60: '35',
};

/** Written by pino on every line, or shown in the line's head rather than as fields. */
const HEAD_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'category']);

/** `inner` given readable lines instead of JSON; `colour` for a terminal. */
export function prettySink(inner: LineSink, colour: boolean): LineSink {
  return {
    write: (line) => inner.write(prettyLine(line, colour)),
    flush: () => inner.flush(),
  };
}

/** One JSON line of pino's, made readable; a line that is not JSON passes as it is. */
export function prettyLine(line: string, colour: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const level = typeof record.level === 'number' ? record.level : 30;
  const time =
    typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const head = [
    paint('2', time),
    paint(LEVEL_COLOURS[level] ?? '0', (LEVEL_NAMES[level] ?? String(level)).padEnd(5)),
    paint('1', String(record.category ?? record.name ?? '')),
  ];
  const message = typeof record.msg === 'string' ? record.msg : '';
  const stacks: string[] = [];
  const fields = Object.entries(record)
    .filter(([key]) => !HEAD_FIELDS.has(key))
    .map(([key, value]) => {
      const stack = stackOf(value);
      if (stack) stacks.push(stack);
      return `${paint('2', `${key}=`)}${fieldText(stack ? messageOf(value) : value)}`;
    });
  const body = [...head, message, ...fields].filter((part) => part !== '').join(' ');
  const tail = stacks.map((stack) => `\n${paint('2', indent(stack))}`).join('');
  return `${body}${tail}\n`;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** The stack of a serialized error (pino's `err` serializer writes `type, message, stack`). */
function stackOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack = (value as { stack?: unknown }).stack;
  return typeof stack === 'string' ? stack : undefined;
}

function messageOf(value: unknown): unknown {
  return (value as { message?: unknown }).message ?? value;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.trim()}`)
    .join('\n');
}
