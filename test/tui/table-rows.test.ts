import { describe, expect, it } from 'vitest';
import { namespacesOf, type TableQuery, tableRows } from '../../src/tui/table-rows.js';
import { processRow } from './fake-api.js';

const query = (overrides: Partial<TableQuery> = {}): TableQuery => ({
  filter: '',
  sort: { key: 'config', reversed: false },
  unfolded: new Set(),
  ...overrides,
});

const web = [0, 1, 2].map((instance) =>
  processRow({
    name: `web-${instance}`,
    instance,
    restarts: instance,
    cpuPercent: 10,
    memoryBytes: 100,
    uptimeMs: 1000 * (instance + 1),
    healthScore: 100 - instance,
    status: instance === 1 ? 'backoff' : 'running',
    reason: instance === 1 ? 'exited with code 1' : null,
  }),
);
const api = processRow({ name: 'api', cpuPercent: 50, memoryBytes: 10, restarts: 7 });
const cron = processRow({
  name: 'cron',
  namespace: 'jobs',
  status: 'scheduled',
  cpuPercent: null,
  memoryBytes: null,
});

describe('the process table rows', () => {
  it('folds the instances of a process under its row, their figures taken together', () => {
    const rows = tableRows([api, ...web, cron], query());
    expect(rows.map((row) => row.key)).toEqual(['api', 'web', 'cron']);
    const family = rows[1]!;
    expect(family.target).toBe('web');
    expect(family.family).toEqual({ instances: 3, unfolded: false });
    expect(family.info).toMatchObject({
      status: 'backoff',
      reason: 'web-1: exited with code 1',
      restarts: 3,
      cpuPercent: 30,
      memoryBytes: 300,
      uptimeMs: 1000,
      healthScore: 98,
      pid: null,
    });
  });

  it('unfolds a process on request, its instances nested under it', () => {
    const rows = tableRows([api, ...web], query({ unfolded: new Set(['web']) }));
    expect(rows.map((row) => [row.key, row.nested])).toEqual([
      ['api', false],
      ['web', false],
      ['web-0', true],
      ['web-1', true],
      ['web-2', true],
    ]);
    expect(rows[3]!.target).toBe('web-1');
  });

  it('keeps a lone instance, and a name that merely ends in a number, as rows of their own', () => {
    const lone = processRow({ name: 'solo-0', instance: 0 });
    const numbered = [processRow({ name: 'v-1' }), processRow({ name: 'v-2' })];
    const rows = tableRows([lone, ...numbered], query());
    expect(rows.map((row) => [row.key, row.family])).toEqual([
      ['solo-0', undefined],
      ['v-1', undefined],
      ['v-2', undefined],
    ]);
  });

  it('keeps what the filter and the namespace keep', () => {
    expect(tableRows([api, ...web, cron], query({ filter: 'SCHED' })).map((r) => r.key)).toEqual([
      'cron',
    ]);
    expect(tableRows([api, ...web, cron], query({ namespace: 'jobs' })).map((r) => r.key)).toEqual([
      'cron',
    ]);
    // A filter that keeps one instance keeps its row alone: nothing to fold.
    expect(tableRows([api, ...web], query({ filter: 'web-2' })).map((r) => r.key)).toEqual([
      'web-2',
    ]);
  });

  it.each([
    [{ key: 'name', reversed: false }, ['api', 'cron', 'web']],
    [{ key: 'name', reversed: true }, ['web', 'cron', 'api']],
    [{ key: 'cpu', reversed: false }, ['api', 'web', 'cron']],
    [{ key: 'cpu', reversed: true }, ['cron', 'web', 'api']],
    [{ key: 'memory', reversed: false }, ['web', 'api', 'cron']],
    [{ key: 'restarts', reversed: false }, ['api', 'web', 'cron']],
    [{ key: 'score', reversed: false }, ['web', 'api', 'cron']],
    [{ key: 'config', reversed: true }, ['cron', 'web', 'api']],
  ] as const)('sorts by %j', (sort, keys) => {
    expect(tableRows([api, ...web, cron], query({ sort })).map((row) => row.key)).toEqual(keys);
  });

  it('lists the namespaces, sorted', () => {
    expect(namespacesOf([cron, api, ...web])).toEqual(['default', 'jobs']);
  });
});
