import { describe, expect, it } from 'vitest';
import {
  commandText,
  durationOf,
  taskCellsOf,
  taskColumnWidths,
} from '../../src/tui/task-cells.js';
import { taskResult, taskView } from './fake-api.js';

describe('the cells of a task', () => {
  it('write an argv as typed, quoting what needs it', () => {
    expect(commandText('npm test -- --watch=false')).toBe('npm test -- --watch=false');
    expect(commandText(['node', 'run.js', 'a b', "it's"])).toBe('node run.js "a b" "it\'s"');
  });

  it('say how long a task ran: to its end, or so far', () => {
    const startedAt = '2026-01-01T10:00:00.000Z';
    const now = Date.parse(startedAt) + 65_000;
    expect(durationOf(taskView({ id: 't-1', startedAt }), now)).toBe('1m5s');
    expect(durationOf(taskView({ id: 't-1', startedAt: null }), now)).toBe('-');
    const ended = taskView({
      id: 't-1',
      status: 'timed_out',
      result: taskResult({ id: 't-1', durationMs: 30_000, signal: 'SIGTERM', exitCode: null }),
    });
    expect(durationOf(ended, now)).toBe('30s');
    expect(
      taskCellsOf(ended, now)
        .map((cell) => cell.text)
        .slice(2, 5),
    ).toEqual(['⧖ timed_out', '1', 'SIGTERM']);
  });

  it('give way with the command first, and leave it out when too little room is left', () => {
    const rows = [taskCellsOf(taskView({ id: 't-1', command: 'x'.repeat(50) }), 0)];
    const widths = taskColumnWidths(rows, 100);
    const fixed = widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0);
    expect(widths.at(-1)).toBe(100 - fixed);
    expect(taskColumnWidths(rows, fixed + 7).at(-1)).toBe(0);
  });
});
