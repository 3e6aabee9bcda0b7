/**
 * The storage I/O of one run's process tree, as two counters that never go down.
 *
 * Linux counts I/O per process (`read_bytes` and `write_bytes` of `/proc/PID/io`), and when
 * a child is reaped its counts move into its reaper's, as its CPU time moves into `cutime`.
 * Summing the members' counts at each pass would drop what a child did once it exits (when
 * its reaper is outside the tree) or count it twice (its last reading, then again in its
 * reaper's). So the tally adds, pass by pass, what each member gained since it was last
 * read; a member that left keeps what it was seen to do, and that part is taken off its
 * reaper's gain when the reaper is a member too. A pass never takes the totals down.
 */

/** Bytes a process tree read from and wrote to storage. */
export interface IoBytes {
  readonly readBytes: number;
  readonly writeBytes: number;
}

interface Seen {
  readBytes: number;
  writeBytes: number;
}

export class IoTally {
  /** Each member's counts at its last reading, by pid; members not readable are absent. */
  private readonly last = new Map<number, Seen>();
  private gainedRead = 0;
  private gainedWrite = 0;
  private readBytes = 0;
  private writeBytes = 0;
  /** False until some member could be read: the tree's I/O is then unknown, not 0. */
  private known = false;

  /**
   * A member's counts now (each member once per pass). A member read for the first time
   * brings all it did: it joined the tree at its birth or with the run.
   */
  member(pid: number, readBytes: number, writeBytes: number): void {
    this.known = true;
    const seen = this.last.get(pid);
    if (!seen) {
      this.gainedRead += readBytes;
      this.gainedWrite += writeBytes;
      this.last.set(pid, { readBytes, writeBytes });
      return;
    }
    this.gainedRead += readBytes - seen.readBytes;
    this.gainedWrite += writeBytes - seen.writeBytes;
    seen.readBytes = readBytes;
    seen.writeBytes = writeBytes;
  }

  /**
   * A member gone since the last pass, reaped by `reaper` (its nearest live ancestor). What
   * it was seen to do stays counted; when the reaper is a member, that part shows up again
   * in the reaper's counts, so it is taken off this pass's gain.
   */
  left(pid: number, reaper: number): void {
    const seen = this.last.get(pid);
    if (!seen) return;
    this.last.delete(pid);
    if (!this.last.has(reaper)) return;
    this.gainedRead -= seen.readBytes;
    this.gainedWrite -= seen.writeBytes;
  }

  /**
   * Ends a pass: the gain is added to the totals. A gain below nothing is carried to the
   * next pass as a debt, not dropped: a child reaped after its reaper was read this pass
   * was taken off before the reaper's counts show its bytes, which they do next pass.
   * The totals never go down.
   */
  endPass(): void {
    if (this.gainedRead > 0) {
      this.readBytes += this.gainedRead;
      this.gainedRead = 0;
    }
    if (this.gainedWrite > 0) {
      this.writeBytes += this.gainedWrite;
      this.gainedWrite = 0;
    }
  }

  /** What the tree read and wrote so far; `null` when no member could be read. */
  get totals(): IoBytes | null {
    return this.known ? { readBytes: this.readBytes, writeBytes: this.writeBytes } : null;
  }
}
