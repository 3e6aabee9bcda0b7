import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/tui/layout.js';
import { fakeApi, logLine, processRow } from './fake-api.js';
import { KEYS, lineOf, rowNames, showDashboard } from './show-dashboard.js';
import { until } from './until.js';

const stack = () => [processRow({ name: 'api' }), processRow({ name: 'worker' })];

describe('the dashboard’s log pane', () => {
  it('follows the selected process, and the next one when the selection moves', async () => {
    const api = fakeApi(stack());
    api.writeLog(logLine('api', 1, 'api is listening'), logLine('worker', 2, 'worker took a job'));
    const { lastFrame, stdin } = await showDashboard(api);
    await until(() => expect(lastFrame()).toContain('api is listening'));
    expect(lastFrame()).toContain('logs · api');
    expect(lastFrame()).not.toContain('worker took a job');
    stdin.write('j');
    await until(() => expect(lastFrame()).toContain('worker took a job'));
    api.writeLog(logLine('worker', 3, 'worker took another'));
    await until(() => expect(lastFrame()).toContain('worker took another'));
  });

  it('gives the keys to the pane with Tab, and takes them back with Tab or Esc', async () => {
    const api = fakeApi(stack());
    api.writeLog(logLine('api', 1, 'one'));
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write(KEYS.tab);
    await until(() => expect(lastFrame()).toContain('G follow'));
    // `a` is the pane's (every process), `x` is no one's: nothing is stopped.
    stdin.write('a');
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('logs · all processes'));
    expect(api.actions).toEqual([]);
    // Typing a search, every key is text: `q` does not quit.
    stdin.write('/');
    stdin.write('q');
    stdin.write(KEYS.enter);
    await until(() => expect(lastFrame()).toMatch(/no match for "q"/));
    // The first Esc clears the search, the second leaves the pane.
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).not.toMatch(/no match for "q"/));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).toContain('Tab logs'));
    stdin.write('x');
    await until(() => expect(api.actions).toEqual(['stop api']));
    stdin.write(KEYS.tab);
    await until(() => expect(lastFrame()).toContain('G follow'));
    stdin.write(KEYS.tab);
    await until(() => expect(lastFrame()).toContain('Tab logs'));
  });

  it('regression: keeps the pane’s search through a detour, and Esc still leaves it after', async () => {
    const api = fakeApi(stack());
    api.writeLog(logLine('api', 1, 'one'));
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write(KEYS.tab);
    stdin.write('/');
    stdin.write('one');
    stdin.write(KEYS.enter);
    await until(() => expect(lastFrame()).toContain('"one"'));
    // Help opened from the pane goes back to it, the search still there.
    stdin.write('?');
    await until(() => expect(lastFrame()).toContain('Log pane (Tab from the table)'));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).toContain('G follow'));
    expect(lastFrame()).toContain('"one"');
    // The tasks and back: the pane kept its search, the first Esc clears it, the second leaves.
    stdin.write(KEYS.tab);
    stdin.write('t');
    await until(() => expect(lastFrame()).toContain('no task'));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).toContain('Tab logs'));
    stdin.write(KEYS.tab);
    await until(() => expect(lastFrame()).toContain('G follow'));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).not.toContain('"one"'));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).toContain('Tab logs'));
  });

  it('gives the pane the whole screen with z, the selected row still shown', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('z');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api']));
    expect(lineOf(lastFrame(), 'api')).toMatch(/^› /);
    stdin.write('z');
    await until(() => expect(rowNames(lastFrame())).toEqual(['api', 'worker']));
  });
});

describe('the dashboard’s layout', () => {
  it('gives the log pane 40% of what the table and it share', () => {
    expect(layoutOf(24, false)).toEqual({ tableRows: 9, logHeight: 6 });
    expect(layoutOf(50, false)).toEqual({ tableRows: 25, logHeight: 16 });
  });

  it('gives the log pane the lines a short table leaves', () => {
    expect(layoutOf(50, false, 6)).toEqual({ tableRows: 6, logHeight: 35 });
    expect(layoutOf(50, false, 0)).toEqual({ tableRows: 1, logHeight: 40 });
  });

  it('shows the table alone on a screen too short for both', () => {
    expect(layoutOf(18, false)).toEqual({ tableRows: 9, logHeight: 0 });
    expect(layoutOf(5, false)).toEqual({ tableRows: 1, logHeight: 0 });
  });

  it('gives the pane all but the selected row when zoomed', () => {
    expect(layoutOf(24, true)).toEqual({ tableRows: 1, logHeight: 14 });
  });
});
