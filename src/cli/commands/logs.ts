/**
 * `overseer logs NAME [-n N] [-f] [--since X] [--grep RE] [--json]`: read from the log files
 * in `<state_dir>/logs`, so it reaches back past what a supervisor keeps in memory, across
 * rotated files, and works after the daemon has stopped. A name with instances shows them
 * all, merged by time. The running supervisor is asked only when there is no file yet:
 * it knows whether the name exists at all.
 */
import { join } from 'node:path';
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../../core/view.js';
import { LOG_DIR } from '../../daemon/paths.js';
import {
  LogFollower,
  logNamesIn,
  mergeByTime,
  parseSince,
  readLogTails,
} from '../../runtime/log-files.js';
import { type ConfigOption, clientAt } from '../context.js';
import { colourOf, painterFor } from '../output.js';

interface LogsOptions extends ConfigOption {
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
  const dir = join(stateDir, LOG_DIR);
  const names = logNamesIn(dir, name);
  if (names.length === 0) {
    // Nothing written yet, or no such process: the running supervisor knows which (and
    // without one there is nothing to show, now or later).
    await clientAt(stateDir).logs(name, 1);
  }
  const print = printer(options, name);
  if (!options.follow) {
    for (const line of await readLogTails(dir, names, query)) print(line);
    return 0;
  }
  return follow(dir, name, names, query, print);
}

/** Prints the tail, then every new line, until SIGINT or SIGTERM. */
async function follow(
  dir: string,
  name: string,
  known: readonly string[],
  query: LogQuery,
  print: (line: ProcessLogLine) => void,
): Promise<number> {
  const followers = new Map<string, LogFollower>();
  // Lines a follower reads before the tail is printed wait, so the order holds.
  let held: ProcessLogLine[] | undefined = [];
  const emit = (line: ProcessLogLine) => (held ? held.push(line) : print(line));
  const add = (instance: string, from: LogQuery) => {
    const follower = new LogFollower(
      dir,
      instance,
      (line) => emit({ name: instance, ...line }),
      from,
    );
    followers.set(instance, follower);
    return follower.start();
  };
  const tails = await Promise.all(known.map((instance) => add(instance, query)));
  const tail = mergeByTime(
    known.map((instance, index) => ({ name: instance, lines: tails[index]! })),
    query.lines ?? 100,
  );
  for (const line of tail) print(line);
  for (const line of held) print(line);
  held = undefined;

  // Files that appear later (a process that had not written yet, a new instance) are
  // followed from their first line.
  let discovering = false;
  const discover = setInterval(async () => {
    if (discovering) return;
    discovering = true;
    try {
      for (const instance of logNamesIn(dir, name)) {
        if (followers.has(instance)) continue;
        const lines = await add(instance, { ...query, lines: Number.POSITIVE_INFINITY });
        for (const line of lines) print({ name: instance, ...line });
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
function printer(options: LogsOptions, requested: string): (line: ProcessLogLine) => void {
  if (options.json) {
    return ({ at, name, stream, text }) => {
      process.stdout.write(`${JSON.stringify({ at, name, stream, text })}\n`);
    };
  }
  const paint = painterFor(process.stdout);
  const body = (line: LogLine) => (line.stream === 'stderr' ? paint('red', line.text) : line.text);
  return (line) => {
    const prefix = line.name === requested ? '' : `${paint(colourOf(line.name), line.name)} │ `;
    process.stdout.write(`${prefix}${body(line)}\n`);
  };
}
