/**
 * The line format of per-process log files: `<ISO time> <stream> <text>`, one line per line
 * of output, e.g. `2026-11-23T11:22:31.123Z stdout listening on :3000`.
 */
import type { LogLine, OutputStream } from '../core/view.js';
import type { LineBlock } from './log-buffer.js';

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

/** One line of a log file (without its newline) as a `LogLine`; undefined when malformed. */
export function parseLogLine(line: string): LogLine | undefined {
  const timeEnd = line.indexOf(' ');
  if (timeEnd < 0) return undefined;
  const at = Date.parse(line.slice(0, timeEnd));
  const streamEnd = timeEnd + 7;
  const stream = line.slice(timeEnd + 1, streamEnd);
  if (Number.isNaN(at) || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  if (line.charCodeAt(streamEnd) !== 32) return undefined;
  return { at, stream, text: line.slice(streamEnd + 1) };
}
