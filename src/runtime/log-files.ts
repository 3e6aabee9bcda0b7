/**
 * Reading per-process log files (see `LogFile`): the last lines across the current and
 * rotated files, read backwards a block at a time, and a follower that tails the current
 * file across rotations without losing or repeating a line. Works without a supervisor:
 * `overseer logs` reads a state dir's files even when the daemon is down.
 */
import { readdirSync, statSync } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDuration } from '../core/units.js';
import type { LogLine, LogQuery, ProcessLogLine } from '../core/view.js';
import { logFileName, parseLogLine } from './log-format.js';

export type { LogQuery };

/** Bytes read at a time when reading a file backwards, or following it. */
const BLOCK_BYTES = 64 * 1024;

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

/** True when `line` passes the query's filters. */
export function matches(line: LogLine, query: LogQuery): boolean {
  if (query.since !== undefined && line.at < query.since) return false;
  return query.grep === undefined || query.grep.test(line.text);
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
  const files = await openNewestFirst(dir, name);
  try {
    return (await tailOf(files, query)).lines;
  } finally {
    await Promise.all(files.map((file) => file.handle.close()));
  }
}

/**
 * The last lines of several processes, merged by time (ties keep each process's order),
 * each with its name; oldest first.
 */
export async function readLogTails(
  dir: string,
  names: readonly string[],
  query: LogQuery = {},
): Promise<ProcessLogLine[]> {
  const tails = await Promise.all(names.map((name) => readLogTail(dir, name, query)));
  return mergeByTime(
    names.map((name, index) => ({ name, lines: tails[index]! })),
    query.lines ?? 100,
  );
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

interface OpenLogFile {
  readonly handle: FileHandle;
  readonly ino: number;
  /** Size when opened: what a tail reads, so a growing file gives a consistent answer. */
  readonly size: number;
}

/**
 * Opens the current file, then `.1`, `.2`…: newest first. A rotation while opening could
 * show the same file under two names; it is kept once.
 */
async function openNewestFirst(dir: string, name: string): Promise<OpenLogFile[]> {
  const files: OpenLogFile[] = [];
  const seen = new Set<number>();
  for (const path of logPathsNewestFirst(dir, name)) {
    const file = await openLogFile(path);
    if (!file) continue;
    if (seen.has(file.ino)) {
      await file.handle.close();
      continue;
    }
    seen.add(file.ino);
    files.push(file);
  }
  return files;
}

async function openLogFile(path: string): Promise<OpenLogFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  const { ino, size } = await handle.stat();
  return { handle, ino, size };
}

/** `<name>.log`, `<name>.log.1`, `<name>.log.2`… as they exist now. */
function logPathsNewestFirst(dir: string, name: string): string[] {
  const own = logFileName(name);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = entries
    .filter((entry) => isRotatedOf(entry, own))
    .map((entry) => Number(entry.slice(own.length + 1)))
    .sort((a, b) => a - b);
  return [join(dir, own), ...rotated.map((index) => join(dir, `${own}.${index}`))];
}

function isRotatedOf(entry: string, own: string): boolean {
  return entry.startsWith(`${own}.`) && /^[1-9]\d*$/.test(entry.slice(own.length + 1));
}

/**
 * The query's lines from files given newest first, read backwards; and where the complete
 * lines of the newest file end (a follower goes on from there).
 */
async function tailOf(
  files: readonly OpenLogFile[],
  query: LogQuery,
): Promise<{ lines: LogLine[]; end: number }> {
  const wanted = query.lines ?? 100;
  const newestFirst: LogLine[] = [];
  let end = 0;
  let done = wanted <= 0;
  for (const [index, file] of files.entries()) {
    const fileEnd = await readBackwards(file, (line) => {
      if (done) return false;
      if (query.since !== undefined && line.at < query.since) {
        // Lines are in time order: everything further back is older still.
        done = true;
        return false;
      }
      if (matches(line, query)) newestFirst.push(line);
      done = newestFirst.length >= wanted;
      return !done;
    });
    if (index === 0) end = fileEnd;
    if (done) break;
  }
  return { lines: newestFirst.reverse(), end };
}

/**
 * Calls `visit` with each complete line of `file` (up to its size when opened), newest
 * first, until it returns false. Returns the offset just past the last complete line.
 */
async function readBackwards(
  file: OpenLogFile,
  visit: (line: LogLine) => boolean,
): Promise<number> {
  let position = file.size;
  let carry = Buffer.alloc(0);
  let end: number | undefined;
  while (position > 0) {
    const start = Math.max(0, position - BLOCK_BYTES);
    const block = Buffer.allocUnsafe(position - start);
    await readFully(file.handle, block, start);
    position = start;
    const data = carry.length > 0 ? Buffer.concat([block, carry]) : block;
    let lineEnd = data.length;
    if (end === undefined) {
      // A line still being written has no newline yet: it is not part of the file yet.
      lineEnd = data.lastIndexOf(10) + 1;
      if (lineEnd === 0) {
        carry = data;
        continue;
      }
      end = start + lineEnd;
      lineEnd -= 1;
    }
    // (A negative offset would make lastIndexOf search from the end.)
    let newline = lineEnd > 0 ? data.lastIndexOf(10, lineEnd - 1) : -1;
    while (newline >= 0) {
      if (!visitRaw(data, newline + 1, lineEnd, visit)) return end;
      lineEnd = newline;
      newline = lineEnd > 0 ? data.lastIndexOf(10, lineEnd - 1) : -1;
    }
    carry = data.subarray(0, lineEnd);
  }
  if (end !== undefined && carry.length > 0) visitRaw(carry, 0, carry.length, visit);
  return end ?? 0;
}

function visitRaw(
  data: Buffer,
  start: number,
  end: number,
  visit: (line: LogLine) => boolean,
): boolean {
  const line = parseLogLine(data.toString('utf8', start, end));
  return line === undefined || visit(line);
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new Error('log file shrank while being read');
    done += bytesRead;
  }
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

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly onLine: (line: LogLine) => void,
    private readonly query: LogQuery = {},
    private readonly pollMs = FOLLOW_POLL_MS,
  ) {}

  /** Reads the tail (`query.lines`, default 100), starts following, and returns the tail. */
  async start(): Promise<LogLine[]> {
    const files = await openNewestFirst(this.dir, this.name);
    const { lines, end } = await tailOf(files, this.query);
    const [newest, ...older] = files;
    await Promise.all(older.map((file) => file.handle.close()));
    if (newest) {
      this.file = { handle: newest.handle, ino: newest.ino };
      this.offset = end;
    }
    this.schedule();
    return lines;
  }

  /** Stops following and closes the file. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await this.file?.handle.close();
    this.file = undefined;
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
    if (this.stopped) return;
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
      const line = parseLogLine(data.toString('utf8', start, newline));
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
