import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { WorkflowsView } from '../../src/tui/workflows-view.js';
import { Keyed } from './keyed.js';
import { until } from './until.js';
import { noRoute, type TestWorkflows, testWorkflows } from './workflow-store.js';

const ESCAPE = '\u001b';
const DOWN = '\u001b[B';
const ENTER = '\r';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

function show(
  workflows: TestWorkflows | undefined,
  props: { height?: number; onBack?: () => void; onLetters?: () => void } = {},
) {
  const instance = render(
    <Keyed>
      {(keys) => (
        <WorkflowsView
          workflows={workflows}
          width={120}
          height={props.height ?? 30}
          theme={PLAIN_THEME}
          refreshMs={20}
          keys={keys}
          onBack={props.onBack ?? (() => {})}
          onLetters={props.onLetters ?? (() => {})}
        />
      )}
    </Keyed>,
  );
  mounted.push(instance.unmount);
  return instance;
}

/** The frame's line that shows run `id`, selected (`›`) or not. */
function lineOf(frame: string | undefined, id: string): string {
  const line = frame?.split('\n').find((text) => text.slice(2).startsWith(`${id} `));
  if (line === undefined) throw new Error(`no line for ${id} in:\n${frame}`);
  return line;
}

const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('the workflow runs view', () => {
  it('lists the runs newest first: status, steps done, failures, updated, and the worker of a running one', async () => {
    const { lastFrame } = show(await testWorkflows());
    await until(() => lineOf(lastFrame(), 'order-1'));
    const frame = lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toBe('workflow runs [3]');
    expect(cells(lines[1]!)).toEqual([
      'ID',
      'WORKFLOW',
      'STATUS',
      'STEPS',
      'FAILURES',
      'UPDATED',
      'WORKER',
    ]);
    expect(cells(lineOf(frame, 'order-3'))).toEqual([
      '› order-3',
      'order',
      '● running',
      '1',
      '0',
      expect.stringMatching(/ ago$|^just now$/),
      'host/worker#1',
    ]);
    expect(cells(lineOf(frame, 'order-2'))).toEqual([
      'order-2',
      'order',
      '✖ failed',
      '1',
      '3',
      expect.stringMatching(/ ago$|^just now$/),
      '-',
    ]);
    expect(cells(lineOf(frame, 'order-1')).slice(0, 5)).toEqual([
      'order-1',
      'order',
      '✔ completed',
      '2',
      '1',
    ]);
    expect(frame.indexOf('order-3')).toBeLessThan(frame.indexOf('order-1'));
  });

  it('f shows one status, then the next, then all again, asking the store for that status only', async () => {
    const workflows = await testWorkflows();
    const { lastFrame, stdin } = show(workflows);
    await until(() => lineOf(lastFrame(), 'order-1'));
    stdin.write('f');
    await until(() => expect(lastFrame()).toContain('workflow runs (pending) [0]'));
    expect(lastFrame()).toContain('no pending run');
    stdin.write('f');
    await until(() => expect(lastFrame()).toContain('workflow runs (running) [1]'));
    expect(lastFrame()).toContain('order-3');
    expect(lastFrame()).not.toContain('order-2');
    stdin.write('fff');
    await until(() => expect(lastFrame()).toContain('workflow runs (failed) [1]'));
    expect(lineOf(lastFrame(), 'order-2')).toMatch(/^› /);
    stdin.write('f');
    await until(() => expect(lastFrame()).toContain('workflow runs [3]'));
  });

  it('Enter shows the run: its steps with status, duration, attempts and error, its dead letter, its input; Esc goes back', async () => {
    const workflows = await testWorkflows();
    const { lastFrame, stdin } = show(workflows);
    await until(() => lineOf(lastFrame(), 'order-3'));
    stdin.write(DOWN);
    await until(() => expect(lineOf(lastFrame(), 'order-2')).toMatch(/^› /));
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('run order-2  ✖ failed'));
    const lines = lastFrame()!.split('\n');
    const stepsAt = lines.indexOf('steps');
    expect(cells(lines[stepsAt + 1]!)).toEqual([
      '#',
      'STEP',
      'STATUS',
      'DURATION',
      'ATTEMPTS',
      'ERROR',
    ]);
    expect(cells(lines[stepsAt + 2]!)).toEqual(['0', 'reserve', '✔ done', '1s', '1']);
    expect(cells(lines[stepsAt + 3]!)).toEqual([
      '1',
      'charge',
      '✖ failed',
      '-',
      '3',
      'card declined',
    ]);
    expect(lines).toContain('Error: card declined');
    expect(lines).toContain('    at charge (/app/order.js:12:11)');
    expect(lastFrame()).toMatch(
      /dl-1 {2}charge #1 {2}3 attempts {2}(?:\S+ ago|just now) {2}card declined/,
    );
    expect(lines.slice(lines.indexOf('input'))).toEqual(
      expect.arrayContaining(['  "id": 2,', '  "items": [', '    "a",']),
    );
    // While the run shows, the list is not read.
    const listed = workflows.calls.get('runs');
    await until(() => expect(workflows.calls.get('run')).toBeGreaterThan(2));
    expect(workflows.calls.get('runs')).toBe(listed);
    stdin.write(ESCAPE);
    await until(() => expect(lastFrame()).toContain('workflow runs [3]'));
  });

  it('scrolls a run taller than its room, and shows the output of a completed one', async () => {
    const { lastFrame, stdin } = show(await testWorkflows(), { height: 8 });
    await until(() => lineOf(lastFrame(), 'order-1'));
    stdin.write('jj');
    await until(() => expect(lineOf(lastFrame(), 'order-1')).toMatch(/^› /));
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('run order-1  ✔ completed'));
    expect(lastFrame()).toMatch(/↕ 1–6 of \d+/);
    stdin.write('G');
    await until(() => expect(lastFrame()).toContain('"charged": true'));
    expect(lastFrame()).not.toContain('run order-1');
    stdin.write('g');
    await until(() => expect(lastFrame()).toContain('run order-1'));
  });

  it('d goes to the dead letters, Esc back', async () => {
    let letters = 0;
    let back = 0;
    const { lastFrame, stdin } = show(await testWorkflows(), {
      onLetters: () => letters++,
      onBack: () => back++,
    });
    await until(() => lineOf(lastFrame(), 'order-1'));
    stdin.write('d');
    await until(() => expect(letters).toBe(1));
    stdin.write(ESCAPE);
    await until(() => expect(back).toBe(1));
  });

  it('says there is no store when given none, or when the supervisor serves no workflows', async () => {
    const none = show(undefined);
    await until(() =>
      expect(none.lastFrame()).toContain('no workflows store: this supervisor serves no workflows'),
    );
    const workflows = await testWorkflows();
    workflows.failing.set('runs', noRoute('/workflows'));
    const unserved = show(workflows);
    await until(() =>
      expect(unserved.lastFrame()).toContain('no workflows store: no route GET /workflows'),
    );
  });

  it('says why the runs cannot be read, and shows them once they can', async () => {
    const workflows = await testWorkflows();
    workflows.failing.set('runs', new Error('workflows: cannot open the store /x.db: EACCES'));
    const { lastFrame } = show(workflows);
    await until(() =>
      expect(lastFrame()).toContain('workflows: workflows: cannot open the store /x.db: EACCES'),
    );
    workflows.failing.delete('runs');
    await until(() => lineOf(lastFrame(), 'order-1'));
    expect(lastFrame()).not.toContain('EACCES');
  });
});
