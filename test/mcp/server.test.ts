/**
 * `overseer mcp` in process, against a real daemon: every tool and resource as a coding
 * agent's client sees them, logs paged back to their start, an unknown name, the actions
 * refused without `--allow-actions` and done with it, and a server with no daemon to ask.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { MAX_PAGE_CHARS } from '../../src/mcp/log-pages.js';
import { Workflows } from '../../src/open-workflows.js';
import {
  cleanupAll,
  fixture,
  openDaemon,
  sleeper,
  TOKEN,
  tempDir,
  waitFor,
} from '../daemon/helpers.js';
import { call, closeClients, mcpClient, readText } from './helpers.js';

const engines: Workflows[] = [];
afterEach(async () => {
  await closeClients();
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await cleanupAll();
});

const READ_TOOLS = [
  'get_task',
  'get_workflow_run',
  'inspect_process',
  'list_dead_letters',
  'list_processes',
  'list_tasks',
  'list_workflows',
  'read_logs',
];
const ACTION_TOOLS = [
  'restart_process',
  'retry_dead_letter',
  'run_task',
  'start_process',
  'stop_process',
];

/** A daemon running `web` (idle) and `chatty` (450 lines of 100 characters, then done). */
async function stack() {
  const opened = await openDaemon({
    processes: {
      web: { ...sleeper(), namespace: 'front' },
      chatty: { command: fixture('print-many.mjs', 450, 100), restart: { policy: 'never' } },
    },
  });
  await opened.daemon.up();
  const { supervisor } = opened.daemon;
  await waitFor(
    () =>
      supervisor.list().every((row) => ['running', 'stopped', 'completed'].includes(row.status)),
    10_000,
    'web to run and chatty to end',
  );
  return opened;
}

describe('overseer mcp, read-only', () => {
  it('offers the read tools only, and refuses an action as a tool error', async () => {
    const { socketPath } = await stack();
    const client = await mcpClient(socketPath);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(READ_TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
    const refused = await call(client, 'restart_process', { name: 'web' });
    expect(refused).toMatchObject({
      isError: true,
      text: expect.stringMatching(/restart_process not found/),
    });
  });

  it('lists, filters and inspects processes, and names the known ones after an unknown name', async () => {
    const { socketPath } = await stack();
    const client = await mcpClient(socketPath);

    const all = await call(client, 'list_processes');
    expect(all.isError).toBe(false);
    expect(all.text).toMatch(/^2 processes \(/);
    expect(all.text).toMatch(/^web \[front\]: running, healthy, pid \d+, .*score \d+/m);
    expect(all.text).toMatch(/^chatty \[default\]: (stopped|completed)/m);
    const front = await call(client, 'list_processes', { namespace: 'front', status: ['running'] });
    expect(front.text.split('\n')).toHaveLength(2);
    const badStatus = await call(client, 'list_processes', { status: ['sleepy'] });
    expect(badStatus).toMatchObject({ isError: true, text: expect.stringMatching(/status/) });

    const web = await call(client, 'inspect_process', { name: 'web' });
    expect(web.text).toMatch(/^web \[front\]: running/);
    const details = JSON.parse(web.text.slice(web.text.indexOf('{')));
    expect(details).toMatchObject({ name: 'web', spec: { env: [] }, runs: [expect.any(Object)] });

    const unknown = await call(client, 'inspect_process', { name: 'nope' });
    expect(unknown).toEqual({
      isError: true,
      text: 'UNKNOWN_PROCESS: no process named nope. Known processes: web, chatty.',
    });
    expect((await call(client, 'read_logs', { name: 'nope' })).text).toMatch(
      /Known processes: web, chatty/,
    );
  });

  it('pages a log back to its start: every line once, in order, no page past its size', async () => {
    const { socketPath } = await stack();
    const client = await mcpClient(socketPath);
    const seen: number[] = [];
    let args: Record<string, unknown> | undefined = { name: 'chatty' };
    const pageSizes: number[] = [];
    while (args !== undefined) {
      const page = await call(client, 'read_logs', args);
      expect(page.isError).toBe(false);
      expect(page.text.length).toBeLessThan(MAX_PAGE_CHARS + 1_000);
      const numbers = [...page.text.matchAll(/ chatty stdout line (\d+) x+$/gm)].map((m) =>
        Number(m[1]),
      );
      seen.unshift(...numbers);
      pageSizes.push(numbers.length);
      const next = /Older lines: call read_logs with (\{.*\})\.$/m.exec(page.text);
      args = next ? JSON.parse(next[1]!) : undefined;
      if (!next) expect(page.text).toMatch(/reaches the start of the log/);
    }
    expect(seen).toEqual(Array.from({ length: 450 }, (_, index) => index + 1));
    // 100-character lines: a page of 200 is cut to fit a model's context.
    expect(pageSizes[0]).toBeLessThan(200);
    expect(pageSizes.length).toBeGreaterThanOrEqual(3);

    const grep = await call(client, 'read_logs', { name: 'chatty', grep: 'line 44\\d ', lines: 5 });
    expect(grep.text).toMatch(/^5 lines of chatty matching \/line 44\\d \//);
    const badCursor = await call(client, 'read_logs', { name: 'chatty', before: 'soon' });
    expect(badCursor).toMatchObject({
      isError: true,
      text: expect.stringMatching(/before: expected a cursor/),
    });
  });

  it('lists and reads every resource', async () => {
    const { socketPath } = await stack();
    const client = await mcpClient(socketPath);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      'overseer://dead-letters',
      'overseer://processes',
      'overseer://processes/chatty',
      'overseer://processes/chatty/logs',
      'overseer://processes/web',
      'overseer://processes/web/logs',
      'overseer://tasks',
      'overseer://workflows',
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      'overseer://processes/{name}',
      'overseer://processes/{name}/logs',
    ]);
    expect(await readText(client, 'overseer://processes')).toMatch(/^web \[front\]: running/m);
    expect(await readText(client, 'overseer://processes/web')).toMatch(/"spec"/);
    expect(await readText(client, 'overseer://processes/chatty/logs')).toMatch(
      / line 450 x+\nOlder lines/,
    );
    expect(await readText(client, 'overseer://tasks')).toBe('No task matches.');
    expect(await readText(client, 'overseer://workflows')).toBe('No workflow run matches.');
    expect(await readText(client, 'overseer://dead-letters')).toBe('No dead letter.');
    await expect(readText(client, 'overseer://processes/nope')).rejects.toThrow(
      /Known processes: web, chatty/,
    );
  });

  it('starts with no daemon to ask, and says in each answer how to start one', async () => {
    const client = await mcpClient(join(tempDir(), 'overseer.sock'));
    expect((await client.listTools()).tools).toHaveLength(READ_TOOLS.length);
    expect((await client.listResources()).resources).toHaveLength(4);
    for (const [tool, args] of [
      ['list_processes', {}],
      ['read_logs', { name: 'web' }],
      ['list_tasks', {}],
      ['list_workflows', {}],
    ] as const) {
      const answer = await call(client, tool, args);
      expect(answer).toMatchObject({
        isError: true,
        text: expect.stringMatching(
          /^no supervisor is running at .*Start one with `overseer up -d`\.$/,
        ),
      });
    }
    await expect(readText(client, 'overseer://processes')).rejects.toThrow(/overseer up -d/);
  });
});

describe('overseer mcp --api', () => {
  it('reads a daemon over TCP with its token, and no answer shows the token', async () => {
    const opened = await openDaemon({
      settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
      processes: {
        leaky: {
          command: [process.execPath, '-e', LEAKY],
          env: { API_TOKEN: TOKEN },
          readiness: { log: '^token ' },
        },
      },
    });
    await opened.daemon.up();
    const target = { host: '127.0.0.1', port: opened.daemon.tcpPort!, token: TOKEN };
    const client = await mcpClient(target, { allowActions: true, secrets: [TOKEN] });

    const logs = await call(client, 'read_logs', { name: 'leaky' });
    expect(logs.text).toMatch(/ leaky stdout token \[redacted\]$/m);
    const answers = [
      logs,
      await call(client, 'list_processes'),
      await call(client, 'inspect_process', { name: 'leaky' }),
      await call(client, 'run_task', { command: 'echo "$API_TOKEN"', env: { API_TOKEN: TOKEN } }),
      await call(client, 'read_logs', { name: 'leaky', grep: TOKEN }),
    ];
    expect(answers.every((answer) => !answer.isError)).toBe(true);
    expect(await readText(client, 'overseer://processes/leaky/logs')).toMatch(/token \[redacted\]/);
    expect(JSON.stringify(answers)).not.toContain(TOKEN);

    const wrong = await mcpClient(
      { ...target, token: `${TOKEN}-wrong` },
      { secrets: [`${TOKEN}-wrong`] },
    );
    expect(await call(wrong, 'list_processes')).toMatchObject({
      isError: true,
      text: expect.stringMatching(/token is wrong/),
    });
  });
});

/** Prints its token, as a careless program does, then idles until SIGTERM. */
const LEAKY =
  "process.on('SIGTERM', () => process.exit(0)); console.log('token ' + process.env.API_TOKEN); setInterval(() => {}, 1 << 30);";

describe('overseer mcp --allow-actions', () => {
  it('restarts (a new pid), stops and starts processes', async () => {
    const { socketPath, daemon } = await stack();
    const client = await mcpClient(socketPath, { allowActions: true });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...ACTION_TOOLS].sort());

    const before = daemon.supervisor.list().find((row) => row.name === 'web')!.pid;
    const restarted = await call(client, 'restart_process', { name: 'web' });
    expect(restarted.isError).toBe(false);
    const pid = Number(/^web \[front\]: running, \w+, pid (\d+)/m.exec(restarted.text)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(before);

    expect((await call(client, 'stop_process', { namespace: 'front' })).text).toMatch(
      /^web \[front\]: stopped/m,
    );
    expect((await call(client, 'start_process', { name: 'web' })).text).toMatch(
      /^web \[front\]: (starting|running)/m,
    );
    expect(await call(client, 'start_process', {})).toMatchObject({
      isError: true,
      text: expect.stringMatching(/either name or namespace/),
    });
    expect(await call(client, 'stop_process', { name: 'nope' })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/Known processes: web, chatty/),
    });
  });

  it('runs a task and waits for its result; lists and gets it', async () => {
    const { socketPath } = await stack();
    const client = await mcpClient(socketPath, { allowActions: true });
    const ran = await call(client, 'run_task', {
      command: 'echo hello from a task',
      name: 'greet',
      wait_seconds: 20,
    });
    expect(ran.isError).toBe(false);
    const id = /^(\S+) greet: succeeded, exit 0/.exec(ran.text)?.[1];
    expect(id).toBeDefined();
    expect(ran.text).toContain('hello from a task');
    expect((await call(client, 'list_tasks', { status: ['succeeded'] })).text).toMatch(
      new RegExp(`^${id} greet: succeeded`, 'm'),
    );
    expect((await call(client, 'get_task', { id })).text).toMatch(
      /"stdout":"hello from a task\\n"/,
    );
    expect(await call(client, 'get_task', { id: 'nope' })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^NOT_FOUND/),
    });
    const going = await call(client, 'run_task', { command: 'sleep 30', wait_seconds: 0 });
    expect(going.text).toMatch(
      /^Task (\S+) is (queued|running) after 0s, and goes on: call get_task with \{"id":"\1"\}/,
    );
    const refused = await call(client, 'run_task', { command: 'true', timeout: 'forever' });
    expect(refused).toMatchObject({ isError: true, text: expect.stringMatching(/timeout/) });
  });

  it('shows workflow runs and dead letters, and retries a letter', async () => {
    const { socketPath, stateDir } = await stack();
    const engine = new Workflows({ store: join(stateDir, 'workflows.db'), workerId: 'engine-mcp' });
    engines.push(engine);
    const quick = {
      attempts: 2,
      backoff: exponentialBackoff({ initialMs: 1, factor: 1, maxMs: 1 }),
    };
    const order = engine.define<{ id: number }, string>('order', async (context, input) => {
      await context.step('reserve', () => `reserved ${input.id}`);
      await context.step(
        'charge',
        () => {
          throw new Error('card declined');
        },
        { retry: quick },
      );
      return 'shipped';
    });
    const failed = await order.start({ id: 1 }, { id: 'order-1' });
    await expect(failed.result()).rejects.toThrow(/card declined/);
    const client = await mcpClient(socketPath, { allowActions: true });

    const runs = await call(client, 'list_workflows', { workflow: 'order', status: ['failed'] });
    expect(runs.text).toMatch(
      /^order-1 order: failed, 1 step done, 2 failures, .* — StepFailedError: .*card declined$/m,
    );
    const run = await call(client, 'get_workflow_run', { id: 'order-1' });
    expect(run.text).toMatch(/"name":"reserve"/);
    const letters = await call(client, 'list_dead_letters', { workflow: 'order' });
    const letter = /^(\S+) run order-1 order, step charge \(#1\) after 2 attempts/m.exec(
      letters.text,
    )?.[1];
    expect(letter).toBeDefined();
    expect(await readText(client, 'overseer://dead-letters')).toContain(letter!);

    const retried = await call(client, 'retry_dead_letter', { id: letter });
    expect(retried.text).toMatch(/^Run order-1 is pending again/);
    expect((await call(client, 'list_dead_letters')).text).toBe('No dead letter.');
    expect(await call(client, 'get_workflow_run', { id: 'nope' })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^NOT_FOUND/),
    });
  });
});
