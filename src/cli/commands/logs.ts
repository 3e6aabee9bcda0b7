/**
 * `overseer logs [NAME…] [-n N] [-f] [--since X] [--grep RE] [--json] [--supervisor]`: read
 * from the log files in `<state_dir>/logs`, so it reaches back past what a supervisor keeps
 * in memory, across rotated files, and works after the daemon has stopped. A name with
 * instances shows them all, several names or none (every process) merged by time, each line
 * with its process in front. The running supervisor is asked only when a name has no file
 * yet: it knows whether the name exists at all. `--supervisor` reads the supervisor's own
 * log (`<state_dir>/overseer.log`) the same way, each record for a person, or as written
 * with `--json`. `--api`: the lines are asked of that daemon instead (remote-logs.ts).
 */
import { basename } from 'node:path';
import { findConfigFile } from '../../config/files.js';
import { locateStateDir } from '../../config/state-dir.js';
import { OverseerError } from '../../core/errors.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../../core/view.js';
import { DAEMON_LOG_FILE, stateDirLayout } from '../../protocol/state-dir.js';
import { allLogNames, LogFollower, logNamesIn } from '../../runtime/logs/log-files.js';
import type { LineFormat } from '../../runtime/logs/log-format.js';
import { LogTail } from '../../runtime/logs/log-tail.js';
import { SUPERVISOR_LINES } from '../../runtime/logs/supervisor-lines.js';
import { clientAt } from '../context.js';
import { type LogsOptions, processLineFormatter, queryOf } from '../log-view.js';
import { painterFor } from '../output.js';
import { PacedOutput } from '../paced-output.js';
import { remoteClient } from '../remote.js';
import { remoteLogs } from '../remote-logs.js';
import { resolveNamed } from '../selection.js';
import { formatSupervisorRecord } from '../supervisor-log-view.js';

/** Where lines are read from, and how they are shown. */
interface LogSource {
  readonly dir: string;
  /** The log names to read now; asked again while following, for files that appear. */
  readonly names: () => string[];
  readonly format?: LineFormat;
  readonly show: (line: ProcessLogLine) => string;
}

/** How often a follower looks for log files that appeared (a new instance, a new process). */
const DISCOVER_MS = 250;

export async function logs(names: string[], options: LogsOptions): Promise<number> {
  const query = queryOf(options);
  const remote = remoteClient(options);
  if (remote) return remoteLogs(remote, names, options, query);
  const stateDir = await locateStateDir(findConfigFile(process.cwd(), options.file));
  const source = options.supervisor
    ? supervisorSource(stateDir, names, options)
    : await processSource(stateDir, names, options);
  const output = new PacedOutput(process.stdout);
  const found = source.names();
  const tail = await LogTail.open(source.dir, found, query, source.format);
  try {
    await printTail(tail, source.show, output);
    if (!options.follow || output.isClosed) return 0;
    return await follow(source, found, tail, query, output);
  } finally {
    await tail.close();
  }
}

/**
 * The processes' log files: of the names given (each a process, all its instances, or an
 * instance), or of every process when none is; within a namespace with `--namespace`.
 */
async function processSource(
  stateDir: string,
  requested: readonly string[],
  options: LogsOptions,
): Promise<LogSource> {
  const dir = stateDirLayout(stateDir).logDir;
  if (options.namespace !== undefined) {
    // Namespaces are known to the supervisor only, not to the files: it says which
    // instances the names (or the whole namespace) stand for.
    const rows = await resolveNamed(clientAt(stateDir), requested, options);
    const instances = rows.map((row) => row.name);
    const names = () => [...new Set(instances.flatMap((name) => logNamesIn(dir, name)))];
    const alone = instances.length === 1 ? instances[0] : undefined;
    return { dir, names, show: processLineFormatter(options, alone, names()) };
  }
  const names = () =>
    requested.length === 0
      ? allLogNames(dir)
      : [...new Set(requested.flatMap((name) => logNamesIn(dir, name)))];
  for (const name of requested) {
    // Nothing written yet, or no such process: the running supervisor knows which (and
    // without one there is nothing to show, now or later).
    if (logNamesIn(dir, name).length === 0) await clientAt(stateDir).logs(name, 1);
  }
  const alone = requested.length === 1 ? requested[0] : undefined;
  return { dir, names, show: processLineFormatter(options, alone, names()) };
}

/** The supervisor's own log, `<state_dir>/overseer.log` and its rotated files. */
function supervisorSource(
  stateDir: string,
  requested: readonly string[],
  options: LogsOptions,
): LogSource {
  if (requested.length > 0) {
    throw new OverseerError(
      'BAD_REQUEST',
      `--supervisor shows the supervisor's own log: give no process name (got ${requested.join(' ')})`,
    );
  }
  if (options.namespace !== undefined) {
    throw new OverseerError(
      'BAD_REQUEST',
      `--supervisor shows the supervisor's own log: give no --namespace (got ${options.namespace})`,
    );
  }
  const name = basename(DAEMON_LOG_FILE, '.log');
  const paint = painterFor(process.stdout);
  return {
    dir: stateDir,
    names: () => [name],
    format: SUPERVISOR_LINES,
    // `--json`: the record as the supervisor wrote it.
    show: ({ text }) => `${options.json ? text : formatSupervisorRecord(text, paint)}\n`,
  };
}

/**
 * Prints the tail as it is read, oldest first: however many lines were asked for, only a
 * block of the files and a chunk of output are in memory at a time.
 */
async function printTail(
  tail: LogTail,
  show: (line: ProcessLogLine) => string,
  output: PacedOutput,
): Promise<void> {
  for await (const batch of tail.batches()) {
    for (const line of batch) {
      const behind = output.write(show(line));
      if (behind) await behind;
    }
    if (output.isClosed) return;
  }
  await output.flush();
}

/**
 * After the tail, every new line of every log, each from where its tail ended, until
 * SIGINT, SIGTERM or the output closes; logs whose files appear later (a new instance, a
 * process added by a config applied again) are followed from their first line.
 */
async function follow(
  source: LogSource,
  names: readonly string[],
  tail: LogTail,
  query: LogQuery,
  output: PacedOutput,
): Promise<number> {
  const followers = new Map<string, LogFollower>();
  const followerOf = (name: string) => {
    const print = (line: LogLine) => output.writeNow(source.show({ name, ...line }));
    const follower = new LogFollower(source.dir, name, print, query, undefined, source.format);
    followers.set(name, follower);
    return follower;
  };
  for (const name of names) {
    // No file left to take over: the discovery below follows it when one appears.
    const newest = tail.takeNewest(name);
    if (newest) followerOf(name).follow(newest);
  }

  // Files that appear later are printed from their first line, streamed as the tail was,
  // then followed.
  const whole = { ...query, lines: Number.POSITIVE_INFINITY };
  let discovering = false;
  const discover = setInterval(async () => {
    if (discovering) return;
    discovering = true;
    try {
      for (const name of source.names()) {
        if (followers.has(name)) continue;
        const follower = followerOf(name);
        const history = await LogTail.open(source.dir, [name], whole, source.format);
        try {
          await printTail(history, source.show, output);
        } finally {
          follower.follow(history.takeNewest(name));
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
