import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TasksView } from '../../src/tui/tasks-view.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { type FakeApi, fakeApi, taskResult, taskView } from './fake-api.js';
import { Keyed } from './keyed.js';
import { until } from './until.js';

const ESCAPE = '\u001b';
const DOWN = '\u001b[B';
const ENTER = '\r';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

/** A running task, a queued one, one that failed and one that succeeded with output. */
function apiWithTasks(): FakeApi {
  const api = fakeApi([]);
  api.tasks = [
    taskView({ id: 't-14', name: 'test', command: ['npm', 'test'] }),
    taskView({
      id: 't-13',
      name: 'lint',
      status: 'queued',
      startedAt: null,
      pid: null,
      attempts: 0,
      reason: 'waiting for a slot',
    }),
    taskView({
      id: 't-12',
      name: 'build',
      status: 'failed',
      pid: null,
      attempts: 2,
      result: taskResult({
        id: 't-12',
        status: 'failed',
        exitCode: 2,
        attempts: 2,
        reason: 'exited with code 2',
        stderr: 'error: no such file\n',
      }),
    }),
    taskView({
      id: 't-11',
      name: 'migrate',
      status: 'succeeded',
      pid: null,
      command: 'node migrate.js --all',
      result: taskResult({ id: 't-11', stdout: 'step 1\nstep 2\ndone\n', truncated: true }),
    }),
  ];
  return api;
}

function show(
  api: FakeApi,
  props: {
    height?: number;
    onBack?: () => void;
    onStatus?: (text: string, failed: boolean) => void;
  } = {},
) {
  const instance = render(
    <Keyed>
      {(keys) => (
        <TasksView
          api={api}
          width={120}
          height={props.height ?? 30}
          theme={PLAIN_THEME}
          refreshMs={20}
          onBack={props.onBack ?? (() => {})}
          onStatus={props.onStatus}
          keys={keys}
        />
      )}
    </Keyed>,
  );
  mounted.push(instance.unmount);
  return instance;
}

/** The frame's line that shows task `id`, selected (`›`) or not. */
function lineOf(frame: string | undefined, id: string): string {
  const line = frame?.split('\n').find((text) => text.slice(2).startsWith(`${id} `));
  if (line === undefined) throw new Error(`no line for ${id} in:\n${frame}`);
  return line;
}

describe('the tasks view', () => {
  it('lists the tasks as given, with status, attempts, exit, duration, CPU time, peak memory and command', async () => {
    const { lastFrame } = show(apiWithTasks());
    await until(() => lineOf(lastFrame(), 't-14'));
    const frame = lastFrame()!;
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    expect(cells(frame.split('\n')[0]!)).toEqual([
      ...'ID NAME STATUS ATTEMPTS EXIT DURATION CPU'.split(' '),
      'PEAK MEM',
      'COMMAND',
    ]);
    expect(cells(lineOf(frame, 't-14'))).toEqual([
      '› t-14',
      'test',
      '● running',
      '1',
      '-',
      expect.stringMatching(/^\d/),
      '-',
      '-',
      'npm test',
    ]);
    expect(cells(lineOf(frame, 't-13'))).toEqual([
      't-13',
      'lint',
      '○ queued',
      '0',
      '-',
      '-',
      '-',
      '-',
      'npm test',
    ]);
    expect(cells(lineOf(frame, 't-12'))).toEqual([
      't-12',
      'build',
      '✖ failed',
      '2',
      '2',
      '2s',
      '1s',
      '30.0MB',
      'npm test',
    ]);
    expect(cells(lineOf(frame, 't-11'))).toEqual([
      't-11',
      'migrate',
      '✔ succeeded',
      '1',
      '0',
      '2s',
      '1s',
      '30.0MB',
      'node migrate.js --all',
    ]);
    expect(frame.indexOf('t-14')).toBeLessThan(frame.indexOf('t-11'));
  });

  it('reads the tasks again at the refresh cadence', async () => {
    const api = apiWithTasks();
    const { lastFrame } = show(api);
    await until(() => lineOf(lastFrame(), 't-14'));
    api.tasks = [taskView({ id: 't-15', name: 'deploy' }), ...api.tasks];
    await until(() => expect(lineOf(lastFrame(), 't-15')).toContain('deploy'));
  });

  it('selects with ↓ j k, and cancels the selection once confirmed with y', async () => {
    const api = apiWithTasks();
    const { lastFrame, stdin } = show(api);
    await until(() => lineOf(lastFrame(), 't-14'));
    stdin.write(DOWN);
    await until(() => expect(lineOf(lastFrame(), 't-13')).toMatch(/^› /));
    stdin.write('jj');
    await until(() => expect(lineOf(lastFrame(), 't-11')).toMatch(/^› /));
    stdin.write('kk');
    await until(() => expect(lineOf(lastFrame(), 't-13')).toMatch(/^› /));
    stdin.write('c');
    await until(() => expect(lastFrame()).toContain('cancel task t-13? y/n'));
    expect(api.cancelled).toEqual([]);
    stdin.write('y');
    await until(() => expect(lastFrame()).toContain('cancelled task t-13 (lint)'));
    expect(api.cancelled).toEqual(['t-13']);
    await until(() => expect(lineOf(lastFrame(), 't-13')).toContain('⊘ cancelled'));
  });

  it('cancels nothing when the confirmation is not y', async () => {
    const api = apiWithTasks();
    const { lastFrame, stdin } = show(api);
    await until(() => lineOf(lastFrame(), 't-14'));
    stdin.write('c');
    await until(() => expect(lastFrame()).toContain('cancel task t-14? y/n'));
    stdin.write('n');
    await until(() => expect(lastFrame()).toContain('cancel task t-14: not done'));
    stdin.write('c');
    await until(() => expect(lastFrame()).toContain('cancel task t-14? y/n'));
    stdin.write(ESCAPE);
    await until(() => expect(lastFrame()).not.toContain('y/n'));
    expect(api.cancelled).toEqual([]);
    expect(lineOf(lastFrame(), 't-14')).toContain('● running');
  });

  it('says that an ended task cannot be cancelled, and changes nothing', async () => {
    const api = apiWithTasks();
    const onStatus = vi.fn();
    const { lastFrame, stdin } = show(api, { onStatus });
    await until(() => lineOf(lastFrame(), 't-14'));
    stdin.write('jj');
    await until(() => expect(lineOf(lastFrame(), 't-12')).toMatch(/^› /));
    stdin.write('c');
    await until(() => expect(lastFrame()).toContain('cancel task t-12? y/n'));
    stdin.write('y');
    // Told to the dashboard's status line, not to the view's own.
    await until(() =>
      expect(onStatus).toHaveBeenLastCalledWith(
        'cancel task t-12: task t-12 already ended: failed',
        true,
      ),
    );
    expect(lastFrame()).not.toContain('already ended');
    expect(lineOf(lastFrame(), 't-12')).toContain('✖ failed');
  });

  it('shows a task in full with Enter, scrolls it, and goes back to the list with Esc', async () => {
    const api = apiWithTasks();
    const { lastFrame, stdin } = show(api, { height: 12 });
    await until(() => lineOf(lastFrame(), 't-14'));
    stdin.write('jjj');
    await until(() => expect(lineOf(lastFrame(), 't-11')).toMatch(/^› /));
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('task t-11  ✔ succeeded'));
    const frame = () =>
      lastFrame()!
        .split('\n')
        .map((line) => line.trimEnd());
    expect(frame()).toContain('command     node migrate.js --all');
    expect(frame()).toHaveLength(12);
    stdin.write('G');
    await until(() => expect(frame()).toContain('stdout (last lines)'));
    expect(frame()).toContain('cpu time     1s');
    expect(frame()).toContain('peak memory  30.0MB');
    expect(frame()).toContain('done');
    stdin.write(ESCAPE);
    await until(() => expect(lineOf(lastFrame(), 't-11')).toMatch(/^› /));
  });

  it('shows why a failed task failed, and its output', async () => {
    const { lastFrame, stdin } = show(apiWithTasks());
    await until(() => lineOf(lastFrame(), 't-14'));
    stdin.write('jj');
    await until(() => expect(lineOf(lastFrame(), 't-12')).toMatch(/^› /));
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('task t-12  ✖ failed'));
    expect(lastFrame()).toContain('reason      exited with code 2');
    expect(lastFrame()).toContain('stderr\nerror: no such file');
  });

  it('goes back with Esc from the list, and leaves the keys alone while inactive', async () => {
    const onBack = vi.fn();
    const api = apiWithTasks();
    const inactive = render(
      <Keyed active={false}>
        {(keys) => (
          <TasksView
            api={api}
            width={120}
            height={20}
            theme={PLAIN_THEME}
            refreshMs={20}
            onBack={onBack}
            keys={keys}
          />
        )}
      </Keyed>,
    );
    mounted.push(inactive.unmount);
    await until(() => lineOf(inactive.lastFrame(), 't-14'));
    inactive.stdin.write('c');
    inactive.stdin.write(ESCAPE);
    const { lastFrame, stdin } = show(api, { onBack });
    await until(() => lineOf(lastFrame(), 't-14'));
    expect(inactive.lastFrame()).not.toContain('y/n');
    expect(onBack).not.toHaveBeenCalled();
    stdin.write(ESCAPE);
    await until(() => expect(onBack).toHaveBeenCalledTimes(1));
  });

  it('scrolls a list taller than its room with the selection', async () => {
    const api = fakeApi([]);
    api.tasks = Array.from({ length: 20 }, (_, index) => taskView({ id: `t-${20 - index}` }));
    const { lastFrame, stdin } = show(api, { height: 8 });
    await until(() => lineOf(lastFrame(), 't-20'));
    expect(lastFrame()!.split('\n')).toHaveLength(8);
    expect(lastFrame()).toContain('↕ 1–5 of 20');
    stdin.write('jjjjjjjjjj');
    await until(() => expect(lineOf(lastFrame(), 't-10')).toMatch(/^› /));
    expect(lastFrame()).toContain('↕ 9–13 of 20');
    expect(lastFrame()!.split('\n')).toHaveLength(8);
  });
});
