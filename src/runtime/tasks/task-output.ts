/**
 * What a task's result carries of its output: every line (`all`), the last lines of each
 * stream (`tail`), or nothing. Kept per try: a result carries its last try's output.
 */
import type { CaptureMode } from '../../core/tasks/task.js';
import { TAIL_LINES } from '../../core/tasks/task.js';
import type { OutputStream } from '../../core/view.js';
import type { LineBlock } from '../logs/log-buffer.js';

class StreamCapture {
  /** `all`: blocks of lines as read; `tail`: single lines, the last `TAIL_LINES` of them. */
  private readonly parts: string[] = [];
  truncated = false;

  constructor(private readonly mode: CaptureMode) {}

  push(block: LineBlock): void {
    if (this.mode === 'none') return;
    if (this.mode === 'all') {
      this.parts.push(block.text);
      return;
    }
    for (const line of block.lines) this.parts.push(line);
    const over = this.parts.length - TAIL_LINES;
    if (over > 0) {
      // Cut in batches, so a flood does not shift the array once per line.
      if (over >= TAIL_LINES / 4 || this.parts.length > 2 * TAIL_LINES) this.parts.splice(0, over);
      this.truncated = true;
    }
  }

  text(): string {
    const kept = this.mode === 'tail' ? this.parts.slice(-TAIL_LINES) : this.parts;
    return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
  }
}

export class TaskOutput {
  private readonly streams: Record<OutputStream, StreamCapture>;

  constructor(mode: CaptureMode) {
    this.streams = { stdout: new StreamCapture(mode), stderr: new StreamCapture(mode) };
  }

  push(stream: OutputStream, block: LineBlock): void {
    this.streams[stream].push(block);
  }

  result(): { stdout: string; stderr: string; truncated: boolean } {
    const { stdout, stderr } = this.streams;
    return {
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
    };
  }
}
