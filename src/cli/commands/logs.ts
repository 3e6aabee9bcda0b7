/**
 * `overseer logs NAME [-n N] [-f] [--since X] [--grep RE] [--json]`: read from the log files
 * in `<state_dir>/logs`, so it reaches back past what a supervisor keeps in memory, across
 * rotated files, and works after the daemon has stopped. A name with instances shows them
 * all, merged by time. The running supervisor is asked only when there is no file yet:
 * it knows whether the name exists at all.
 */
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../../core/view.js';
import { stateDirLayout } from '../../protocol/state-dir.js';
import { LogFollower, logNamesIn, parseSince } from '../../runtime/logs/log-files.js';
import { LogTail } from '../../runtime/logs/log-tail.js';
import { type ConfigOption, clientAt } from '../context.js';
import { colourOf, painterFor } from '../output.js';
import { PacedOutput } from '../paced-output.js';
import { type NamedOptions, resolveNamed } from '../selection.js';

interface LogsOptions extends ConfigOption, NamedOptions {
  readonly follow?: boolean;
  readonly lines: string;
  readonly json?: boolean;
  readonly since?: string;
  readonly grep?: string;
}

/** How often a follower of a name with instances looks for instances that appeared. */
const DISCOVER_MS = 250;

export async function logs(name: string, options: LogsOptions): Promise<number> {
  const query = queryOf(options);
  const stateDir = await locateStateDir(findConfigFile(process.cwd(), options.file));
  const dir = stateDirLayout(stateDir).logDir;
  // Namespaces are known to the supervisor only, not to the files: it checks the name is in it.
  if (options.namespace !== undefined) await resolveNamed(clientAt(stateDir), [name], options);
  const names = logNamesIn(dir, name);
  if (names.length === 0) {
    // Nothing written yet, or no such process: the running supervisor knows which (and
    // without one there is nothing to show, now or later).
    await clientAt(stateDir).logs(name, 1);
  }
  const format = formatter(options, name);
  const output = new PacedOutput(process.stdout);
  const tail = await LogTail.open(dir, names, query);
  try {
    await printTail(tail, format, output);
    if (!options.follow || output.isClosed) return 0;
    return await follow(dir, name, names, tail, query, format, output);
  } finally {
    await tail.close();
  }
}

/**
 * Prints the tail as it is read, oldest first: however many lines were asked for, only a
 * block of the files and a chunk of output are in memory at a time.
 */
async function printTail(
  tail: LogTail,
  format: (line: ProcessLogLine) => string,
  output: PacedOutput,
): Promise<void> {
  for await (const batch of tail.batches()) {
    for (const line of batch) {
      const behind = output.write(format(line));
      if (behind) await behind;
    }
    if (output.isClosed) return;
  }
  await output.flush();
}

/**
 * After the tail, every new line of every instance, each from where its tail ended, until
 * SIGINT, SIGTERM or the output closes; instances whose files appear later are followed
 * from their first line.
 */
async function follow(
  dir: string,
  name: string,
  names: readonly string[],
  tail: LogTail,
  query: LogQuery,
  format: (line: ProcessLogLine) => string,
  output: PacedOutput,
): Promise<number> {
  const followers = new Map<string, LogFollower>();
  const followerOf = (instance: string) => {
    const print = (line: LogLine) => output.writeNow(format({ name: instance, ...line }));
    const follower = new LogFollower(dir, instance, print, query);
    followers.set(instance, follower);
    return follower;
  };
  for (const instance of names) {
    // No file left to take over: the discovery below follows it when one appears.
    const newest = tail.takeNewest(instance);
    if (newest) followerOf(instance).follow(newest);
  }

  // Files that appear later (a process that had not written yet, a new instance) are
  // printed from their first line, streamed as the tail was, then followed.
  const whole = { ...query, lines: Number.POSITIVE_INFINITY };
  let discovering = false;
  const discover = setInterval(async () => {
    if (discovering) return;
    discovering = true;
    try {
      for (const instance of logNamesIn(dir, name)) {
        if (followers.has(instance)) continue;
        const follower = followerOf(instance);
        const history = await LogTail.open(dir, [instance], whole);
        try {
          await printTail(history, format, output);
        } finally {
          follower.follow(history.takeNewest(instance));
          await history.close();
        }
      }
    } finally {
      discovering = false;
    }
  }, DISCOVER_MS);

  return new Promise((resolve) => {
    const end = async () => {
      clearInterval(discover);
      await Promise.all([...followers.values()].map((follower) => follower.stop()));
      resolve(0);
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    void output.closed.then(end);
  });
}

function queryOf(options: LogsOptions): LogQuery {
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
 * for stderr; with the name in front when the lines come from several instances.
 */
function formatter(options: LogsOptions, requested: string): (line: ProcessLogLine) => string {
  if (options.json) {
    return ({ at, name, stream, text }) => `${JSON.stringify({ at, name, stream, text })}\n`;
  }
  const paint = painterFor(process.stdout);
  const body = (line: LogLine) => (line.stream === 'stderr' ? paint('red', line.text) : line.text);
  return (line) => {
    const prefix = line.name === requested ? '' : `${paint(colourOf(line.name), line.name)} │ `;
    return `${prefix}${body(line)}\n`;
  };
}
