import { describe, expect, it } from 'vitest';
import { reasonText } from '../../src/core/reason-text.js';
import { COLUMNS, cellsOf, columnWidths, padOrCut } from '../../src/tui/process-cells.js';
import { processRow } from './fake-api.js';

const NOW = Date.parse('2026-01-01T10:00:00.000Z');
const REASON = COLUMNS.indexOf('REASON');
const NAMESPACE = COLUMNS.indexOf('NAMESPACE');

describe('the cells of the process table', () => {
  const rows = [
    processRow({ name: 'web' }),
    processRow({ name: 'api', status: 'failed', reason: 'exited with code 1 three times in 10s' }),
  ].map((process) => cellsOf(process, NOW));

  it('gives every column its widest cell on a wide terminal', () => {
    const widths = columnWidths(rows, 200);
    expect(widths[REASON]).toBe('exited with code 1 three times in 10s'.length);
  });

  it('narrows the reason first on a narrow terminal, then leaves it out', () => {
    const wide = columnWidths(rows, 200);
    const narrow = columnWidths(rows, 80);
    expect(narrow.slice(0, REASON)).toEqual(wide.slice(0, REASON));
    const used = narrow.reduce((sum, width) => (width === 0 ? sum : sum + width + 2), 0) - 2;
    expect(used).toBe(80);
    expect(columnWidths(rows, 50)[REASON]).toBe(0);
  });

  it('leaves out score, health, namespace… whole, in that order, where the rest would not fit', () => {
    const crowded = [
      processRow({ name: 'worker-service', namespace: 'background', healthScore: 72 }),
      processRow({ name: 'api', namespace: 'backend' }),
    ].map((process) => cellsOf(process, NOW));
    const shown = (width: number) =>
      COLUMNS.filter((_, column) => columnWidths(crowded, width)[column]! > 0);
    // Nothing to say in any row: no REASON column.
    expect(shown(120)).toEqual(COLUMNS.filter((title) => title !== 'REASON'));
    expect(shown(78)).toEqual([
      'NAME',
      'NAMESPACE',
      'STATUS',
      'PID',
      'RESTARTS',
      'UPTIME',
      'CPU',
      'MEM',
    ]);
    expect(shown(50)).toEqual(['NAME', 'STATUS', 'CPU', 'MEM']);
  });

  it('shows NAMESPACE once a row is outside default', () => {
    expect(columnWidths(rows, 200)[NAMESPACE]).toBe(0);
    const namespaced = [...rows, cellsOf(processRow({ name: 'db', namespace: 'backend' }), NOW)];
    expect(columnWidths(namespaced, 200)[NAMESPACE]).toBe('NAMESPACE'.length);
  });

  it('cuts a long cell with an ellipsis and pads a short one', () => {
    expect(padOrCut('restart budget spent', 10)).toBe('restart b…');
    expect(padOrCut('ok', 4)).toBe('ok  ');
  });

  it('says when a failed process is tried again and when a scheduled one runs', () => {
    const failed = processRow({
      name: 'api',
      status: 'failed',
      reason: 'restart budget spent',
      retryAt: new Date(NOW + 240_000).toISOString(),
    });
    expect(reasonText(failed, NOW)).toBe('restart budget spent (retry in 4m)');
    const scheduled = processRow({
      name: 'report',
      status: 'scheduled',
      nextRunAt: new Date(NOW + 90_000).toISOString(),
    });
    expect(reasonText(scheduled, NOW)).toBe('next run in 1m30s');
    const exited = processRow({ name: 'job', status: 'completed', exitCode: 0 });
    expect(reasonText(exited, NOW)).toBe('exit code 0');
  });
});
