import { describe, expect, it } from 'vitest';
import {
  criteriaOf,
  isStatus,
  type Matchable,
  matchesCriteria,
  type ProcessFilter,
  STATUSES,
} from '../../../src/core/stack/process-filter.js';

const ROWS: readonly (Matchable & { name: string })[] = [
  { name: 'web', status: 'running', labels: { tier: 'web', team: 'core' } },
  { name: 'worker', status: 'failed', labels: { tier: 'jobs', team: 'core' } },
  { name: 'cron', status: 'scheduled', labels: {} },
];

/** The names of the rows a filter keeps, or its error message. */
function kept(filter: ProcessFilter): string[] | string {
  const checked = criteriaOf(filter);
  if (!checked.ok) return checked.message;
  return ROWS.filter((row) => matchesCriteria(row, checked.criteria)).map((row) => row.name);
}

describe('criteriaOf and matchesCriteria', () => {
  it('keeps every row without status or label', () => {
    expect(kept({})).toEqual(['web', 'worker', 'cron']);
    expect(kept({ names: ['ignored here'], namespace: 'resolved elsewhere' })).toEqual([
      'web',
      'worker',
      'cron',
    ]);
  });

  it('keeps rows in the status, or in any of the statuses', () => {
    expect(kept({ status: 'failed' })).toEqual(['worker']);
    expect(kept({ status: ['running', 'scheduled'] })).toEqual(['web', 'cron']);
  });

  it('keeps rows carrying every label, given as k=v, several k=v, or an object', () => {
    expect(kept({ label: 'tier=web' })).toEqual(['web']);
    expect(kept({ label: ['team=core', 'tier=jobs'] })).toEqual(['worker']);
    expect(kept({ label: { team: 'core' } })).toEqual(['web', 'worker']);
    expect(kept({ label: 'team=' })).toEqual([]);
    // A value may hold `=`: only the first one splits.
    expect(kept({ label: 'tier=web=x' })).toEqual([]);
  });

  it('combines status and labels', () => {
    expect(kept({ status: ['running', 'failed'], label: 'tier=jobs' })).toEqual(['worker']);
  });

  it('names a status that is none, with the statuses there are', () => {
    expect(kept({ status: ['running', 'runing' as 'running'] })).toBe(
      `status: expected one of ${STATUSES.join(', ')}; got "runing"`,
    );
  });

  it('names a label that is not key=value', () => {
    expect(kept({ label: 'tier' })).toBe('label: expected key=value, got "tier"');
    expect(kept({ label: ['tier=web', '=web'] })).toBe('label: expected key=value, got "=web"');
  });

  it('knows every status, and nothing else', () => {
    expect(STATUSES).toContain('scheduled');
    expect(STATUSES.every(isStatus)).toBe(true);
    expect(isStatus('toString')).toBe(false);
  });
});
