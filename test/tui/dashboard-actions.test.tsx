import { describe, expect, it, vi } from 'vitest';
import { OverseerError } from '../../src/core/errors.js';
import { fakeApi, processRow } from './fake-api.js';
import { KEYS, showDashboard } from './show-dashboard.js';
import { until } from './until.js';

const stack = () => [
  processRow({ name: 'api', namespace: 'backend' }),
  processRow({ name: 'db', namespace: 'backend' }),
  ...[0, 1].map((instance) => processRow({ name: `web-${instance}`, instance })),
];

describe('the dashboard’s actions', () => {
  it('reloads the selection with R, and says how it went', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('R');
    await until(() => expect(lastFrame()).toContain('reloaded api: 1 replaced'));
    expect(api.actions).toEqual(['reload api']);
  });

  it('asks which signal with K, and sends it to the selection', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('K');
    await until(() => expect(lastFrame()).toContain('signal to send to api'));
    stdin.write('HU');
    stdin.write(KEYS.backspace);
    stdin.write('UP');
    stdin.write(KEYS.enter);
    await until(() => expect(lastFrame()).toContain('sent SIGHUP to api'));
    expect(api.actions).toEqual(['signal api HUP']);
  });

  it('asks how many instances with S, for the process of the selected row', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('G');
    stdin.write('S');
    await until(() => expect(lastFrame()).toContain('instances of web:'));
    stdin.write('4');
    stdin.write(KEYS.enter);
    await until(() => expect(lastFrame()).toContain('scaled web to 4'));
    expect(api.actions).toEqual(['scale web 4']);
  });

  it('gives up a prompt with Esc, sending nothing', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('S');
    await until(() => expect(lastFrame()).toContain('instances of api:'));
    stdin.write('3');
    stdin.write(KEYS.escape);
    await until(() => expect(lastFrame()).not.toContain('instances of api:'));
    expect(api.actions).toEqual([]);
  });

  it('says why a scale was refused, and goes on', async () => {
    const api = fakeApi(stack());
    api.act = () =>
      Promise.reject(new OverseerError('BAD_REQUEST', 'api is declared without instances'));
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('S');
    stdin.write('2');
    stdin.write(KEYS.enter);
    await until(() =>
      expect(lastFrame()).toContain('scale api: api is declared without instances'),
    );
    stdin.write('x');
    await until(() => expect(api.actions).toEqual(['scale api 2', 'stop api']));
  });

  it('reaches the namespace, then everything, with A; stopping either asks first', async () => {
    const api = fakeApi(stack());
    const { lastFrame, stdin } = await showDashboard(api);
    stdin.write('A');
    await until(() => expect(lastFrame()).toContain('actions reach: namespace backend'));
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('stop namespace backend? y/n'));
    stdin.write('n');
    await until(() => expect(lastFrame()).toContain('stop namespace backend: not done'));
    expect(api.actions).toEqual([]);
    stdin.write('r');
    stdin.write('y');
    await until(() => expect(api.actions).toEqual(['restart -n backend']));
    stdin.write('A');
    await until(() => expect(lastFrame()).toContain('actions reach: everything'));
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('stop everything? y/n'));
    stdin.write('y');
    await until(() => expect(api.actions).toContain('stop all'));
    // Starting does not ask.
    stdin.write('s');
    await until(() => expect(api.actions).toContain('start all'));
    stdin.write('A');
    await until(() => expect(lastFrame()).not.toContain('actions reach'));
  });

  it('hands q and Ctrl-C to its owner when told to, and shows what the owner says', async () => {
    const api = fakeApi(stack());
    const onQuit = vi.fn();
    const notice = { text: 'stopping the stack in reverse dependency order…', failed: false };
    const { lastFrame, stdin } = await showDashboard(api, { onQuit, notice });
    expect(lastFrame()).toContain(notice.text);
    stdin.write('q');
    stdin.write(KEYS.ctrlC);
    await until(() => expect(onQuit).toHaveBeenCalledTimes(2));
    // Still shown, still following: the owner ends it once the stack has stopped.
    expect(api.watching()).toBe(1);
  });

  it('says in the status line what became of a change of the config', async () => {
    const api = fakeApi(stack());
    const { lastFrame } = await showDashboard(api);
    api.emit({
      type: 'config:applied',
      at: Date.now(),
      added: ['cache'],
      changed: ['api'],
      removed: [],
    });
    await until(() =>
      expect(lastFrame()).toContain('config applied: added cache; restarted api (changed)'),
    );
    api.emit({
      type: 'config:rejected',
      at: Date.now(),
      issues: [
        { path: 'processes.api.command', message: 'expected a string' },
        { path: 'settings.tui.refresh', message: 'expected at least 50ms' },
      ],
    });
    await until(() =>
      // Cut at the screen's edge: one line, every issue after a `;`.
      expect(lastFrame()).toContain(
        'config not applied (nothing changed): processes.api.command: expected a string; settings.tui.refres…',
      ),
    );
  });

  it('shows what its owner tells once, until the next outcome replaces it', async () => {
    const api = fakeApi(stack());
    const told = {
      text: 'stopped 2 process(es) left running by a supervisor that died',
      failed: false,
    };
    const { lastFrame, stdin } = await showDashboard(api, { told });
    await until(() => expect(lastFrame()).toContain(told.text));
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('restarted api'));
    expect(lastFrame()).not.toContain(told.text);
  });
});
