/**
 * Output capture: lines kept in order per process, a last line without a newline kept too,
 * stderr told apart from stdout, a bounded buffer, and live delivery through onLog().
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessLogLine } from '../../src/index.js';
import { cleanup, createSupervisor, fixture, waitForSettled } from './helpers.js';

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
