/**
 * Regression: a partial line kept its whole read alive. The splitter kept the text after the
 * last newline as a slice of the decoded read, and V8 slices point into their parent: every
 * child whose last output did not end in a newline held a 64 KiB string until its next line,
 * and under a flood that string survived every young-generation collection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/runtime/logs/log-buffer.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function heapAfterCollecting(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** A 64 KiB read of full lines that ends with the start of one more. */
function readEndingInPartialLine(ascii: boolean): Buffer {
  const line = `${ascii ? 'x' : 'é'}${'x'.repeat(98)}\n`;
  return Buffer.from(`${line.repeat(655)}a partial line, long enough to be a slice`);
}

describe('a partial line keeps only its own text, not the read it came in', () => {
  for (const ascii of [true, false]) {
    it(ascii ? 'after an ASCII read' : 'after a UTF-8 read', () => {
      const splitters = Array.from({ length: 100 }, () => new LineSplitter());
      const before = heapAfterCollecting();
      for (const splitter of splitters) splitter.write(readEndingInPartialLine(ascii));
      const retained = heapAfterCollecting() - before;
      // The bug kept 100 reads of 64 KiB (6.4 MB); the fix keeps 100 words.
      expect(retained).toBeLessThan(1024 * 1024);
      expect(splitters[0]!.end()?.lines).toEqual(['a partial line, long enough to be a slice']);
    });
  }
});
