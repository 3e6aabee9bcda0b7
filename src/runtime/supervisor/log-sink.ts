/**
 * Where the output of every process goes: its log file (one per name, rotated by size, the
 * child paused while the disk is behind) and the listeners of `onLog`; and where it is read
 * back from.
 */
import { join } from 'node:path';
import type { LogRotation, ProcessSpec } from '../../core/process/spec.js';
import type { Disposer } from '../../core/subscription.js';
import type { LogQuery, OutputStream, ProcessLogLine } from '../../core/view.js';
import type { LineBlock } from '../logs/log-buffer.js';
import { LogFile } from '../logs/log-file.js';
import { matches, mergeByTime, readLogTails } from '../logs/log-files.js';
import { formatBlock, logFileName } from '../logs/log-format.js';
import { removeLogFiles } from '../logs/log-rotation.js';
import { type Listener, type ListenerErrorReporter, Listeners } from './emitter.js';
import type { ManagedProcess } from './managed-process.js';

/** The folder of the tasks' log files, under the log folder. */
export const TASK_LOG_FOLDER = 'tasks';

/** The output of every process: to its log file when there is a log folder, and to listeners. */
export class LogSink {
  private readonly listeners: Listeners<ProcessLogLine>;
  /** One per process name, kept when a process is removed so a re-added one appends in order. */
  private readonly files = new Map<string, LogFile>();

  /**
   * @param logDir folder of the log files; none keeps output in memory only
   * @param rotation of every file, unless a process sets its own `logs`
   */
  constructor(
    private readonly logDir: string | undefined,
    private rotation: LogRotation,
    report: ListenerErrorReporter,
  ) {
    this.listeners = new Listeners(report);
  }

  /** Every line of output, as it is read; returns a disposer. */
  onLog(listener: Listener<ProcessLogLine>): Disposer {
    return this.listeners.add(listener);
  }

  /**
   * The lines of one read of a child's output: one string for the log file, and one object
   * per line only when someone listens.
   */
  write(managed: ManagedProcess, at: number, stream: OutputStream, block: LineBlock): void {
    this.writeFile(managed, at, stream, block);
    if (this.listeners.size === 0) return;
    const { name } = managed.spec;
    for (const text of block.lines) this.listeners.deliver({ name, at, stream, text });
  }

  /** The lines to the process's log file only, the child paused while the disk is behind. */
  writeFile(managed: ManagedProcess, at: number, stream: OutputStream, block: LineBlock): void {
    const file = managed.logFile;
    if (file && !file.write(formatBlock(at, stream, block), block.ascii)) {
      this.throttle(managed, file);
    }
  }

  /** The folder of the tasks' log files, when there is a log folder. */
  get taskLogDir(): string | undefined {
    return this.logDir === undefined ? undefined : join(this.logDir, TASK_LOG_FOLDER);
  }

  /** A new log file for task `id`, `<logDir>/tasks/<id>.log`, with the supervisor's rotation. */
  taskFile(id: string): LogFile | undefined {
    if (this.logDir === undefined) return undefined;
    return new LogFile(join(this.logDir, TASK_LOG_FOLDER, logFileName(id)), this.rotation);
  }

  /** Removes task `id`'s log files, rotated ones included: it left the history. */
  async removeTaskFiles(id: string): Promise<void> {
    const dir = this.taskLogDir;
    if (dir !== undefined) await removeLogFiles(join(dir, logFileName(id)));
  }

  /** The log file of a process (one per name, reused when a name is declared again). */
  fileFor(spec: ProcessSpec): LogFile | undefined {
    if (this.logDir === undefined) return undefined;
    const rotation = {
      maxSize: spec.logs?.maxSize ?? this.rotation.maxSize,
      maxFiles: spec.logs?.maxFiles ?? this.rotation.maxFiles,
    };
    const known = this.files.get(spec.name);
    if (known) {
      known.setRotation(rotation);
      return known;
    }
    const file = new LogFile(join(this.logDir, logFileName(spec.name)), rotation);
    this.files.set(spec.name, file);
    return file;
  }

  /** Changes the rotation of every log file of `processes`, from its next write on (a process's own wins). */
  setRotation(rotation: LogRotation, processes: Iterable<ManagedProcess>): void {
    this.rotation = rotation;
    for (const managed of processes) {
      if (this.files.has(managed.spec.name)) this.fileFor(managed.spec);
    }
  }

  /**
   * The last lines of `members` merged by time that pass `query` (`lines`, default 100),
   * oldest first: from the log files, rotated ones included, when there are any; else from
   * the lines kept in memory.
   */
  async read(members: readonly ManagedProcess[], query: LogQuery): Promise<ProcessLogLine[]> {
    const count = query.lines ?? 100;
    if (this.logDir === undefined) {
      const sources = members.map((managed) => ({
        name: managed.spec.name,
        lines: managed.logs
          .tail()
          .filter((line) => matches(line, query))
          .slice(-count),
      }));
      return mergeByTime(sources, count);
    }
    // What was read before the call is on disk before the files are read.
    await Promise.all(members.map((managed) => managed.logFile?.flushed()));
    const names = members.map((managed) => managed.spec.name);
    return readLogTails(this.logDir, names, { ...query, lines: count });
  }

  /**
   * The last `count` lines `members` hold in memory, merged by time, then every new line of
   * theirs as it is read: delivered in one turn, so no line is missed or told twice.
   */
  follow(
    members: readonly ManagedProcess[],
    count: number,
    listener: Listener<ProcessLogLine>,
  ): Disposer {
    const sources = members.map(({ spec, logs }) => ({ name: spec.name, lines: logs.tail(count) }));
    for (const line of mergeByTime(sources, count)) listener(line);
    const wanted = new Set(members.map((managed) => managed.spec.name));
    return this.onLog((line) => {
      if (wanted.has(line.name)) listener(line);
    });
  }

  /** Resolves once every line written is on disk and every file is closed. */
  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => file.close()));
  }

  /**
   * The disk is behind: stop reading the child until its log file has caught up. The child
   * blocks on its full pipe meanwhile; no line is dropped.
   */
  private throttle(managed: ManagedProcess, file: LogFile): void {
    const child = managed.child;
    if (!child || child.isOutputPaused) return;
    child.pauseOutput();
    file.onceDrain(() => child.resumeOutput());
  }
}
