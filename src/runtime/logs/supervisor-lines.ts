/**
 * The lines of the supervisor's own log (`overseer.log`, JSON written by pino), read by the
 * same tails, merges and followers as the processes' logs: each line is a `LogLine` whose
 * time is the record's `time` and whose text is the record as written, so `--grep` matches
 * any of its fields and `--json` prints it untouched.
 */
import type { LogLine } from '../../core/view.js';
import type { LineFormat } from './log-format.js';

/** pino writes `level`, then `time`: the first `"time":` of a line is the record's own. */
const TIME = /"time":"([^"]+)"/;
const OPEN_BRACE = 0x7b;

function parseSupervisorLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  const time = TIME.exec(line)?.[1];
  const at = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isNaN(at) ? undefined : { at, stream: 'stdout', text: line };
}

export const SUPERVISOR_LINES: LineFormat = {
  parse: parseSupervisorLine,
  isLine: (data, from, to) => to > from && data[from] === OPEN_BRACE,
};
