/**
 * `overseer logs --api URL`: the lines of a remote daemon's processes, asked of it, since
 * their files are on its machine. The tail is read from those files (past what the daemon
 * keeps in memory), merged by time; with `-f`, each selector is then followed from the
 * time of the tail's last line, the lines of that very instant already printed left out,
 * so that no line is missed or shown twice. Instances added while following are not seen:
 * the daemon resolves a followed name once, when the stream opens.
 */
import { OverseerError } from '../core/errors.js';
import type { Disposer } from '../core/subscription.js';
import type { LogQuery, ProcessLogLine } from '../core/view.js';
import type { HttpSupervisorClient } from '../protocol/client.js';
import { type LogsOptions, processLineFormatter } from './log-view.js';
import { PacedOutput } from './paced-output.js';
import { resolveNamed } from './selection.js';

/** The most lines one logs request may ask of a daemon (its MAX_LOG_LINES). */
const MOST_LINES = 10_000;

export async function remoteLogs(
  client: HttpSupervisorClient,
  names: readonly string[],
  options: LogsOptions,
  query: LogQuery,
): Promise<number> {
  if (options.supervisor) {
    throw new OverseerError(
      'BAD_REQUEST',
      "--supervisor reads the supervisor's own log file, which stays on its machine: run `overseer logs --supervisor` there",
    );
  }
  // Every name checked first, as the local command does: an unknown one exits 2.
  const rows = await resolveNamed(client, names, options);
  const instances = [...new Set(rows.map((row) => row.name))];
  const selectors = selectorsOf(names, options, instances);
  const alone =
    options.namespace !== undefined
      ? instances.length === 1
        ? instances[0]
        : undefined
      : names.length === 1
        ? names[0]
        : undefined;
  const show = processLineFormatter(options, alone, instances);
  const output = new PacedOutput(process.stdout);

  const tails = await Promise.all(selectors.map((selector) => client.readLogs(selector, query)));
  const tail = newestByTime(tails.flat(), query.lines ?? 100);
  for (const line of tail) {
    const behind = output.write(show(line));
    if (behind) await behind;
  }
  await output.flush();
  if (!options.follow || output.isClosed) return 0;
  return follow(client, selectors, query, tail, (line) => output.writeNow(show(line)), output);
}

/**
 * What to ask the daemon for: `all` for every process, the one name given as it is, else
 * each instance once (`web web-1` must not show web-1's lines twice).
 */
function selectorsOf(
  names: readonly string[],
  options: LogsOptions,
  instances: readonly string[],
): string[] {
  if (options.namespace === undefined && names.length === 0) return ['all'];
  if (options.namespace === undefined && names.length === 1) return [names[0]!];
  return [...instances];
}

/** The last `count` lines of all, oldest first; lines of one time keep their order. */
function newestByTime(lines: ProcessLogLine[], count: number): ProcessLogLine[] {
  const sorted = lines.sort((a, b) => a.at - b.at);
  return sorted.length > count ? sorted.slice(sorted.length - count) : sorted;
}

/** Lines from where the tail ended until SIGINT, SIGTERM, the output closing, or a break. */
function follow(
  client: HttpSupervisorClient,
  selectors: readonly string[],
  query: LogQuery,
  tail: readonly ProcessLogLine[],
  print: (line: ProcessLogLine) => void,
  output: PacedOutput,
): Promise<number> {
  const lastAt = tail.at(-1)?.at;
  // The lines of the tail's last instant come again from `since`: each is left out once.
  const printedAtLast = new Map<string, number>();
  for (const line of tail) {
    if (line.at === lastAt)
      printedAtLast.set(keyOf(line), (printedAtLast.get(keyOf(line)) ?? 0) + 1);
  }
  const since = lastAt ?? query.since;
  const filter = { ...(since !== undefined && { since }), ...(query.grep && { grep: query.grep }) };
  const onLine = (line: ProcessLogLine) => {
    const left = line.at === lastAt ? (printedAtLast.get(keyOf(line)) ?? 0) : 0;
    if (left > 0) printedAtLast.set(keyOf(line), left - 1);
    else print(line);
  };
  return new Promise((resolve) => {
    const streams: Disposer[] = [];
    let ended = false;
    const interrupted = () => end(0);
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      stopBreaks();
      for (const stop of streams) stop();
      // Ended by a break or a closed output, the process may go on (in-process callers).
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      resolve(code);
    };
    const stopBreaks = client.onBreak((error) => {
      process.stderr.write(`overseer: ${error.message}\n`);
      end(1);
    });
    // Since the tail's last line, or, with no line in the tail, all the daemon still holds
    // that matches: none did when the tail was read, so each is new.
    for (const selector of selectors) {
      streams.push(client.followLogs(selector, MOST_LINES, onLine, filter));
    }
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    void output.closed.then(() => end(0));
  });
}

function keyOf(line: ProcessLogLine): string {
  return `${line.name}\u0000${line.stream}\u0000${line.text}`;
}
