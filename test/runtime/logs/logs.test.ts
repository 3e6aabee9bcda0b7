/**
 * Output capture: lines kept in order per process, a last line without a newline kept too,
 * stderr told apart from stdout, a bounded buffer, and live delivery through onLog(), where
 * a listener that throws is reported and skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessLogLine } from '../../../src/index.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  tempDir,
  waitFor,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

describe('logs()', () => {
  it('keeps lines in order, including a final partial line with no newline', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 5) });

    await supervisor.up();
    await waitForSettled(supervisor);

    const lines = supervisor.logs('printer');
    expect(lines.map((line) => line.text)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 4',
      'line 5',
      'partial',
    ]);
    expect(lines.every((line) => line.stream === 'stdout')).toBe(true);
    const times = lines.map((line) => line.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  // Regression: the exit was reported once the pipes' `closed` flag was set, before the
  // 'close' handler that flushes a last line without a newline had run.
  it('has the final partial line by the time the job is reported completed', async () => {
    const supervisor = createSupervisor();
    const names = supervisor.add({
      name: 'printer',
      kind: 'job',
      instances: 16,
      command: fixture('print-lines.mjs', 2),
    });
    const lastLineAtCompletion = new Map<string, string | undefined>();
    supervisor.on('process:completed', ({ name }) => {
      lastLineAtCompletion.set(name, supervisor.logs(name).at(-1)?.text);
    });

    await supervisor.up();
    await waitForSettled(supervisor);

    expect(Object.fromEntries(lastLineAtCompletion)).toEqual(
      Object.fromEntries(names.map((name) => [name, 'partial'])),
    );
  });

  it('marks stderr lines as stderr', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'both', kind: 'job', command: fixture('print-both.mjs', 3) });

    await supervisor.up();
    await waitForSettled(supervisor);

    const lines = supervisor.logs('both');
    const texts = (stream: string) =>
      lines.filter((line) => line.stream === stream).map((line) => line.text);
    expect(texts('stdout')).toEqual(['out 1', 'out 2', 'out 3']);
    expect(texts('stderr')).toEqual(['err 1', 'err 2', 'err 3']);
  });

  it('returns the last N lines, and keeps at most logLines per process', async () => {
    const supervisor = createSupervisor({ logLines: 4 });
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 10) });

    await supervisor.up();
    await waitForSettled(supervisor);

    expect(supervisor.logs('printer').map((line) => line.text)).toEqual([
      'line 8',
      'line 9',
      'line 10',
      'partial',
    ]);
    expect(supervisor.logs('printer', 2).map((line) => line.text)).toEqual(['line 10', 'partial']);
  });

  it('delivers every line to onLog() listeners with the process name', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 2) });
    const seen: ProcessLogLine[] = [];
    const dispose = supervisor.onLog((line) => seen.push(line));

    await supervisor.up();
    await waitForSettled(supervisor);
    dispose();

    expect(seen.map((line) => `${line.name} ${line.stream} ${line.text}`)).toEqual([
      'printer stdout line 1',
      'printer stdout line 2',
      'printer stdout partial',
    ]);
  });
});

describe('listeners that throw', () => {
  it('a throwing onLog listener neither escapes nor keeps lines from the ring, the file and other listeners', async () => {
    const errors: unknown[] = [];
    const logDir = tempDir();
    const supervisor = createSupervisor({ logDir, onListenerError: (error) => errors.push(error) });
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 2) });
    supervisor.onLog(() => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    supervisor.onLog((line) => seen.push(line.text));

    await supervisor.up();
    await waitForSettled(supervisor);

    const expected = ['line 1', 'line 2', 'partial'];
    expect(seen).toEqual(expected);
    expect(supervisor.logs('printer').map((line) => line.text)).toEqual(expected);
    const file = readFileSync(join(logDir, 'printer.log'), 'utf8').trimEnd().split('\n');
    expect(file.map((line) => line.split(' ').slice(2).join(' '))).toEqual(expected);
    expect(errors).toEqual(expected.map(() => new Error('listener bug')));
  });

  it('a throwing event listener is reported and skipped; the others get every event', async () => {
    const errors: unknown[] = [];
    const supervisor = createSupervisor({ onListenerError: (error) => errors.push(error) });
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 1) });
    supervisor.on('process:started', () => {
      throw new Error('event listener bug');
    });
    const seen: string[] = [];
    supervisor.onAny((event) => seen.push(event.type));

    await supervisor.up();
    await waitForSettled(supervisor);

    expect(seen).toContain('process:started');
    expect(seen).toContain('process:completed');
    expect(errors).toEqual([new Error('event listener bug')]);
  });

  it('without onListenerError, a thrower becomes a process warning, not an uncaught exception', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 1) });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      supervisor.onLog(() => {
        throw new Error('listener bug');
      });
      await supervisor.up();
      await waitForSettled(supervisor);
      await waitFor(() => warnings.length === 2, 5_000, 'a warning per line');
    } finally {
      process.off('warning', onWarning);
    }

    expect(warnings.map((warning) => [warning.name, warning.message])).toEqual([
      ['OverseerListenerError', 'a listener threw, and was skipped: listener bug'],
      ['OverseerListenerError', 'a listener threw, and was skipped: listener bug'],
    ]);
  });
});
