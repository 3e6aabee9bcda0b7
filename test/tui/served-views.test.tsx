import { join } from 'node:path';
/**
 * The details, tasks and workflow views over a daemon as served, through the HTTP client the
 * dashboard uses: what `get()`, `listTasks()`, `cancelTask()` and the workflow routes really
 * answer; and over the daemon's own workflows, as `up` shows them in process.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { openSqliteWorkflowStore } from '../../src/store/sqlite/workflow-store.js';
import { DeadLettersView } from '../../src/tui/dead-letters-view.js';
import { DetailsView } from '../../src/tui/details-view.js';
import { TasksView } from '../../src/tui/tasks-view.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { WorkflowsView } from '../../src/tui/workflows-view.js';
import { cleanupAll, openDaemon, sleeper } from '../daemon/helpers.js';
import { Keyed } from './keyed.js';
import { fileDeadLetter } from './workflow-store.js';

const mounted: Array<() => void> = [];
afterEach(async () => {
  for (const unmount of mounted.splice(0)) unmount();
  await cleanupAll();
});

/** A daemon running `web` (a sleeper, ready once it printed `ready`), and a client to it. */
async function servedStack(): Promise<HttpSupervisorClient> {
  const { daemon, socketPath } = await openDaemon({ processes: { web: sleeper() } });
  await daemon.up();
  return new HttpSupervisorClient({ socketPath });
}

const WAIT = { timeout: 10_000 };

describe('the views over a daemon as served', () => {
  it('show a process’s details: its status, probe, run and spec', async () => {
    const api = await servedStack();
    const instance = render(
      <Keyed>
        {(keys) => (
          <DetailsView
            api={api}
            name="web"
            history={[]}
            width={120}
            height={80}
            theme={PLAIN_THEME}
            onBack={() => {}}
            refreshMs={50}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(instance.unmount);
    const { lastFrame } = instance;
    await vi.waitFor(() => expect(lastFrame()).toContain('  last result: healthy'), WAIT);
    const frame = lastFrame()!;
    expect(frame).toMatch(/^web {2}● running {2}pid \d+/);
    expect(frame).toContain('readiness  log ^ready$  every 1s, timeout 1s, failing after 3');
    expect(frame).toMatch(/^\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}running/m);
    expect(frame).toContain('  readiness:\n    log: "^ready$"');
  });

  it('list tasks, cancel a running one, and refuse to cancel it twice', async () => {
    const api = await servedStack();
    const id = await api.submitTask({
      name: 'idle',
      command: [process.execPath, '-e', 'setTimeout(() => {}, 60_000)'],
    });
    const instance = render(
      <Keyed>
        {(keys) => (
          <TasksView
            api={api}
            width={120}
            height={20}
            theme={PLAIN_THEME}
            refreshMs={50}
            onBack={() => {}}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(instance.unmount);
    const { lastFrame, stdin } = instance;
    await vi.waitFor(
      () => expect(lastFrame()).toMatch(new RegExp(`› ${id} +idle +● running`)),
      WAIT,
    );
    stdin.write('c');
    await vi.waitFor(() => expect(lastFrame()).toContain(`cancel task ${id}? y/n`));
    stdin.write('y');
    await vi.waitFor(
      () => expect(lastFrame()).toMatch(new RegExp(`${id} +idle +⊘ cancelled`)),
      WAIT,
    );
    stdin.write('c');
    await vi.waitFor(() => expect(lastFrame()).toContain(`cancel task ${id}? y/n`));
    stdin.write('y');
    await vi.waitFor(() =>
      expect(lastFrame()).toContain(`cancel task ${id}: task ${id} already ended: cancelled`),
    );
  });

  it('show the project’s runs over HTTP and its dead letters in process, and retry one', async () => {
    const { daemon, socketPath, stateDir } = await openDaemon({ processes: { web: sleeper() } });
    const store = openSqliteWorkflowStore(join(stateDir, 'workflows.db'));
    const id = await fileDeadLetter(store).finally(() => store.close());
    const client = new HttpSupervisorClient({ socketPath });
    const runs = render(
      <Keyed>
        {(keys) => (
          <WorkflowsView
            workflows={client.workflows}
            width={120}
            height={20}
            theme={PLAIN_THEME}
            refreshMs={50}
            onBack={() => {}}
            onLetters={() => {}}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(runs.unmount);
    await vi.waitFor(() => expect(runs.lastFrame()).toMatch(/› order-7 +order +✖ failed/), WAIT);
    runs.unmount();
    const said: string[] = [];
    const letters = render(
      <Keyed>
        {(keys) => (
          <DeadLettersView
            workflows={daemon.workflows}
            width={120}
            height={20}
            theme={PLAIN_THEME}
            refreshMs={50}
            onBack={() => {}}
            onRuns={() => {}}
            onStatus={(text) => said.push(text)}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(letters.unmount);
    await vi.waitFor(() => expect(letters.lastFrame()).toContain(`› ${id}`), WAIT);
    letters.stdin.write('r');
    await vi.waitFor(() => expect(letters.lastFrame()).toContain('? y/n'));
    letters.stdin.write('y');
    await vi.waitFor(() => expect(letters.lastFrame()).toContain('dead letters [0]'), WAIT);
    expect(said.at(-1)).toBe(`retried dead letter ${id}: run order-7 is pending`);
  });
});
