/**
 * The log pane over a daemon as it is served, through the HTTP client: lines followed over
 * the stream, older ones read back from the log files with `until`, where a job printing
 * in one go gives every line the same millisecond or few.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { LogPane } from '../../src/tui/log-pane.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { cleanupAll, fixture, openDaemon, waitFor } from '../daemon/helpers.js';
import { Keyed } from './keyed.js';

const UP = '\u001b[A';

const mounted: Array<() => void> = [];
afterEach(async () => {
  // The pane's streams first: the daemon then shuts down with none open.
  for (const unmount of mounted.splice(0)) unmount();
  await cleanupAll();
});

describe('the log pane over a daemon', () => {
  it('follows a job, then reads its older lines back from the files, each once', async () => {
    const { daemon, socketPath } = await openDaemon({
      processes: { job: { command: fixture('print-lines.mjs', 500), kind: 'job' } },
    });
    await daemon.up();
    await waitFor(() => daemon.supervisor.get('job').status === 'completed', 5_000, 'the job');
    const api = new HttpSupervisorClient({ socketPath });
    const pane = render(
      <Keyed>
        {(keys) => (
          <LogPane
            api={api}
            name="job"
            height={6}
            width={60}
            logLines={20}
            refreshMs={10}
            theme={PLAIN_THEME}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(pane.unmount);
    const shown = () => (pane.lastFrame() ?? '').split('\n').slice(1);
    await vi.waitFor(() =>
      expect(shown()).toEqual(['line 497', 'line 498', 'line 499', 'line 500', 'partial']),
    );
    pane.stdin.write('g');
    await vi.waitFor(() => expect(shown()[0]).toBe('line 482'));
    // Past the oldest of the 20 held: the 20 before them, the newest given up for room.
    pane.stdin.write(UP);
    await vi.waitFor(() =>
      expect(shown()).toEqual(['line 477', 'line 478', 'line 479', 'line 480', 'line 481']),
    );
    pane.stdin.write('g');
    await vi.waitFor(() => expect(shown()[0]).toBe('line 462'));
    pane.stdin.write(UP);
    await vi.waitFor(() => expect(shown()[0]).toBe('line 457'));
  });
});
