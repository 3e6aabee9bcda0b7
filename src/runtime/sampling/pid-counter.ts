/**
 * Reads the kernel's pid counter (see `newPidsSince`): processes forked since boot from
 * `/proc/stat`, the tasks in use from `/proc/loadavg`, the last pid handed out in this pid
 * namespace from `/proc/sys/kernel/ns_last_pid` (which no container layer rewrites), through
 * handles kept open until `close`, and `pid_max` once.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { PidCounter } from '../../core/limits/new-pids.js';

const PROCESSES = Buffer.from('\nprocesses ');

export class PidCounterReader {
  private stat = -1;
  private loadavg = -1;
  private lastPid = -1;
  /** Grows to hold all of `/proc/stat` (longer with many CPUs and interrupts). */
  private buffer = Buffer.allocUnsafe(8_192);
  /** Highest pid plus one (`/proc/sys/kernel/pid_max`); 0 when unknown. */
  readonly pidMax: number;

  constructor() {
    this.pidMax = readPidMax();
  }

  /** The counter now, or `null` where it cannot be read (then every pid may be new). */
  read(): PidCounter | null {
    if (this.pidMax === 0) return null;
    try {
      if (this.stat < 0) this.stat = openSync('/proc/stat', 'r');
      if (this.loadavg < 0) this.loadavg = openSync('/proc/loadavg', 'r');
      if (this.lastPid < 0) this.lastPid = openSync('/proc/sys/kernel/ns_last_pid', 'r');
      const forks = this.readForks();
      // "0.00 0.01 0.05 1/220 4711": running/tasks, then the last pid.
      let length = readSync(this.loadavg, this.buffer, 0, this.buffer.length, 0);
      const running = this.buffer.toString('latin1', 0, length).split(' ')[3] ?? '';
      const tasks = Number(running.slice(running.indexOf('/') + 1));
      length = readSync(this.lastPid, this.buffer, 0, this.buffer.length, 0);
      const lastPid = Number(this.buffer.toString('latin1', 0, length));
      if (!(forks >= 0 && tasks >= 0 && lastPid >= 0)) return null;
      return { forks, lastPid, tasks };
    } catch {
      return null;
    }
  }

  close(): void {
    for (const handle of [this.stat, this.loadavg, this.lastPid]) {
      if (handle >= 0) closeSync(handle);
    }
    this.stat = -1;
    this.loadavg = -1;
    this.lastPid = -1;
  }

  private readForks(): number {
    let length = readSync(this.stat, this.buffer, 0, this.buffer.length, 0);
    while (length === this.buffer.length) {
      const larger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(larger);
      this.buffer = larger;
      length += readSync(this.stat, this.buffer, length, this.buffer.length - length, length);
    }
    const at = this.buffer.subarray(0, length).indexOf(PROCESSES);
    if (at < 0) return -1;
    let forks = 0;
    for (let index = at + PROCESSES.length; index < length; index += 1) {
      const digit = this.buffer[index]! - 0x30;
      if (digit < 0 || digit > 9) break;
      forks = forks * 10 + digit;
    }
    return forks;
  }
}

function readPidMax(): number {
  try {
    return Number.parseInt(readFileSync('/proc/sys/kernel/pid_max', 'latin1'), 10) || 0;
  } catch {
    return 0;
  }
}
