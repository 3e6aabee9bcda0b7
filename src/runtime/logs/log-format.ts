/**
 * The line format of per-process log files: `<ISO time> <stream> <text>`, one line per line
 * of output, e.g. `2026-11-23T11:22:31.123Z stdout listening on :3000`.
 */
import type { LogLine, OutputStream } from '../../core/view.js';
import type { LineBlock } from './log-buffer.js';

/**
 * How the lines of a kind of log file are read: the per-process files (`PROCESS_LINES`),
 * or the supervisor's own JSON lines (supervisor-lines.ts). Readers of either kind of file
 * (tails, merges, followers) are given one.
 */
export interface LineFormat {
  /** One line (without its newline) as a `LogLine`; undefined when it is not in the format. */
  readonly parse: (line: string) => LogLine | undefined;
  /** Whether the bytes `from`–`to` of `data` hold a line in the format, cheaply. */
  readonly isLine: (data: Buffer, from: number, to: number) => boolean;
}

/** The file name of a process's current log file; rotated ones add `.1`, `.2`, … */
export function logFileName(name: string): string {
  return `${name}.log`;
}

/** The start of every line read at `at` from `stream`. */
export function linePrefix(at: number, stream: OutputStream): string {
  return `${new Date(at).toISOString()} ${stream} `;
}

/**
 * The lines of one read as they go into a log file, each with the same prefix and ending in
 * a newline, as parts to write one after the other: the bulk of the lines goes through one
 * native `replaceAll`, and no part is ever joined to another (which would copy it again).
 * The block learns its line count from the lengths on the way.
 */
export function formatBlock(at: number, stream: OutputStream, block: LineBlock): string[] {
  const prefix = linePrefix(at, stream);
  const { head, rest } = block;
  if (rest === undefined) {
    block.knowCount(1);
    return [prefix, head, '\n'];
  }
  const body = rest.replaceAll('\n', `\n${prefix}`);
  block.knowCount(2 + (body.length - rest.length) / prefix.length);
  return [prefix, head, '\n', prefix, body, '\n'];
}

/**
 * The prefix every line starts with, character by character: `d` a digit, `s` the stream's
 * name (`stdout` or `stderr`), anything else itself. 32 characters, then the text.
 */
const PREFIX_SHAPE = 'dddd-dd-ddTdd:dd:dd.dddZ ssssss ';
const TIME_CHARS = 24;
const STREAM_AT = TIME_CHARS + 1;
const TEXT_AT = PREFIX_SHAPE.length;

/**
 * One line of a log file (without its newline) as a `LogLine`; undefined when it is not in
 * the format the writer gives every line (see `isLogLine`) or its time is not a date.
 */
export function parseLogLine(line: string): LogLine | undefined {
  if (!hasPrefixShape(line)) return undefined;
  const at = Date.parse(line.slice(0, TIME_CHARS));
  if (Number.isNaN(at)) return undefined;
  const stream = line.slice(STREAM_AT, STREAM_AT + 6) as OutputStream;
  return { at, stream, text: line.slice(TEXT_AT) };
}

/**
 * Whether the bytes `from`–`to` of `data` (a line without its newline) start with the
 * prefix the writer gives every line, checked without decoding them: how a reader counts
 * lines it does not need to read (a time in the right shape that is no date, such as
 * month 13, only ever comes from editing a file by hand).
 */
export function isLogLine(data: Buffer, from: number, to: number): boolean {
  if (to - from < TEXT_AT) return false;
  for (let index = 0; index < TIME_CHARS + 1; index++) {
    const code = data[from + index]!;
    const shape = PREFIX_SHAPE.charCodeAt(index);
    if (shape === DIGIT ? code - ZERO > 9 || code < ZERO : code !== shape) return false;
  }
  return isStreamAt(data, from + STREAM_AT) && data[from + TEXT_AT - 1] === SPACE;
}

const DIGIT = 'd'.charCodeAt(0);
const ZERO = '0'.charCodeAt(0);
const SPACE = 32;
const STDOUT = Buffer.from('stdout');
const STDERR = Buffer.from('stderr');

function isStreamAt(data: Buffer, at: number): boolean {
  return (
    data.compare(STDOUT, 0, 6, at, at + 6) === 0 || data.compare(STDERR, 0, 6, at, at + 6) === 0
  );
}

function hasPrefixShape(line: string): boolean {
  if (line.length < TEXT_AT) return false;
  for (let index = 0; index < TIME_CHARS + 1; index++) {
    const code = line.charCodeAt(index);
    const shape = PREFIX_SHAPE.charCodeAt(index);
    if (shape === DIGIT ? code < ZERO || code - ZERO > 9 : code !== shape) return false;
  }
  const stream = line.slice(STREAM_AT, STREAM_AT + 6);
  return (stream === 'stdout' || stream === 'stderr') && line.charCodeAt(TEXT_AT - 1) === SPACE;
}

/**
 * The first line of `buffer` (longer than `maxSize`) cut into a first piece of at most
 * `maxSize` bytes, ending at a UTF-8 character boundary, and the rest as a new line with the
 * same time and stream. Only a `maxSize` smaller than the longest line (16 KiB characters,
 * see `MAX_LINE_CHARS`) ever needs it.
 */
export function cutLongLine(buffer: Buffer, maxSize: number): Buffer {
  const timeEnd = buffer.indexOf(32);
  const prefixLength = timeEnd < 0 ? 0 : buffer.indexOf(32, timeEnd + 1) + 1;
  let cut = maxSize - 1;
  // Back to the first byte of a character: continuation bytes are 10xxxxxx.
  while (cut > prefixLength + 1 && (buffer[cut]! & 0xc0) === 0x80) cut--;
  return Buffer.concat([
    buffer.subarray(0, cut),
    NEWLINE,
    buffer.subarray(0, prefixLength),
    buffer.subarray(cut),
  ]);
}

const NEWLINE = Buffer.from('\n');

/** The lines of per-process log files: `<ISO time> <stream> <text>`. */
export const PROCESS_LINES: LineFormat = { parse: parseLogLine, isLine: isLogLine };
