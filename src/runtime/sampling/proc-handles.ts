/**
 * Open handles on `/proc/PID/stat`, `/proc/PID/fd` and `/proc/PID/io`, kept within a budget,
 * and the reads through them: a later read of a member costs two `pread`s and one `fstat`,
 * and an open handle names that very process, never another one that reuses its pid.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { emptyStat, parseStatBytes, STAT_BYTES, type Stat } from '../process/proc.js';
import { IO_BYTES, type IoReading, parseIoBytes } from './proc-io.js';
import { fdDirSizeCounts } from './system-units.js';

/** Open handles held at most (three per member); beyond, each read opens and closes its own. */
const HANDLE_BUDGET = 4_096;

/** The handles of one sampler; -1 stands for "no handle held". */
export class ProcHandles {
  private held = 0;
  private readonly buffer = Buffer.allocUnsafe(STAT_BYTES);
  private readonly scratch: Stat = emptyStat();
  private readonly ioBuffer = Buffer.allocUnsafe(IO_BYTES);
  /** `fstat` of `/proc/PID/fd` gives the count of open descriptors (Linux ≥ 6.2). */
  private readonly fdSizeCounts = fdDirSizeCounts();

  /** A handle on `/proc/PID/stat`, or -1 (over budget, or the process is gone). */
  openStat(pid: number): number {
    if (this.held >= HANDLE_BUDGET) return -1;
    try {
      const handle = openSync(`/proc/${pid}/stat`, 'r');
      this.held += 1;
      return handle;
    } catch {
      return -1;
    }
  }

  /**
   * A handle on `/proc/PID/fd` whose size is the count of descriptors, or -1 (the kernel
   * does not count so, over budget, or not ours to look into).
   */
  openFd(pid: number): number {
    if (!this.fdSizeCounts || this.held >= HANDLE_BUDGET) return -1;
    try {
      const handle = openSync(`/proc/${pid}/fd`, 'r');
      this.held += 1;
      return handle;
    } catch {
      // Not ours to look into (another user): its descriptors go uncounted.
      return -1;
    }
  }

  /**
   * A handle on `/proc/PID/io`, or -1 (over budget, or gone). Whether it can be read is only
   * known at the read: the kernel asks for the right to trace the process then.
   */
  openIo(pid: number): number {
    if (this.held >= HANDLE_BUDGET) return -1;
    try {
      const handle = openSync(`/proc/${pid}/io`, 'r');
      this.held += 1;
      return handle;
    } catch {
      return -1;
    }
  }

  /**
   * `read_bytes` and `write_bytes` of `/proc/PID/io` through `handle` (or by path when -1)
   * into `into`; false when they cannot be read (gone, or another user's process).
   */
  readIo(pid: number, handle: number, into: IoReading): boolean {
    let length: number;
    try {
      if (handle >= 0) {
        length = readSync(handle, this.ioBuffer, 0, IO_BYTES, 0);
      } else {
        const opened = openSync(`/proc/${pid}/io`, 'r');
        try {
          length = readSync(opened, this.ioBuffer, 0, IO_BYTES, 0);
        } finally {
          closeSync(opened);
        }
      }
    } catch {
      return false;
    }
    return parseIoBytes(this.ioBuffer, length, into);
  }

  close(handle: number): void {
    this.held -= 1;
    try {
      closeSync(handle);
    } catch {
      // already closed
    }
  }

  /**
   * Reads `/proc/PID/stat` through `handle` (or by path when -1) into a scratch `Stat`,
   * valid until the next read; `undefined` once the process is gone.
   */
  readStat(pid: number, handle: number): Stat | undefined {
    let length: number;
    try {
      if (handle >= 0) {
        length = readSync(handle, this.buffer, 0, STAT_BYTES, 0);
      } else {
        const opened = openSync(`/proc/${pid}/stat`, 'r');
        try {
          length = readSync(opened, this.buffer, 0, STAT_BYTES, 0);
        } finally {
          closeSync(opened);
        }
      }
    } catch {
      return undefined;
    }
    return parseStatBytes(this.buffer, length, this.scratch);
  }

  /** Open descriptors of `pid`, through `fdHandle` (or by listing when -1); `null` if unknown. */
  countFds(pid: number, fdHandle: number): number | null {
    if (fdHandle >= 0) {
      try {
        return fstatSync(fdHandle).size;
      } catch {
        return null;
      }
    }
    try {
      return readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      return null;
    }
  }
}
