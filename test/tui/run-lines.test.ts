import { describe, expect, it } from 'vitest';
import type { RunDetailsView, RunView } from '../../src/core/workflows/views.js';
import { runDetailsLines } from '../../src/tui/run-lines.js';
import { textOf } from '../../src/tui/text-line.js';
import { MAX_JSON_LINES } from '../../src/tui/workflow-lines.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function run(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 'sync-1',
    workflow: 'sync',
    status: 'running',
    input: {},
    error: null,
    createdAt: '2026-03-01T11:00:00.000Z',
    updatedAt: '2026-03-01T11:59:30.000Z',
    owner: 'host/worker#0',
    leaseUntil: '2026-03-01T12:00:30.000Z',
    wakeAt: null,
    stepsDone: 1,
    failures: 2,
    stepFailures: { upload: 2 },
    ...overrides,
  };
}

const lines = (details: RunDetailsView) => runDetailsLines(details, NOW).map(textOf);

describe('a workflow run’s lines', () => {
  it('tells a sleep still running, and a failing step of a running run as being retried', () => {
    const shown = lines({
      run: run(),
      steps: [
        {
          index: 0,
          name: 'nap',
          kind: 'sleep',
          wakeAt: '2026-03-01T12:05:00.000Z',
          attempts: 1,
          startedAt: '2026-03-01T11:59:00.000Z',
          finishedAt: '2026-03-01T11:59:00.000Z',
          durationMs: 0,
        },
      ],
      deadLetters: [],
    });
    expect(shown[0]).toBe('run sync-1  ● running');
    expect(shown).toContain('worker       host/worker#0');
    expect(shown).toContain('updated at   2026-03-01T11:59:30.000Z (30s ago)');
    const steps = shown.indexOf('steps');
    expect(shown[steps + 2]!.split(/\s{2,}/)).toEqual(['0', 'nap', '◷ sleeping', '0ms', '1']);
    expect(shown[steps + 3]!.split(/\s{2,}/)).toEqual(['-', 'upload', '↻ retrying', '-', '2']);
  });

  it('says when no step is recorded yet, and cuts a long input at a bound', () => {
    const input = Array.from({ length: MAX_JSON_LINES * 2 }, (_, index) => index);
    const shown = lines({
      run: run({ status: 'pending', owner: null, stepFailures: {}, input }),
      steps: [],
      deadLetters: [],
    });
    expect(shown).toContain('no step recorded yet');
    const inputAt = shown.indexOf('input');
    expect(shown.length - inputAt - 2).toBe(MAX_JSON_LINES);
    expect(shown.at(-1)).toBe(`… ${MAX_JSON_LINES * 2 + 2 - MAX_JSON_LINES} more lines`);
  });
});
