import { render } from 'ink-testing-library';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { LogPane, type LogPaneProps } from '../../src/tui/log-pane.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { type FakeApi, fakeApi, logLine, processRow } from './fake-api.js';
import { Keyed } from './keyed.js';
import { until } from './until.js';

const UP = '\u001b[A';
const ESCAPE = '\u001b';
const PAGE_UP = '\u001b[5~';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

/** A stack of `web` and two instances of `worker`. */
function stack(): FakeApi {
  return fakeApi([
    processRow({ name: 'web' }),
    processRow({ name: 'worker-0', instance: 0 }),
    processRow({ name: 'worker-1', instance: 1 }),
  ]);
}

type ShownProps = Partial<Omit<LogPaneProps, 'keys'>> & { readonly active?: boolean };

function show(api: FakeApi, props: ShownProps = {}) {
  const pane = (overrides: ShownProps) => {
    const { active = true, ...paneProps } = { ...props, ...overrides };
    return (
      <Keyed active={active}>
        {(keys) => (
          <LogPane
            api={api}
            name="web"
            height={6}
            width={60}
            logLines={100}
            refreshMs={10}
            theme={PLAIN_THEME}
            keys={keys}
            {...paneProps}
          />
        )}
      </Keyed>
    );
  };
  const instance = render(pane({}));
  mounted.push(instance.unmount);
  return {
    ...instance,
    rerender: (overrides: ShownProps) => instance.rerender(pane(overrides)),
  };
}

/** The reads that went back before the oldest line held (not those that follow the newest). */
const readBacks = (api: FakeApi) =>
  api.readLogCalls.filter((call) => call.query.until !== undefined);

/** The frame's lines, the title first. */
const linesOf = (frame: string | undefined) => (frame ?? '').split('\n');

describe('the log pane', () => {
  it('follows the named process, every instance merged and named, and switches with the name', async () => {
    const api = stack();
    api.writeLog(logLine('worker-0', 1, 'zero ready'), logLine('web', 2, 'listening'));
    const { lastFrame, rerender } = show(api, { name: 'worker' });
    await until(() =>
      expect(linesOf(lastFrame()).slice(0, 2)).toEqual([
        'logs · worker (2 instances) · following',
        'worker-0 │ zero ready',
      ]),
    );
    api.writeLog(logLine('worker-1', 3, 'one ready'), logLine('web', 4, 'GET /'));
    await until(() => expect(linesOf(lastFrame())[2]).toBe('worker-1 │ one ready'));
    expect(lastFrame()).not.toContain('GET /');

    rerender({ name: 'web' });
    // One process alone: its lines without its name.
    await until(() =>
      expect(linesOf(lastFrame()).slice(0, 3)).toEqual([
        'logs · web · following',
        'listening',
        'GET /',
      ]),
    );
    // Read at the refresh's cadence, not streamed line by line.
    expect(api.following()).toBe(0);
  });

  it('shows every process with a, each line named, and the one again with a second a', async () => {
    const api = stack();
    api.writeLog(logLine('web', 1, 'listening'), logLine('worker-1', 2, 'ready'));
    const { lastFrame, stdin } = show(api);
    await until(() => expect(lastFrame()).toContain('listening'));
    stdin.write('a');
    await until(() =>
      expect(linesOf(lastFrame()).slice(0, 3)).toEqual([
        'logs · all processes · following',
        'web      │ listening',
        'worker-1 │ ready',
      ]),
    );
    stdin.write('a');
    await until(() => expect(linesOf(lastFrame())[0]).toBe('logs · web · following'));
  });

  it('pauses when scrolled up, counts what comes meanwhile, and follows again with G', async () => {
    const api = stack();
    for (let n = 1; n <= 10; n++) api.writeLog(logLine('web', n, `line ${n}`));
    const { lastFrame, stdin } = show(api);
    await until(() => expect(linesOf(lastFrame()).slice(1)).toEqual(lines(6, 10)));
    stdin.write('kk');
    await until(() => expect(linesOf(lastFrame()).slice(1)).toEqual(lines(4, 8)));
    expect(linesOf(lastFrame())[0]).toBe('logs · web · paused, G to follow');
    for (let n = 11; n <= 13; n++) api.writeLog(logLine('web', n, `line ${n}`));
    await until(() =>
      expect(linesOf(lastFrame())[0]).toBe('logs · web · paused — 3 new lines, G to follow'),
    );
    expect(linesOf(lastFrame()).slice(1)).toEqual(lines(4, 8));
    stdin.write('g');
    await until(() => expect(linesOf(lastFrame()).slice(1)).toEqual(lines(1, 5)));
    stdin.write('G');
    await until(() => expect(linesOf(lastFrame()).slice(1)).toEqual(lines(9, 13)));
    expect(linesOf(lastFrame())[0]).toBe('logs · web · following');
  });

  it('reads older lines from the files past the oldest held, none lost or twice at a shared millisecond', async () => {
    const api = stack();
    // Six lines of one millisecond, then two more: the pane holds the last six.
    for (let n = 1; n <= 6; n++) api.writeLog(logLine('web', 100, `tied ${n}`));
    api.writeLog(logLine('web', 101, 'after 1'), logLine('web', 102, 'after 2'));
    const { lastFrame, stdin } = show(api, { logLines: 6, height: 5 });
    await until(() =>
      expect(linesOf(lastFrame()).slice(1)).toEqual(['tied 5', 'tied 6', 'after 1', 'after 2']),
    );
    stdin.write('kk');
    await until(() =>
      expect(linesOf(lastFrame()).slice(1)).toEqual(['tied 3', 'tied 4', 'tied 5', 'tied 6']),
    );
    expect(readBacks(api)).toEqual([]);
    stdin.write(UP);
    // Up to and including the held lines' millisecond, as many more lines as are held of it.
    await until(() =>
      expect(readBacks(api)).toEqual([{ name: 'web', query: { lines: 10, until: 101 } }]),
    );
    await until(() =>
      expect(linesOf(lastFrame()).slice(1)).toEqual(['tied 2', 'tied 3', 'tied 4', 'tied 5']),
    );
    stdin.write('g');
    await until(() =>
      expect(linesOf(lastFrame())).toEqual([
        'logs · web · paused, G to follow · start of the log',
        'tied 1',
        'tied 2',
        'tied 3',
        'tied 4',
      ]),
    );
    // Nothing older: no more reading.
    stdin.write(PAGE_UP);
    stdin.write('G');
    // The older lines pushed the newest out: following reads them anew.
    await until(() =>
      expect(linesOf(lastFrame()).slice(1)).toEqual(['tied 5', 'tied 6', 'after 1', 'after 2']),
    );
    expect(linesOf(lastFrame())[0]).toBe('logs · web · following');
    expect(readBacks(api)).toHaveLength(1);
  });

  it('searches: matches counted, n and N step through them scrolling as needed, Esc clears', async () => {
    const api = stack();
    for (let n = 1; n <= 20; n++) {
      api.writeLog(
        logLine(
          'web',
          n,
          n % 7 === 0 ? `ERROR ${n}` : `ok ${n}`,
          n % 7 === 0 ? 'stderr' : 'stdout',
        ),
      );
    }
    const statuses: string[] = [];
    const { lastFrame, stdin } = show(api, {
      onStatus: (text) => statuses.push(text),
    });
    await until(() => expect(lastFrame()).toContain('ok 20'));
    stdin.write('/');
    await until(() => expect(lastFrame()).toContain('Esc clears'));
    stdin.write('error');
    await until(() => expect(lastFrame()).toContain('/error▏ Enter keeps, Esc clears'));
    stdin.write('\r');
    await until(() => expect(lastFrame()).toContain('2 matches for "error", n next'));
    stdin.write('N');
    await until(() => expect(lastFrame()).toContain('match 2 of 2'));
    expect(lastFrame()).toContain('ERROR 14');
    stdin.write('N');
    await until(() => expect(lastFrame()).toContain('match 1 of 2'));
    // Scrolled back to it: paused.
    expect(lastFrame()).toContain('ERROR 7');
    expect(linesOf(lastFrame())[0]).toMatch(/^logs · web · paused/);
    stdin.write('n');
    await until(() => expect(lastFrame()).toContain('match 2 of 2'));
    stdin.write('/');
    await until(() => expect(lastFrame()).toContain('Esc clears'));
    stdin.write('zzz');
    await until(() => expect(lastFrame()).toContain('/zzz▏'));
    stdin.write('\r');
    await until(() => expect(lastFrame()).toContain('no match for "zzz"'));
    stdin.write(ESCAPE);
    await until(() => expect(lastFrame()).not.toContain('zzz'));
    // Told once the frame is drawn (in an effect).
    await until(() => expect(statuses.at(-1)).toBe(''));
    expect(statuses).toEqual(expect.arrayContaining(['match 1 of 2', 'no match for "zzz"']));
  });

  it('regression: shows what a terminal would of escapes, tabs and redraws, and searches that', async () => {
    const api = stack();
    api.writeLog(logLine('web', 1, '\u001b[31merror\u001b[0m\tdone'));
    api.writeLog(logLine('web', 2, 'loading 10%\rloading 100%'));
    const { lastFrame, stdin } = show(api);
    await until(() =>
      expect(linesOf(lastFrame()).slice(1, 3)).toEqual(['error    done', 'loading 100%']),
    );
    stdin.write('/');
    stdin.write('31m');
    stdin.write('\r');
    await until(() => expect(lastFrame()).toContain('no match for "31m"'));
  });

  it('wraps long lines with w, and cuts them again with a second w', async () => {
    const api = stack();
    api.writeLog(logLine('web', 1, `${'a'.repeat(30)}${'b'.repeat(30)}`));
    const { lastFrame, stdin } = show(api, { width: 30 });
    await until(() => expect(linesOf(lastFrame())[1]).toBe(`${'a'.repeat(29)}…`));
    stdin.write('w');
    await until(() =>
      expect(linesOf(lastFrame()).slice(1, 3)).toEqual(['a'.repeat(30), 'b'.repeat(30)]),
    );
    expect(linesOf(lastFrame())[0]).toContain('wrap');
    stdin.write('w');
    await until(() => expect(lastFrame()).not.toContain('b'.repeat(30)));
    expect(linesOf(lastFrame())[1]).toBe(`${'a'.repeat(29)}…`);
  });

  it('reads no key while inactive', async () => {
    const api = stack();
    for (let n = 1; n <= 10; n++) api.writeLog(logLine('web', n, `line ${n}`));
    const { lastFrame, stdin, rerender } = show(api, { active: false });
    await until(() => expect(lastFrame()).toContain('line 10'));
    // Read, `a` would show every process, and `k` pause.
    stdin.write('a');
    stdin.write('k');
    rerender({ active: true });
    stdin.write('k');
    await until(() => expect(linesOf(lastFrame())[0]).toMatch(/paused/));
    expect(linesOf(lastFrame())[0]).toBe('logs · web · paused, G to follow');
    // One line up, not two.
    expect(linesOf(lastFrame()).slice(1)).toEqual(lines(5, 9));
  });

  it('says so when its lines cannot be read or the name stands for nothing, and reads again', async () => {
    const api = stack();
    const { lastFrame, rerender } = show(api);
    await until(() => expect(lastFrame()).toContain('no output yet'));
    api.reachable = false;
    await until(() =>
      expect(linesOf(lastFrame()).at(-1)).toBe('no logs: connect ECONNREFUSED 127.0.0.1:9615'),
    );
    expect(linesOf(lastFrame())).toHaveLength(6);
    // Read again at the next refresh: a supervisor that is back is followed again.
    api.reachable = true;
    api.writeLog(logLine('web', 5, 'back again'));
    await until(() => expect(lastFrame()).toContain('back again'));
    expect(lastFrame()).not.toContain('no logs');
    rerender({ name: 'ghost' });
    await until(() => expect(linesOf(lastFrame()).at(-1)).toBe('no logs: no process named ghost'));
  });

  it('keeps the supervisor unblocked: 100 000 lines at once are a few renders and a full buffer', async () => {
    const api = stack();
    let renders = 0;
    const instance = render(
      <Profiler id="logs" onRender={() => (renders += 1)}>
        <LogPane
          api={api}
          name="web"
          height={51}
          width={60}
          logLines={50}
          refreshMs={50}
          theme={PLAIN_THEME}
          keys={{ current: undefined }}
        />
      </Profiler>,
    );
    mounted.push(instance.unmount);
    await until(() => expect(instance.lastFrame()).toContain('no output yet'));
    const before = renders;
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) api.writeLog(logLine('web', n, `line ${n}`));
    const tookMs = performance.now() - started;
    await until(() => expect(instance.lastFrame()).toContain('line 99999'));
    const shown = linesOf(instance.lastFrame()).slice(1);
    expect(shown).toHaveLength(50);
    expect(shown[0]).toBe('line 99950');
    expect(renders - before).toBeLessThanOrEqual(3);
    // The listener only pushes: far below a millisecond a line.
    expect(tookMs).toBeLessThan(2_000);
  });
});

function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => `line ${from + offset}`);
}
