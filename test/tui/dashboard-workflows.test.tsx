import { describe, expect, it } from 'vitest';
import { briefKeys } from '../../src/tui/keymap.js';
import { fakeApi, processRow } from './fake-api.js';
import { KEYS, showDashboard } from './show-dashboard.js';
import { until } from './until.js';
import { testWorkflows } from './workflow-store.js';

const stack = () => [processRow({ name: 'api' }), processRow({ name: 'worker' })];

/** The footer's last line: the keys of the view that has them. */
const footer = (frame: string | undefined) => frame?.trimEnd().split('\n').at(-1) ?? '';

describe('the dashboard’s workflow views', () => {
  it('w shows the runs, d the dead letters, w the runs again, Esc the table; each with its keys in the footer', async () => {
    const workflows = await testWorkflows();
    const api = fakeApi(stack());
    const list = api.list.bind(api);
    let lists = 0;
    api.list = (filter) => {
      lists++;
      return list(filter);
    };
    const { lastFrame, stdin } = await showDashboard(api, { workflows });
    expect(workflows.calls.size).toBe(0);
    stdin.write('w');
    await until(() => expect(lastFrame()).toContain('workflow runs [3]'));
    expect(footer(lastFrame())).toContain('Enter run  f status  d dead letters  Esc back');
    stdin.write('d');
    await until(() => expect(lastFrame()).toContain('dead letters [1]'));
    expect(footer(lastFrame())).toContain('Enter letter  r retry  D drop  w runs  Esc back');
    stdin.write('w');
    await until(() => expect(lastFrame()).toContain('workflow runs [3]'));
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).toContain('NAME'));
    expect(lastFrame()).not.toContain('workflow runs');
    // Not shown, not read: two reads of the rows later, still as many reads of the runs.
    const total = () => [...workflows.calls.values()].reduce((sum, count) => sum + count, 0);
    // A read already under way when the view went may still land: one read of the rows on.
    const gone = lists;
    await until(() => expect(lists).toBeGreaterThan(gone));
    const calls = total();
    const from = lists;
    await until(() => expect(lists).toBeGreaterThan(from + 1));
    expect(total()).toBe(calls);
  });

  it('retries a dead letter after y, and says so in the status line; a failed drop says why', async () => {
    const workflows = await testWorkflows();
    const { lastFrame, stdin } = await showDashboard(fakeApi(stack()), { workflows });
    stdin.write('d');
    await until(() => expect(lastFrame()).toContain('dead letters [1]'));
    workflows.failing.set('dropDeadLetter', new Error('the store is read-only'));
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('drop dead letter dl-1? y/n'));
    stdin.write('y');
    await until(() =>
      expect(lastFrame()).toContain('drop dead letter dl-1: the store is read-only'),
    );
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('retry dead letter dl-1? y/n'));
    stdin.write('y');
    await until(() =>
      expect(lastFrame()).toContain('retried dead letter dl-1: run order-2 is pending'),
    );
    await until(() => expect(lastFrame()).toContain('dead letters [0]'));
    expect(workflows.actions).toEqual(['retry dl-1']);
  });

  it('says there is no store when given no workflows, and q still quits from the table', async () => {
    const { lastFrame, stdin } = await showDashboard(fakeApi(stack()));
    stdin.write('w');
    await until(() =>
      expect(lastFrame()).toContain('no workflows store: this supervisor serves no workflows'),
    );
    stdin.write('d');
    await until(() => expect(lastFrame()).toContain('dead letters'));
    expect(lastFrame()).toContain('no workflows store');
  });

  it('tells the views’ keys in the table’s footer keys', () => {
    expect(briefKeys('table')).toMatch(/t tasks {2}w runs {2}d dead letters$/);
  });

  it('tells the views and their keys in the help', async () => {
    const { lastFrame, stdin } = await showDashboard(fakeApi(stack()));
    stdin.write('?');
    await until(() => expect(lastFrame()).toContain('Processes'));
    stdin.write('G');
    await until(() => expect(lastFrame()).toContain('Dead letters (d)'));
    expect(lastFrame()).toMatch(/D {2}x +drop the letter, the run stays failed \(asks first\)/);
  });
});
