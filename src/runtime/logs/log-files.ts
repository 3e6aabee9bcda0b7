/**
 * Reading per-process log files (see `LogFile`): which names have files, the last lines
 * across the current and rotated files (see `LogTail`), and a follower that tails the
 * current file across rotations without losing or repeating a line. Works without a
 * supervisor: `overseer logs` reads a state dir's files even when the daemon is down.
 */
import { readdirSync, statSync } from 'node:fs';
import { type FileHandle, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDuration } from '../../core/units.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../../core/view.js';
import { BLOCK_BYTES, isRotatedOf, logPathsNewestFirst, openLogFile } from './log-chain.js';
import { matches } from './log-filter.js';
import { type LineFormat, logFileName, PROCESS_LINES } from './log-format.js';
import { LogTail, type NewestLogFile } from './log-tail.js';

export type { LogQuery };
export { matches };

/** How often a follower looks for new lines, unless told. */
const FOLLOW_POLL_MS = 100;

/**
 * `--since`: an ISO time (`2026-11-23T11:00:00Z`) or a duration back from `now` (`10m`,
 * `2h`, `500ms`). Undefined when it is neither.
 */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago;
  // Date.parse alone accepts odd strings ("1", "May"): ask for a date first.
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * The names whose log files are in `dir`, for a process name: the name itself, or its
 * instances (`name-0`, `name-1`…, in instance order). When both kinds of file are there (a
 * process that gained or lost `instances`), the kind written to last is the current one:
 * the other is left from before. Empty when there are none.
 */
export function logNamesIn(dir: string, name: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const own = logFileName(name);
  const ownFiles = entries.filter((entry) => entry === own || isRotatedOf(entry, own));
  const instances = new Map<number, string>();
  const instanceFiles: string[] = [];
  const pattern = new RegExp(`^${escapeRegExp(name)}-(\\d+)\\.log(\\.[1-9]\\d*)?$`);
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (!match) continue;
    instances.set(Number(match[1]), `${name}-${match[1]}`);
    instanceFiles.push(entry);
  }
  const instanceNames = [...instances.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, instance]) => instance);
  if (ownFiles.length === 0) return instanceNames;
  if (instanceFiles.length === 0) return [name];
  return lastWritten(dir, instanceFiles) > lastWritten(dir, ownFiles) ? instanceNames : [name];
}

/**
 * The names of every log file in `dir` (`api`, `web-0`, `web-1`…), rotated files counted
 * for their name, sorted. Empty when there are none.
 */
export function allLogNames(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const entry of entries) {
    const match = /^(.+)\.log(\.[1-9]\d*)?$/.exec(entry);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

/** When the most recently written of `entries` was written (epoch ms); 0 when none is left. */
function lastWritten(dir: string, entries: readonly string[]): number {
  let newest = 0;
  for (const entry of entries) {
    const written = statSync(join(dir, entry), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    newest = Math.max(newest, written);
  }
  return newest;
}

/** The last lines of a process's log files that pass the query, oldest first. */
export async function readLogTail(
  dir: string,
  name: string,
  query: LogQuery = {},
): Promise<LogLine[]> {
  const lines = await readLogTails(dir, [name], query);
  return lines.map(({ at, stream, text }) => ({ at, stream, text }));
}

/**
 * The last lines of several processes, merged by time (ties keep the order of `names`),
 * each with its name; oldest first. All in memory: to print many, read a `LogTail`.
 */
export async function readLogTails(
  dir: string,
  names: readonly string[],
  query: LogQuery = {},
): Promise<ProcessLogLine[]> {
  const tail = await LogTail.open(dir, names, query);
  try {
    const lines: ProcessLogLine[] = [];
    for await (const batch of tail.batches()) {
      for (const line of batch) lines.push(line);
    }
    return lines;
  } finally {
    await tail.close();
  }
}

/** Lines of several processes in one list by time, the newest `count` of them. */
export function mergeByTime(
  sources: ReadonlyArray<{ readonly name: string; readonly lines: readonly LogLine[] }>,
  count: number,
): ProcessLogLine[] {
  const all = sources.flatMap(({ name, lines }) => lines.map((line) => ({ name, ...line })));
  // A stable sort: lines of one process with the same time stay in their order.
  if (sources.length > 1) all.sort((a, b) => a.at - b.at);
  return all.length > count ? all.slice(all.length - count) : all;
}

/**
 * Tails a process's log: the last lines first, then every line written after them, across
 * rotations. It holds the file it reads open: a rotation renames that file, so it is read to
 * its end before moving on to the next newer file (found by inode), and nothing is lost or
 * read twice. A file that shrank in place (truncated) is read again from its start.
 */
export class LogFollower {
  private file: { handle: FileHandle; ino: number } | undefined;
  private offset = 0;
  private carry = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling: Promise<void> | undefined;
  /** Told to read what is left and stop: polls no more on a timer. */
  private finishing = false;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly onLine: (line: LogLine) => void,
    private readonly query: LogQuery = {},
    private readonly pollMs = FOLLOW_POLL_MS,
    private readonly format: LineFormat = PROCESS_LINES,
  ) {}

  /** Reads the tail (`query.lines`, default 100), starts following, and returns the tail. */
  async start(): Promise<LogLine[]> {
    const tail = await LogTail.open(this.dir, [this.name], this.query, this.format);
    const lines: LogLine[] = [];
    try {
      for await (const batch of tail.batches()) {
        for (const { at, stream, text } of batch) lines.push({ at, stream, text });
      }
    } finally {
      this.follow(tail.takeNewest(this.name));
      await tail.close();
    }
    return lines;
  }

  /**
   * Starts following from where a tail left the newest file (taking it over), or from the
   * first file to appear when there was none: for a caller that printed the tail itself
   * (`LogTail`), so it is never held in memory.
   */
  follow(from: NewestLogFile | undefined): void {
    if (this.stopped) {
      // Stopped before it began: the file handed over is closed all the same.
      void from?.handle.close();
      return;
    }
    if (from) {
      this.file = { handle: from.handle, ino: from.ino };
      this.offset = from.end;
    }
    this.schedule();
  }

  /** Stops following and closes the file. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await this.file?.handle.close();
    this.file = undefined;
  }

  /**
   * Reads every line left, then stops: for a file whose writer is known to be done. The
   * timed poll is stopped first, so no two reads of the file race.
   */
  async finish(): Promise<void> {
    this.finishing = true;
    clearTimeout(this.timer);
    await this.polling;
    await this.poll();
    await this.stop();
  }

  /** Reads what is new now (the poll does this on its own). */
  async poll(): Promise<void> {
    if (this.stopped) return;
    for (;;) {
      if (this.file) await this.readToEnd();
      if (!(await this.moveToNewer())) return;
    }
  }

  private schedule(): void {
    if (this.stopped || this.finishing) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch(() => {
          // A file removed under us: the next poll looks again.
        })
        .finally(() => {
          this.polling = undefined;
          this.schedule();
        });
    }, this.pollMs);
  }

  private async readToEnd(): Promise<void> {
    const { handle, ino } = this.file!;
    const { size } = await handle.stat();
    if (size < this.offset) {
      // Truncated in place: what is there now is new.
      this.offset = 0;
      this.carry = Buffer.alloc(0);
    }
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, BLOCK_BYTES, this.offset);
      if (bytesRead === 0 || this.stopped || this.file?.ino !== ino) return;
      this.offset += bytesRead;
      this.emit(block.subarray(0, bytesRead));
    }
  }

  private emit(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(10); newline >= 0; newline = data.indexOf(10, start)) {
      const line = this.format.parse(data.toString('utf8', start, newline));
      start = newline + 1;
      if (line && matches(line, this.query)) this.onLine(line);
    }
    // Copied: `chunk` is a reused read buffer.
    this.carry = Buffer.from(data.subarray(start));
  }

  /**
   * Switches to the file written after the one held, if there is one: the next newer name
   * in the rotation chain, or the oldest file when the held one is gone (or none was held).
   * Returns false when the held file is still the newest.
   */
  private async moveToNewer(): Promise<boolean> {
    // The common case, in one stat: the file held is still the current one.
    const current = await stat(join(this.dir, logFileName(this.name))).catch(() => undefined);
    if (this.file && current?.ino === this.file.ino) return false;
    const chain = await this.chain();
    if (!chain || chain.length === 0) return false;
    const held = this.file ? chain.findIndex((entry) => entry.ino === this.file!.ino) : -1;
    if (held === 0) return false;
    // Rotated (or removed): nothing is added to it any more, but lines may have been added
    // since the last read, before the rotation. Read them before moving on.
    if (this.file) await this.readToEnd();
    const next = held > 0 ? chain[held - 1]! : chain.at(-1)!;
    const opened = await openLogFile(next.path);
    // Rotated again between the look and the open: look again on the next poll.
    if (!opened || opened.ino !== next.ino) {
      await opened?.handle.close();
      return false;
    }
    await this.file?.handle.close();
    this.file = { handle: opened.handle, ino: opened.ino };
    this.offset = 0;
    this.carry = Buffer.alloc(0);
    return true;
  }

  /**
   * The files newest first with their inodes, as one consistent picture: a rotation renames
   * files one by one, so a look during one can show a file twice or not at all. Looks until
   * two looks in a row agree; undefined when rotations keep getting in the way.
   */
  private async chain(): Promise<Array<{ path: string; ino: number }> | undefined> {
    let previous: string | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      const chain: Array<{ path: string; ino: number }> = [];
      for (const path of logPathsNewestFirst(this.dir, this.name)) {
        const found = await stat(path).catch(() => undefined);
        if (found) chain.push({ path, ino: found.ino });
      }
      const key = chain.map((entry) => `${entry.path}:${entry.ino}`).join('\n');
      const distinct = new Set(chain.map((entry) => entry.ino)).size === chain.length;
      if (distinct && key === previous) return chain;
      previous = key;
    }
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
