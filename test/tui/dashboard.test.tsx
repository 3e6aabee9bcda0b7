import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OverseerError } from '../../src/core/errors.js';
import { Dashboard } from '../../src/tui/dashboard.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { RECONNECT_MS } from '../../src/tui/use-supervisor-view.js';
import { type FakeApi, fakeApi, processRow } from './fake-api.js';
import { until } from './until.js';

const DOWN = '\u001b[B';
const ESCAPE = '\u001b';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

/** The dashboard over `api`, once its first rows are on screen. */
async function show(api: FakeApi) {
  const instance = render(
    <Dashboard api={api} project="shop" theme={PLAIN_THEME} refreshMs={20} />,
  );
  mounted.push(instance.unmount);
  await until(() => lineOf(instance.lastFrame(), api.rows[0]!.name));
  return instance;
}

/** The line of the frame that shows `name`'s row, selected (`›`) or not. */
function lineOf(frame: string | undefined, name: string): string {
  const line = frame?.split('\n').find((text) => text.slice(2).startsWith(`${name} `));
  if (line === undefined) throw new Error(`no line for ${name} in:\n${frame}`);
  return line;
}

describe('the dashboard', () => {
  it('shows every status with its symbol, and the header', async () => {
    const statuses = [
      ['running', '●'],
      ['pending', '○'],
      ['starting', '◔'],
      ['stopping', '◕'],
      ['backoff', '↻'],
      ['failed', '✖'],
      ['stopped', '■'],
      ['completed', '✔'],
      ['scheduled', '◷'],
    ] as const;
    const api = fakeApi(statuses.map(([status]) => processRow({ name: `p-${status}`, status })));
    const { lastFrame } = await show(api);
    await until(() => expect(lastFrame()).toContain('stack ● ok'));
    for (const [status, symbol] of statuses) {
      expect(lineOf(lastFrame(), `p-${status}`)).toContain(`${symbol} ${status}`);
    }
    expect(lastFrame()).toContain('load 0.50 0.25 0.13 on 4 cpus');
    expect(lastFrame()).toContain('tasks 2 queued, 1 running, 0 retrying');
    expect(lastFrame()).toContain('q quit');
  });

  it('says why a failed process failed and when it is tried again, when a scheduled one runs', async () => {
    const inAMinute = new Date(Date.now() + 60_500).toISOString();
    const api = fakeApi([
      processRow({ name: 'web' }),
      processRow({
        name: 'api',
        status: 'failed',
        reason: 'budget spent',
        retryAt: inAMinute,
        pid: null,
        uptimeMs: null,
        cpuPercent: null,
        memoryBytes: null,
      }),
      processRow({ name: 'report', status: 'scheduled', nextRunAt: inAMinute }),
    ]);
    const { lastFrame } = await show(api);
    expect(lineOf(lastFrame(), 'api')).toMatch(/budget spent \(retry in 1m0?s?\)/);
    expect(lineOf(lastFrame(), 'report')).toMatch(/next run in 1m0?s?/);
  });

  it('restarts the row selected with ↓', async () => {
    const api = fakeApi([processRow({ name: 'web' }), processRow({ name: 'worker' })]);
    const { lastFrame, stdin } = await show(api);
    expect(lineOf(lastFrame(), 'web')).toMatch(/^› /);
    stdin.write(DOWN);
    await until(() => expect(lineOf(lastFrame(), 'worker')).toMatch(/^› /));
    stdin.write('r');
    await until(() => expect(api.actions).toEqual(['restart worker']));
    await until(() => expect(lastFrame()).toContain('restarted worker'));
  });

  it('selects with j and k too, and starts and stops the selection', async () => {
    const api = fakeApi([processRow({ name: 'web' }), processRow({ name: 'worker' })]);
    const { lastFrame, stdin } = await show(api);
    stdin.write('j');
    await until(() => expect(lineOf(lastFrame(), 'worker')).toMatch(/^› /));
    stdin.write('x');
    await until(() => expect(api.actions).toEqual(['stop worker']));
    stdin.write('k');
    await until(() => expect(lineOf(lastFrame(), 'web')).toMatch(/^› /));
    stdin.write('s');
    await until(() => expect(api.actions).toEqual(['stop worker', 'start web']));
  });

  it('counts every j of keys typed faster than they are read', async () => {
    const api = fakeApi(['a', 'b', 'c', 'd'].map((name) => processRow({ name })));
    const { lastFrame, stdin } = await show(api);
    stdin.write('jjj');
    await until(() => expect(lineOf(lastFrame(), 'd')).toMatch(/^› /));
    stdin.write('kk');
    await until(() => expect(lineOf(lastFrame(), 'b')).toMatch(/^› /));
  });

  it('keeps the rows a typed filter matches, and all of them again after Esc', async () => {
    const api = fakeApi([
      processRow({ name: 'web' }),
      processRow({ name: 'worker' }),
      processRow({ name: 'db', namespace: 'backend' }),
    ]);
    const { lastFrame, stdin } = await show(api);
    stdin.write('/');
    await until(() => expect(lastFrame()).toContain('Esc clears'));
    stdin.write('wor');
    await until(() => expect(lastFrame()).not.toMatch(/^. web /m));
    expect(lastFrame()).toMatch(/^. worker /m);
    expect(lastFrame()).not.toMatch(/^. db /m);
    stdin.write('\r');
    await until(() => expect(lastFrame()).toContain('filter: wor'));
    stdin.write('r');
    await until(() => expect(api.actions).toEqual(['restart worker']));
    stdin.write(ESCAPE);
    await until(() => expect(lastFrame()).toMatch(/^. db /m));
  });

  it('shows why an action failed, and goes on', async () => {
    const api = fakeApi([processRow({ name: 'web' })]);
    api.act = () => Promise.reject(new OverseerError('INVALID_STATE', 'web is being reloaded'));
    const { lastFrame, stdin } = await show(api);
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('stop web: web is being reloaded'));
    api.act = async () => api.rows;
    stdin.write('s');
    await until(() => expect(lastFrame()).toContain('started web'));
  });

  it('ends with q: it stops watching', async () => {
    const api = fakeApi([processRow({ name: 'web' })]);
    const { stdin } = await show(api);
    expect(api.watching()).toBe(1);
    stdin.write('q');
    await until(() => expect(api.watching()).toBe(0));
  });

  it('follows the rows as they change', async () => {
    const api = fakeApi([processRow({ name: 'web' })]);
    const { lastFrame } = await show(api);
    api.rows = [processRow({ name: 'web', status: 'backoff', pid: null, uptimeMs: null })];
    // No event told of it: the next read of the rows (at least once a second) shows it.
    await until(() => expect(lineOf(lastFrame(), 'web')).toContain('↻ backoff'));
  });

  it('shows a supervisor that went away as disconnected, and follows it again once it answers', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const api = fakeApi([processRow({ name: 'web' })]);
      const { lastFrame } = await show(api);
      api.reachable = false;
      api.breakStreams(new OverseerError('UNAVAILABLE', 'the supervisor went away'));
      await until(() =>
        expect(lastFrame()).toContain('disconnected: connect ECONNREFUSED 127.0.0.1:9615'),
      );
      api.reachable = true;
      api.rows = [processRow({ name: 'web', status: 'backoff', pid: null, uptimeMs: null })];
      await vi.advanceTimersByTimeAsync(RECONNECT_MS);
      await until(() => expect(lineOf(lastFrame(), 'web')).toContain('↻ backoff'));
      expect(lastFrame()).not.toContain('disconnected');
      // The broken stream was let go of, the new one is open.
      expect(api.watching()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
