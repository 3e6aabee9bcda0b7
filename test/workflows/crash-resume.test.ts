/**
 * A real worker SIGKILLed at every point of a five-step workflow (before a step, inside it
 * once its side effect is done, after its result is recorded), then started again: it
 * resumes its run, every completed step's side effect happened exactly once, and the one
 * in flight at the kill at least once (here: twice).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CRASHER = fileURLToPath(new URL('../fixtures/workflow-crasher.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'overseer-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one life of the worker; resolves with how it ended and what it printed. */
function life(
  args: string[],
): Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CRASHER, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

/** `each` of `items`, `size` at a time: a few processes at once, not thirty. */
async function inBatches<T, R>(items: readonly T[], size: number, each: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(each))));
  }
  return results;
}

const POINTS = [1, 2, 3, 4, 5].flatMap((k) => [`before:${k}`, `inside:${k}`, `after:${k}`]);

describe('a workflow worker killed with SIGKILL', () => {
  it('resumes from every point: completed steps once, the step in flight again', async () => {
    const outcomes = await inBatches(POINTS, 5, async (point) => {
      const name = point.replace(':', '-');
      const args = [join(dir, `${name}.db`), `run-${name}`, join(dir, `${name}.effects`), point];
      const first = await life(args);
      const second = await life(args);
      const effects = readFileSync(args[2]!, 'utf8').trim().split('\n');
      return { point, first: first.signal, second: second.out.trim(), effects };
    });
    for (const { point, first, second, effects } of outcomes) {
      const [where, k] = point.split(':');
      const inFlight = where === 'inside' ? `s${k}` : undefined;
      const expected = ['s1', 's2', 's3', 's4', 's5'].flatMap((step) =>
        step === inFlight ? [step, step] : [step],
      );
      expect({ point, first, second, effects }).toEqual({
        point,
        first: 'SIGKILL',
        second: 'done 15',
        effects: expected,
      });
    }
  }, 60_000);
});
