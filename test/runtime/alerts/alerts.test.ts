/**
 * The alert dispatcher against the real thing: a webhook receiver on 127.0.0.1 that fails,
 * hangs and recovers, a command that reads its stdin, a real supervisor whose process
 * fails, a real circuit breaker that opens. Each test waits on the receiver's requests or
 * the dispatcher's `idle()`, never on a sleep.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../src/core/workflows/events.js';
import { BreakerRegistry } from '../../../src/resilience/breaker-registry.js';
import { circuitBreaker } from '../../../src/resilience/circuit-breaker.js';
import { Alerts, type AlertsOptions } from '../../../src/runtime/alerts/alerts.js';
import { cleanup, createSupervisor, isGone, tempDir, waitFor } from '../helpers.js';
import { Receiver } from './receiver.js';

const receivers: Receiver[] = [];
const dispatchers: Alerts[] = [];

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((alerts) => alerts.close(100)));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await cleanup();
});

async function receiver(): Promise<Receiver> {
  const made = await new Receiver().listen();
  receivers.push(made);
  return made;
}

/** What the dispatcher logged, by level. */
function recordingLog() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const write = (level: string) => (fields: object, message: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, log: { warn: write('warn'), error: write('error') } };
}

function alerts(options: AlertsOptions): Alerts {
  const made = new Alerts(options);
  dispatchers.push(made);
  return made;
}

const failure = (process: string) =>
  ({
    kind: 'failed',
    process,
    namespace: 'default',
    severity: 'critical',
    message: `${process} failed: exited with code 1`,
    event: { type: 'process:failed', name: process },
  }) as const;

describe('webhook', () => {
  it('POSTs the alert as JSON with its headers', async () => {
    const hook = await receiver();
    const dispatcher = alerts({
      webhook: hook.url,
      headers: { authorization: 'Bearer secret' },
      project: 'shop',
    });
    dispatcher.notify({ ...failure('api'), at: Date.UTC(2026, 0, 1) });
    const request = await hook.request(1);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer secret');
    expect(request.json).toEqual({
      kind: 'failed',
      process: 'api',
      namespace: 'default',
      project: 'shop',
      severity: 'critical',
      message: 'api failed: exited with code 1',
      at: '2026-01-01T00:00:00.000Z',
      heldBack: 0,
      notSent: 0,
      event: { type: 'process:failed', name: 'api' },
    });
  });

  it('retries a 500, then is delivered', async () => {
    const hook = await receiver();
    hook.answers.push(500);
    const dispatcher = alerts({ webhook: hook.url });
    dispatcher.notify(failure('api'));
    const [first, second] = await Promise.all([hook.request(1), hook.request(2)]);
    expect(second.json).toEqual(first.json);
    await dispatcher.idle();
    expect(dispatcher.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('times out a receiver that hangs, and tries again', async () => {
    const hook = await receiver();
    hook.answers.push('hang');
    const dispatcher = alerts({ webhook: hook.url, timeoutMs: 300 });
    dispatcher.notify(failure('api'));
    await hook.request(2);
    await dispatcher.idle();
    expect(dispatcher.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('does not retry a 404, and logs the failure under its target', async () => {
    const hook = await receiver();
    hook.answers.push(404);
    const { lines, log } = recordingLog();
    const dispatcher = alerts({ webhook: hook.url, log });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    expect(hook.requests).toHaveLength(1);
    expect(dispatcher.stats()).toMatchObject({ sent: 0, failed: 1 });
    expect(lines).toEqual([
      {
        level: 'error',
        fields: {
          target: 'webhook',
          kind: 'failed',
          process: 'api',
          tries: 1,
          error: 'answered 404 Not Found',
        },
        message: 'could not deliver an alert (webhook)',
      },
    ]);
  });

  it('gives up once its retries are spent', async () => {
    const hook = await receiver();
    hook.answers.push(503, 503);
    const { lines, log } = recordingLog();
    const dispatcher = alerts({ webhook: hook.url, retries: 1, log });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    expect(hook.requests).toHaveLength(2);
    expect(lines.map((line) => line.fields.tries)).toEqual([2]);
  });

  it('holds back alerts of one process within the cooldown, and says them when it ends', async () => {
    const hook = await receiver();
    const dispatcher = alerts({ webhook: hook.url, cooldownMs: 60_000 });
    for (let i = 0; i < 3; i += 1) dispatcher.notify(failure('api'));
    dispatcher.notify(failure('db'));
    await dispatcher.idle();
    expect(hook.requests.map((request) => request.json.process)).toEqual(['api', 'db']);
    expect(dispatcher.stats()).toMatchObject({ sent: 2, heldBack: 2 });
    // The shutdown sends the last one held back, saying how many others were.
    await dispatcher.close();
    expect(hook.requests.map((r) => [r.json.process, r.json.heldBack])).toEqual([
      ['api', 0],
      ['db', 0],
      ['api', 1],
    ]);
  });

  // Regression: a flush timer that fired before the clock said the cooldown was over left
  // the alert it held behind until the shutdown.
  it('sends what the cooldown held back once it ends, even when its timer fires early', async () => {
    const hook = await receiver();
    let now = 1_000_000;
    let reads = 0;
    const clock = () => {
      reads += 1;
      return now;
    };
    const dispatcher = alerts({ webhook: hook.url, cooldownMs: 20, clock });
    dispatcher.notify(failure('api'));
    dispatcher.notify(failure('api'));
    await hook.request(1);
    await waitFor(() => dispatcher.stats().heldBack === 1, 5_000, 'one held back');
    // The flush timer fires (20 ms of real time) and reads the clock, which says no time went by.
    const before = reads;
    await waitFor(() => reads > before, 5_000, 'the flush timer to read the clock');
    expect(hook.requests).toHaveLength(1);
    now += 20;
    const held = await hook.request(2);
    expect(held.json).toMatchObject({ process: 'api', heldBack: 0 });
  });

  it('sends what the cooldown held back once it ends, with a clock it is handed', async () => {
    const hook = await receiver();
    let now = 1_000_000;
    const dispatcher = alerts({ webhook: hook.url, cooldownMs: 50, clock: () => now });
    dispatcher.notify(failure('api'));
    dispatcher.notify(failure('api'));
    await hook.request(1);
    now += 50;
    const held = await hook.request(2);
    expect(held.json).toMatchObject({ process: 'api', heldBack: 0 });
  });

  it('gives up the oldest alerts of a full queue, and the next one sent says how many', async () => {
    const hook = await receiver();
    hook.answers.push('hang', 'hang', 'hang', 'hang');
    const { lines, log } = recordingLog();
    const dispatcher = alerts({ webhook: hook.url, maxQueued: 2, log });
    // Four in flight, each hanging: no free hand is left.
    for (let i = 0; i < 4; i += 1) dispatcher.notify(failure(`p${i}`));
    await hook.request(4);
    // Six more, room for two: the four oldest give way.
    for (let i = 4; i < 10; i += 1) dispatcher.notify(failure(`p${i}`));
    await waitFor(() => dispatcher.stats().notSent === 4, 5_000, 'four given up');
    hook.release();
    const next = await hook.request(5);
    expect(next.json).toMatchObject({ process: 'p8', notSent: 4 });
    await dispatcher.idle();
    expect(hook.requests.map((request) => request.json.process)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p8',
      'p9',
    ]);
    expect(dispatcher.stats()).toMatchObject({ sent: 6, notSent: 4 });
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('gives what is pending a bounded grace at close, and says what it gave up', async () => {
    const hook = await receiver();
    hook.answers.push('hang');
    const { lines, log } = recordingLog();
    const dispatcher = alerts({ webhook: hook.url, timeoutMs: 60_000, log });
    dispatcher.notify(failure('api'));
    await hook.request(1);
    await dispatcher.close(200);
    expect(lines.map((line) => [line.level, line.message])).toContainEqual([
      'warn',
      'alerts not sent before the shutdown grace ended',
    ]);
    expect(hook.requests).toHaveLength(1);
  });
});

describe('command', () => {
  it('runs with the JSON on stdin and OVERSEER_ALERT_* set, retried on a non-zero exit', async () => {
    const dir = tempDir();
    const script = join(dir, 'notify.sh');
    // Fails its first run, then writes what it was given.
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'if [ ! -e tried ]; then touch tried; echo "not yet" >&2; exit 1; fi',
        'cat > alert.json',
        'echo "$OVERSEER_ALERT_KIND $OVERSEER_ALERT_PROCESS $OVERSEER_ALERT_SEVERITY" > env.txt',
      ].join('\n'),
      { mode: 0o755 },
    );
    const dispatcher = alerts({ command: './notify.sh', cwd: dir, project: 'shop' });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    expect(JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8'))).toMatchObject({
      kind: 'failed',
      process: 'api',
      project: 'shop',
    });
    expect(readFileSync(join(dir, 'env.txt'), 'utf8')).toBe('failed api critical\n');
    expect(dispatcher.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('kills the whole group of a command past its timeout', async () => {
    const dir = tempDir();
    const { lines, log } = recordingLog();
    const dispatcher = alerts({
      command: 'sleep 60 & echo $! > sleeper.pid; wait',
      cwd: dir,
      timeoutMs: 300,
      retries: 0,
      log,
    });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    const sleeper = Number(readFileSync(join(dir, 'sleeper.pid'), 'utf8'));
    await waitFor(() => isGone(sleeper), 5_000, 'the sleeper gone');
    expect(lines.map((line) => line.fields.error)).toEqual(['killed after 300ms']);
    expect(existsSync(join(dir, 'sleeper.pid'))).toBe(true);
  });
  it('regression: what a command left running in the background outlived it', async () => {
    const dir = tempDir();
    const dispatcher = alerts({ command: 'sleep 60 & echo $! > sleeper.pid', cwd: dir });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    expect(dispatcher.stats()).toMatchObject({ sent: 1, failed: 0 });
    const sleeper = Number(readFileSync(join(dir, 'sleeper.pid'), 'utf8'));
    await waitFor(() => isGone(sleeper), 5_000, 'the background sleeper gone');
  });
});

describe('regressions', () => {
  it('an upper-case HTTPS:// webhook is tried over TLS and fails as a try, never crashing the process', async () => {
    const hook = await receiver();
    const { lines, log } = recordingLog();
    const dispatcher = alerts({
      webhook: hook.url.replace('http://', 'HTTPS://'),
      retries: 0,
      log,
    });
    dispatcher.notify(failure('api'));
    await dispatcher.idle();
    // The receiver speaks plain HTTP: the TLS handshake fails, reported like any failure.
    expect(dispatcher.stats()).toMatchObject({ sent: 0, failed: 1 });
    expect(lines).toHaveLength(1);
  });

  it('a header value with a line break is refused when the alerts are made, without its value', () => {
    expect(
      () => new Alerts({ webhook: 'http://127.0.0.1:1/x', headers: { authorization: 'tok\r' } }),
    ).toThrow('alerts.headers.authorization: the value of authorization holds a line break or NUL');
  });
});

describe('sources', () => {
  it('alerts when a supervised process fails, with its namespace', async () => {
    const hook = await receiver();
    const supervisor = createSupervisor();
    const dispatcher = alerts({ webhook: hook.url });
    dispatcher.watch(supervisor);
    supervisor.add({
      name: 'crashy',
      namespace: 'jobs',
      command: 'exit 3',
      restart: { policy: 'always', max_restarts: 1, delay: '10ms', min_uptime: '1s' },
    });
    await supervisor.up();
    const request = await hook.request(1);
    expect(request.json).toMatchObject({
      kind: 'failed',
      process: 'crashy',
      namespace: 'jobs',
      severity: 'critical',
    });
    expect(request.json.message).toMatch(/^crashy failed: /);
  });

  it('alerts when a breaker of a registry opens, one added after the watch began too', async () => {
    const hook = await receiver();
    const registry = new BreakerRegistry();
    const dispatcher = alerts({ webhook: hook.url, on: ['breaker'] });
    dispatcher.watchBreakers(registry);
    const breaker = registry.add(
      circuitBreaker({ name: 'payments', opensAfter: { consecutive: 1 }, halfOpenAfter: '1m' }),
    );
    await expect(
      breaker.execute(() => Promise.reject(new Error('connection refused'))),
    ).rejects.toThrow('connection refused');
    const request = await hook.request(1);
    expect(request.json).toMatchObject({ kind: 'breaker', process: 'payments' });
    expect(request.json.message).toMatch(
      /^circuit breaker payments opened until .*: connection refused$/,
    );
  });

  it('alerts on a dead-lettered workflow run, and on no other workflow event', async () => {
    const hook = await receiver();
    const dispatcher = alerts({ webhook: hook.url, project: 'shop' });
    const listeners: Array<(event: WorkflowEvent) => void> = [];
    dispatcher.watchWorkflows({
      subscribe: (listener) => {
        listeners.push(listener);
        return () => {};
      },
    });
    const tell = (event: WorkflowEvent) => {
      for (const listener of listeners) listener(event);
    };
    tell({ type: 'workflow:completed', runId: 'r0', workflow: 'billing' });
    tell({
      type: 'workflow:dead-lettered',
      runId: 'r1',
      workflow: 'billing',
      letter: {
        step: 'charge',
        stepIndex: 1,
        attempts: 3,
        error: { name: 'Error', message: 'declined' },
      },
    });
    await dispatcher.idle();
    expect(hook.requests.map((request) => request.json)).toMatchObject([
      {
        kind: 'dead_letter',
        process: 'billing',
        project: 'shop',
        event: { type: 'workflow:dead-lettered', runId: 'r1' },
      },
    ]);
  });

  it('sends only the kinds it is told to', async () => {
    const hook = await receiver();
    const dispatcher = alerts({ webhook: hook.url, on: ['limit'] });
    dispatcher.notify(failure('api'));
    dispatcher.notify({ ...failure('api'), kind: 'limit' });
    await dispatcher.idle();
    expect(hook.requests.map((request) => request.json.kind)).toEqual(['limit']);
  });

  it('refuses options with nowhere to send', () => {
    expect(() => new Alerts({})).toThrow('alerts: expected a command or a webhook (or both)');
  });
});
