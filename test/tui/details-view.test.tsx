import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetailsView } from '../../src/tui/details-view.js';
import type { Sample } from '../../src/tui/sample-history.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { type FakeApi, fakeApi, processDetails, processRow } from './fake-api.js';
import { Keyed } from './keyed.js';
import { until } from './until.js';

const ESCAPE = '\u001b';
const DOWN = '\u001b[B';
const PAGE_DOWN = '\u001b[6~';
const PAGE_UP = '\u001b[5~';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

const SAMPLES: Sample[] = [1, 4, 2, 8].map((cpu, index) => ({
  at: index * 1000,
  cpuPercent: cpu,
  memoryBytes: (40 + index) * 1024 * 1024,
}));

function apiWithWeb(): FakeApi {
  const api = fakeApi([processRow({ name: 'web' })]);
  api.details.web = processDetails(
    {
      name: 'web',
      restarts: 1,
      runs: [
        {
          pid: 4100,
          startedAt: '2026-01-01T09:58:00.000Z',
          endedAt: '2026-01-01T09:59:45.000Z',
          exitCode: 1,
          signal: null,
          killedAfterTimeout: false,
          runMs: 105_000,
          reason: 'exited with code 1',
        },
        {
          pid: 4242,
          startedAt: '2026-01-01T10:00:00.000Z',
          endedAt: null,
          exitCode: null,
          signal: null,
          killedAfterTimeout: false,
          runMs: null,
          reason: null,
        },
      ],
    },
    {
      command: 'node server.js',
      readiness: { http: 'http://127.0.0.1:3000/health' },
      limits: { memory: '512MB', cpu: '150%' },
    },
  );
  return api;
}

function show(api: FakeApi, props: { height?: number; onBack?: () => void } = {}) {
  const instance = render(
    <Keyed>
      {(keys) => (
        <DetailsView
          api={api}
          name="web"
          history={SAMPLES}
          width={100}
          height={props.height ?? 200}
          theme={PLAIN_THEME}
          onBack={props.onBack ?? (() => {})}
          refreshMs={20}
          keys={keys}
        />
      )}
    </Keyed>,
  );
  mounted.push(instance.unmount);
  return instance;
}

/** The frame's lines, without the trailing spaces of padding. */
function linesOf(frame: string | undefined): string[] {
  return (frame ?? '').split('\n').map((line) => line.trimEnd());
}

describe('the details view', () => {
  it('shows what inspect shows: status, resources, limits, probes, runs and why they ended, the spec', async () => {
    const { lastFrame } = show(apiWithWeb());
    await until(() => expect(lastFrame()).toContain('web  ● running  pid 4242'));
    const lines = linesOf(lastFrame());
    expect(lines[0]).toBe('web  ● running  pid 4242  up 1m15s  restarts 1  service');
    expect(lines).toContain('health healthy  score 100');
    expect(lines).toContain('cpu  ▁▄▂█  min 1.0%  max 8.0%  last 8.0%');
    expect(lines).toContain('mem  ▁▃▆█  min 40.0MB  max 43.0MB  last 43.0MB');
    expect(lines).toContain('memory 512MB: over it, restart');
    expect(lines).toContain('cpu 150%: over it for 10s, alert');
    expect(lines).toContain(
      'readiness  http http://127.0.0.1:3000/health  every 1s, timeout 1s, failing after 3',
    );
    expect(lines).toContain('  last result: healthy');
    expect(lines).toContain(
      '4100  2026-01-01 09:58:00  2026-01-01 09:59:45  1m45s  1     exited with code 1',
    );
    expect(lines.join('\n')).toContain('spec\n  command: node server.js\n  namespace: default\n');
    expect(lines).toContain('    memory: 512MB');
  });

  it('reads the details again at the refresh cadence', async () => {
    const api = apiWithWeb();
    const { lastFrame } = show(api);
    await until(() => expect(lastFrame()).toContain('● running'));
    api.details.web = {
      ...api.details.web!,
      status: 'backoff',
      pid: null,
      uptimeMs: null,
      reason: 'exited with code 1; restart in 2s',
    };
    await until(() =>
      expect(linesOf(lastFrame())[0]).toBe('web  ↻ backoff  no pid  restarts 1  service'),
    );
    expect(lastFrame()).toContain('reason exited with code 1; restart in 2s');
    expect(api.gets()).toBeGreaterThanOrEqual(2);
  });

  it('scrolls with ↓ j k PgDn PgUp G g within its height, saying which lines show', async () => {
    const { lastFrame, stdin } = show(apiWithWeb(), { height: 10 });
    await until(() => expect(linesOf(lastFrame())[0]).toMatch(/^web {2}● running/));
    const frame = () => linesOf(lastFrame());
    expect(frame()).toHaveLength(10);
    const total = Number(/of (\d+)$/.exec(frame()[9]!)?.[1]);
    expect(frame()[9]).toBe(`↕ 1–9 of ${total}`);
    stdin.write(DOWN);
    await until(() => expect(frame()[9]).toBe(`↕ 2–10 of ${total}`));
    stdin.write('jj');
    await until(() => expect(frame()[9]).toBe(`↕ 4–12 of ${total}`));
    stdin.write('k');
    await until(() => expect(frame()[9]).toBe(`↕ 3–11 of ${total}`));
    stdin.write(PAGE_DOWN);
    await until(() => expect(frame()[9]).toBe(`↕ 11–19 of ${total}`));
    stdin.write(PAGE_UP);
    await until(() => expect(frame()[9]).toBe(`↕ 3–11 of ${total}`));
    stdin.write('G');
    await until(() => expect(frame()[9]).toBe(`↕ ${total - 8}–${total} of ${total}`));
    expect(frame()[8]).toBe('    alert_cooldown: 1m');
    stdin.write('j');
    stdin.write('g');
    await until(() => expect(frame()[9]).toBe(`↕ 1–9 of ${total}`));
    expect(frame()).toHaveLength(10);
  });

  it('goes back with Esc, and leaves the keys alone while inactive', async () => {
    const onBack = vi.fn();
    const api = apiWithWeb();
    const inactive = render(
      <Keyed active={false}>
        {(keys) => (
          <DetailsView
            api={api}
            name="web"
            history={[]}
            width={80}
            height={6}
            theme={PLAIN_THEME}
            onBack={onBack}
            refreshMs={20}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(inactive.unmount);
    await until(() => expect(inactive.lastFrame()).toContain('↕ 1–5 of'));
    inactive.stdin.write('j');
    inactive.stdin.write(ESCAPE);
    const { lastFrame, stdin } = show(api, { onBack });
    await until(() => expect(lastFrame()).toContain('web  ● running'));
    expect(inactive.lastFrame()).toContain('↕ 1–5 of');
    expect(onBack).not.toHaveBeenCalled();
    stdin.write(ESCAPE);
    await until(() => expect(onBack).toHaveBeenCalledTimes(1));
  });

  it('says why the details cannot be read, and still goes back', async () => {
    const onBack = vi.fn();
    const { lastFrame, stdin } = show(fakeApi([]), { onBack });
    await until(() => expect(lastFrame()).toContain('web: no process named web'));
    stdin.write(ESCAPE);
    await until(() => expect(onBack).toHaveBeenCalled());
  });
});
