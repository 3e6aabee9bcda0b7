import { describe, expect, it } from 'vitest';
import { fakeApi, processDetails, processRow, taskView } from './fake-api.js';
import { KEYS, lineOf, rowNames, showDashboard } from './show-dashboard.js';
import { until } from './until.js';

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
    await until(() =>
      expect(rowNames(lastFrame())).toEqual(['api', 'web', 'web-0', 'web-1', 'web-2', 'cron']),
    );
    expect(lineOf(lastFrame(), 'web')).toContain('▾ web ×3');
    stdin.write(KEYS.left);
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    stdin.write(KEYS.enter);
    await until(() => expect(rowNames(lastFrame())).toHaveLength(6));
    // Enter again on the unfolded process: its first instance.
    stdin.write(KEYS.enter);
    await until(() => expect(lineOf(lastFrame(), 'web-0')).toMatch(/^› /));
    stdin.write(KEYS.down);
    stdin.write('r');
    await until(() => expect(api.actions).toEqual(['restart web-1']));
  });

  it('acts on every instance from the folded row', async () => {
    const api = fakeApi(stack());
    const { stdin } = await showDashboard(api);
    stdin.write('j');
    stdin.write('x');
    await until(() => expect(api.actions).toEqual(['stop web']));
  });

  it('sorts by the next column with o, the other way with O, and marks the column', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('o');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'cron', 'web']));
    expect(lastFrame()).toContain('NAME↑');
    stdin.write('o');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    expect(lastFrame()).toContain('CPU↓');
    expect(lastFrame()).toContain('sort: cpu');
    stdin.write('O');
    await until(() => expect(rowNames(lastFrame())).toEqual(['cron', 'web', 'api']));
    expect(lastFrame()).toContain('CPU↑');
  });

  it('shows one namespace at a time with n, then all again; Esc clears it', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('n');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api']));
    expect(lastFrame()).toContain('namespace: backend');
    stdin.write('n');
    await until(() => expect(rowNames(lastFrame())).toEqual(['web']));
    stdin.write('n');
    await until(() => expect(rowNames(lastFrame())).toEqual(['cron']));
    stdin.write('n');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
    stdin.write('n');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api']));
    stdin.write(KEYS.escape);
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });

  it('pages and jumps to the first and last rows', async () => {
    const rows = Array.from({ length: 40 }, (_, index) =>
      processRow({ name: `p${String(index).padStart(2, '0')}` }),
    );
    const api = fakeApi(rows);
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('G');
    await until(() => expect(lineOf(lastFrame(), 'p39')).toMatch(/^› /));
    stdin.write('g');
    await until(() => expect(lineOf(lastFrame(), 'p00')).toMatch(/^› /));
  });

  it('lists every key with ?, and goes back with Esc', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('?');
    await until(() => expect(lastFrame()).toContain('Processes'));
    expect(lastFrame()).toContain('reload: a rolling restart');
    expect(lastFrame()).not.toContain('NAME');
    stdin.write(KEYS.escape);
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });
});

describe('the dashboard’s views', () => {
  it('opens the details of the selected process with Enter, and goes back with Esc', async () => {
    const api = fakeApi(stack());
    api.details.api = processDetails({ name: 'api', namespace: 'backend', restarts: 3 });
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write(KEYS.enter);
    await until(() => expect(lastFrame()).toContain('command: node server.js'));
    expect(lastFrame()).not.toContain('STATUS');
    stdin.write(KEYS.escape);
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });

  it('shows the tasks with t, cancels one after y, and goes back with Esc', async () => {
    const api = fakeApi(stack());
    api.tasks = [taskView({ id: 't-7', name: 'build' })];
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('t');
    await until(() => expect(lastFrame()).toContain('t-7'));
    stdin.write('c');
    await until(() => expect(lastFrame()).toContain('cancel task t-7? y/n'));
    stdin.write('y');
    await until(() => expect(api.cancelled).toEqual(['t-7']));
    await until(() => expect(lastFrame()).toContain('cancelled task t-7 (build)'));
    stdin.write(KEYS.escape);
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'web', 'cron']));
  });
});
