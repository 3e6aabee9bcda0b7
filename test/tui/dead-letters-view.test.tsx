import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLettersView } from '../../src/tui/dead-letters-view.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
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

/** The test's workflows with a second dead letter, `dl-2` of run `order-4`, filed last. */
async function twoLetters(): Promise<TestWorkflows> {
  const workflows = await testWorkflows();
  const { store } = workflows;
  await store.createRun({ id: 'order-4', workflow: 'invoice', input: { id: 4 } });
  await store.claim('host/worker#0', { limit: 1, leaseMs: 60_000, runId: 'order-4' });
  await store.finishRun('host/worker#0', 'order-4', {
    status: 'failed',
    error: { name: 'TypeError', message: 'x is undefined' },
    deadLetter: {
      runId: 'order-4',
      workflow: 'invoice',
      step: 'render',
      stepIndex: 0,
      input: { id: 4 },
      error: { name: 'TypeError', message: 'x is undefined' },
      attempts: 1,
    },
  });
  return workflows;
}

function show(
  workflows: TestWorkflows | undefined,
  props: { height?: number; onBack?: () => void; onRuns?: () => void } = {},
) {
  const said: Array<{ text: string; failed: boolean }> = [];
  const instance = render(
    <Keyed>
      {(keys) => (
        <DeadLettersView
          workflows={workflows}
          width={120}
          height={props.height ?? 30}
          theme={PLAIN_THEME}
          refreshMs={20}
          keys={keys}
          onBack={props.onBack ?? (() => {})}
          onRuns={props.onRuns ?? (() => {})}
          onStatus={(text, failed) => said.push({ text, failed })}
        />
      )}
    </Keyed>,
  );
  mounted.push(instance.unmount);
  return { ...instance, said };
}

function lineOf(frame: string | undefined, id: string): string {
  const line = frame?.split('\n').find((text) => text.slice(2).startsWith(`${id} `));
  if (line === undefined) throw new Error(`no line for ${id} in:\n${frame}`);
  return line;
}

const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('the dead letters view', () => {
  it('lists the letters newest first: workflow, run, step, attempts, when, the error’s first line', async () => {
    const { lastFrame } = show(await twoLetters());
    await until(() => lineOf(lastFrame(), 'dl-1'));
    const frame = lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toBe('dead letters [2]');
    expect(cells(lines[1]!)).toEqual([
      'ID',
      'WORKFLOW',
      'RUN',
      'STEP',
      'ATTEMPTS',
      'FAILED',
      'ERROR',
    ]);
    expect(cells(lineOf(frame, 'dl-2'))).toEqual([
      '› dl-2',
      'invoice',
      'order-4',
      'render #0',
      '1',
      expect.stringMatching(/ ago$|^just now$/),
      'x is undefined',
    ]);
    expect(cells(lineOf(frame, 'dl-1'))).toEqual([
      'dl-1',
      'order',
      'order-2',
      'charge #1',
      '3',
      expect.stringMatching(/ ago$|^just now$/),
      'card declined',
    ]);
  });

  it('Enter shows the letter: the error with its stack, the input; Esc goes back', async () => {
    const { lastFrame, stdin } = show(await twoLetters());
    await until(() => lineOf(lastFrame(), 'dl-1'));
    stdin.write(DOWN);
    await until(() => expect(lineOf(lastFrame(), 'dl-1')).toMatch(/^› /));
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('dead letter dl-1'));
    const lines = lastFrame()!.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'run        order-2',
        'step       charge #1',
        'Error: card declined',
        'by the issuer',
        '    at charge (/app/order.js:12:11)',
        '  "id": 2,',
      ]),
    );
    stdin.write(ESCAPE);
    await until(() => expect(lastFrame()).toContain('dead letters [2]'));
  });

  it('r asks first, y retries the letter, the list is read again without it', async () => {
    const workflows = await twoLetters();
    const { lastFrame, stdin, said } = show(workflows);
    await until(() => lineOf(lastFrame(), 'dl-1'));
    stdin.write(DOWN);
    await until(() => expect(lineOf(lastFrame(), 'dl-1')).toMatch(/^› /));
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('retry dead letter dl-1? y/n'));
    expect(workflows.actions).toEqual([]);
    stdin.write('y');
    await until(() =>
      expect(said.at(-1)).toEqual({
        text: 'retried dead letter dl-1: run order-2 is pending',
        failed: false,
      }),
    );
    expect(workflows.actions).toEqual(['retry dl-1']);
    await until(() => expect(lastFrame()).toContain('dead letters [1]'));
    expect(lastFrame()).not.toContain('dl-1');
    expect((await workflows.store.run('order-2'))?.status).toBe('pending');
  });

  it('any key but y keeps the letter', async () => {
    const workflows = await twoLetters();
    const { lastFrame, stdin, said } = show(workflows);
    await until(() => lineOf(lastFrame(), 'dl-2'));
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('retry dead letter dl-2? y/n'));
    stdin.write('n');
    await until(() =>
      expect(said.at(-1)).toEqual({ text: 'retry dead letter dl-2: not done', failed: false }),
    );
    expect(workflows.actions).toEqual([]);
    await until(() => expect(lastFrame()).not.toContain('? y/n'));
  });

  it('D and x drop a letter once confirmed, from the list or from the letter shown', async () => {
    const workflows = await twoLetters();
    const { lastFrame, stdin, said } = show(workflows);
    await until(() => lineOf(lastFrame(), 'dl-2'));
    stdin.write('D');
    await until(() => expect(lastFrame()).toContain('drop dead letter dl-2? y/n'));
    stdin.write('y');
    await until(() => expect(lastFrame()).toContain('dead letters [1]'));
    expect(said.at(-1)).toEqual({ text: 'dropped dead letter dl-2', failed: false });
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('dead letter dl-1'));
    stdin.write('x');
    await until(() => expect(lastFrame()).toContain('drop dead letter dl-1? y/n'));
    stdin.write('Y');
    // The letter gone, its page goes too.
    await until(() => expect(lastFrame()).toContain('dead letters [0]'));
    expect(lastFrame()).toContain('no dead letter');
    expect(workflows.actions).toEqual(['drop dl-2', 'drop dl-1']);
    expect((await workflows.store.run('order-2'))?.status).toBe('failed');
  });

  it('a retry that fails says why in the status line and changes nothing', async () => {
    const workflows = await twoLetters();
    const { lastFrame, stdin, said } = show(workflows);
    await until(() => lineOf(lastFrame(), 'dl-2'));
    workflows.failing.set('retryDeadLetter', new Error('connect ECONNREFUSED 127.0.0.1:9615'));
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('? y/n'));
    stdin.write('y');
    await until(() =>
      expect(said.at(-1)).toEqual({
        text: 'retry dead letter dl-2: connect ECONNREFUSED 127.0.0.1:9615',
        failed: true,
      }),
    );
    expect(lastFrame()).toContain('dead letters [2]');
    // A letter another hand took meanwhile is not found: said too.
    workflows.failing.delete('retryDeadLetter');
    await workflows.store.dropDeadLetter('dl-2');
    stdin.write('r');
    await until(() => expect(lastFrame()).toContain('? y/n'));
    stdin.write('y');
    await until(() =>
      expect(said.at(-1)).toEqual({
        text: 'retry dead letter dl-2: no dead letter "dl-2"',
        failed: true,
      }),
    );
  });

  it('says there is no store when given none, or when the supervisor serves no workflows', async () => {
    const none = show(undefined);
    await until(() =>
      expect(none.lastFrame()).toContain('no workflows store: this supervisor serves no workflows'),
    );
    none.stdin.write('r');
    const workflows = await testWorkflows();
    workflows.failing.set('deadLetters', noRoute('/dead-letters'));
    const unserved = show(workflows);
    await until(() =>
      expect(unserved.lastFrame()).toContain('no workflows store: no route GET /dead-letters'),
    );
    expect(none.said).toEqual([]);
  });

  it('says why the letters cannot be read; w goes to the runs', async () => {
    const workflows = await testWorkflows();
    workflows.failing.set('deadLetters', new Error('socket hang up'));
    let runs = 0;
    const { lastFrame, stdin } = show(workflows, { onRuns: () => runs++ });
    await until(() => expect(lastFrame()).toContain('dead letters: socket hang up'));
    stdin.write('w');
    await until(() => expect(runs).toBe(1));
  });
});
