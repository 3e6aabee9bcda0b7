import { describe, expect, it, vi } from 'vitest';
import { fakeApi, processRow } from './fake-api.js';
import { KEYS, lineOf, rowNames, showDashboard } from './show-dashboard.js';

const web = [0, 1, 2].map((instance) =>
  processRow({ name: `web-${instance}`, instance, cpuPercent: 5, memoryBytes: 1e6 }),
);
const stack = () => [
  processRow({ name: 'api', namespace: 'backend', cpuPercent: 40, restarts: 3 }),
  ...web,
  processRow({ name: 'cron', namespace: 'jobs', status: 'scheduled', cpuPercent: null }),
];

describe('the dashboard’s table', () => {
  it('folds the instances of a process, and unfolds them with Space, → or Enter', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']);
    expect(lineOf(lastFrame(), 'web')).toContain('▸ web ×3');
    stdin.write(KEYS.down);
    stdin.write(' ');
    await vi.waitFor(() =>
      expect(rowNames(lastFrame())).toEqual(['api', 'web', 'web-0', 'web-1', 'web-2', 'cron']),
    );
    expect(lineOf(lastFrame(), 'web')).toContain('▾ web ×3');
    stdin.write(KEYS.left);
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(rowNames(lastFrame())).toHaveLength(6));
    stdin.write(KEYS.down);
    stdin.write('r');
    await vi.waitFor(() => expect(api.actions).toEqual(['restart web-0']));
  });

  it('acts on every instance from the folded row', async () => {
    const api = fakeApi(stack());
    const { stdin } = await showDashboard(api);
    stdin.write('j');
    stdin.write('x');
    await vi.waitFor(() => expect(api.actions).toEqual(['stop web']));
  });

  it('sorts by the next column with o, the other way with O, and marks the column', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('o');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'cron', 'web']));
    expect(lastFrame()).toContain('NAME↑');
    stdin.write('o');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    expect(lastFrame()).toContain('CPU↓');
    expect(lastFrame()).toContain('sort: cpu');
    stdin.write('O');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['cron', 'web', 'api']));
    expect(lastFrame()).toContain('CPU↑');
  });

  it('shows one namespace at a time with n, then all again; Esc clears it', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('n');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api']));
    expect(lastFrame()).toContain('namespace: backend');
    stdin.write('n');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['web']));
    stdin.write('n');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['cron']));
    stdin.write('n');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    stdin.write('n');
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api']));
    stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });

  it('pages and jumps to the first and last rows', async () => {
    const rows = Array.from({ length: 40 }, (_, index) =>
      processRow({ name: `p${String(index).padStart(2, '0')}` }),
    );
    const api = fakeApi(rows);
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('G');
    await vi.waitFor(() => expect(lineOf(lastFrame(), 'p39')).toMatch(/^› /));
    stdin.write('g');
    await vi.waitFor(() => expect(lineOf(lastFrame(), 'p00')).toMatch(/^› /));
  });

  it('lists every key with ?, and goes back with Esc', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('?');
    await vi.waitFor(() => expect(lastFrame()).toContain('Processes'));
    expect(lastFrame()).toContain('reload: a rolling restart');
    expect(lastFrame()).not.toContain('NAME');
    stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });
});
