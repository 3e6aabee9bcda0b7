import { describe, expect, it } from 'vitest';
import { asksFirst, perform, refusal } from '../../src/tui/actions.js';
import { fakeApi, processRow } from './fake-api.js';

const rows = () => [
  processRow({ name: 'api', namespace: 'backend' }),
  processRow({ name: 'db', namespace: 'backend', status: 'stopped', pid: null }),
  processRow({ name: 'web' }),
];

describe('dashboard actions', () => {
  it('asks first before stopping or restarting more than the selection', () => {
    expect(asksFirst('stop', { scope: 'selection', name: 'api' })).toBe(false);
    expect(asksFirst('stop', { scope: 'namespace', namespace: 'backend' })).toBe(true);
    expect(asksFirst('restart', { scope: 'everything' })).toBe(true);
    expect(asksFirst('start', { scope: 'everything' })).toBe(false);
  });

  it('refuses to scale more than one process', () => {
    expect(refusal('scale', { scope: 'everything' })).toMatch(/scale acts on one process/);
    expect(refusal('scale', { scope: 'selection', name: 'web' })).toBeUndefined();
  });

  it('reloads and signals the running instances of a namespace, one by one', async () => {
    const api = fakeApi(rows());
    api.list = (filter) => api.rows.filter((row) => row.namespace === filter?.namespace);
    expect(await perform(api, 'reload', { scope: 'namespace', namespace: 'backend' })).toBe(
      'reloaded namespace backend: api',
    );
    expect(await perform(api, 'signal', { scope: 'namespace', namespace: 'backend' }, 'USR1')).toBe(
      'sent SIGUSR1 to api',
    );
    expect(api.actions).toEqual(['reload api', 'signal api USR1']);
  });

  it('says a reload that did not become ready failed, naming the instance and why', async () => {
    const api = fakeApi(rows());
    api.reload = async () => ({
      ok: false,
      instances: [{ name: 'web', outcome: 'failed', reason: 'exited with code 1' }],
      plainRestarts: [],
      processes: [],
    });
    await expect(perform(api, 'reload', { scope: 'selection', name: 'web' })).rejects.toThrow(
      'web did not become ready: exited with code 1; the rest left as they were',
    );
  });

  it('refuses a count of instances that is not a whole number, sending nothing', async () => {
    const api = fakeApi(rows());
    await expect(perform(api, 'scale', { scope: 'selection', name: 'web' }, '2x')).rejects.toThrow(
      'expected a whole number of instances, not "2x"',
    );
    await expect(perform(api, 'signal', { scope: 'selection', name: 'web' }, ' ')).rejects.toThrow(
      'no signal given',
    );
    expect(api.actions).toEqual([]);
  });
});
