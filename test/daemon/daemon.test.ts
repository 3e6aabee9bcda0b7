/**
 * The daemon's own routes and `apply`: a changed config starts new processes, restarts
 * changed ones, stops removed ones and leaves the rest running as they were; bad input
 * changes nothing; `/daemon/shutdown` ends everything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../src/core/events.js';
import { lockHolder } from '../../src/daemon/lock.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { PID_FILE } from '../../src/protocol/state-dir.js';
import {
  cleanupAll,
  httpRequest,
  isGone,
  json,
  type OpenDaemon,
  openDaemon,
  recordEvents,
  sleeper,
  waitFor,
  writeConfig,
} from './helpers.js';

afterEach(cleanupAll);

/** keep, change and drop, all running. */
async function runningStack(): Promise<OpenDaemon & { pids: Record<string, number> }> {
  const opened = await openDaemon({
    name: 'demo',
    processes: { keep: sleeper(), change: sleeper({ COLOUR: 'red' }), drop: sleeper() },
  });
  await opened.daemon.up();
  const pids = Object.fromEntries(
    opened.daemon.supervisor.list().map((info) => [info.name, info.pid!]),
  );
  return { ...opened, pids };
}

/** keep as it was, change with a new env, drop gone, add new. */
function writeNextConfig(dir: string): void {
  writeConfig(dir, {
    name: 'demo',
    processes: { keep: sleeper(), change: sleeper({ COLOUR: 'blue' }), add: sleeper() },
  });
}

function rows(opened: OpenDaemon) {
  return opened.daemon.supervisor.list().map(({ name, status, pid }) => ({ name, status, pid }));
}

async function expectApplied(
  opened: OpenDaemon,
  pids: Record<string, number>,
  events: readonly SupervisorEvent[],
): Promise<void> {
  const { supervisor } = opened.daemon;
  await waitFor(
    () => supervisor.list().every((info) => info.status === 'running'),
    5_000,
    'the new and changed processes to run',
  );
  expect(supervisor.list().map((info) => info.name)).toEqual(['keep', 'change', 'add']);
  // Untouched: same run, same pid, not a single event about it.
  expect(supervisor.get('keep')).toMatchObject({ pid: pids.keep, restarts: 0 });
  expect(supervisor.get('keep').runs).toHaveLength(1);
  expect(events.filter((event) => 'name' in event && event.name === 'keep')).toEqual([]);
  // Changed: a new run of the new definition; the old one ended.
  const change = supervisor.get('change');
  expect(change.pid).not.toBe(pids.change);
  expect(change.spec.env).toMatchObject({ COLOUR: 'blue' });
  expect(isGone(pids.change!)).toBe(true);
  // Removed: stopped and forgotten.
  expect(isGone(pids.drop!)).toBe(true);
  expect(() => supervisor.get('drop')).toThrow('no process named drop');
  // Added: running.
  expect(supervisor.get('add').pid).toEqual(expect.any(Number));
  // Announced once, by declared name.
  expect(events.filter((event) => event.type.startsWith('config:'))).toEqual([
    {
      type: 'config:applied',
      at: expect.any(Number),
      added: ['add'],
      changed: ['change'],
      removed: ['drop'],
    },
  ]);
}

/** The one event an apply that changed nothing announces. */
const APPLIED_NOTHING = {
  type: 'config:applied',
  at: expect.any(Number),
  added: [],
  changed: [],
  removed: [],
};

describe('Daemon.apply', () => {
  it('starts new processes, restarts changed ones, stops removed ones, leaves the rest', async () => {
    const opened = await runningStack();
    const events = recordEvents(opened.daemon.supervisor);
    writeNextConfig(opened.dir);

    const result = await opened.daemon.apply();

    expect(result).toEqual({ started: ['add'], restarted: ['change'], removed: ['drop'] });
    await expectApplied(opened, opened.pids, events);
  });

  it('does the same through POST /daemon/apply', async () => {
    const opened = await runningStack();
    const events = recordEvents(opened.daemon.supervisor);
    writeNextConfig(opened.dir);

    const response = await httpRequest({ socketPath: opened.socketPath }, 'POST', '/daemon/apply', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ started: ['add'], restarted: ['change'], removed: ['drop'] });
    await expectApplied(opened, opened.pids, events);
  });

  it("does the same through the client's apply()", async () => {
    const opened = await runningStack();
    const events = recordEvents(opened.daemon.supervisor);
    writeNextConfig(opened.dir);

    const result = await new HttpSupervisorClient({ socketPath: opened.socketPath }).apply();

    expect(result).toEqual({ started: ['add'], restarted: ['change'], removed: ['drop'] });
    await expectApplied(opened, opened.pids, events);
  });

  it('changes nothing for a config that did not change', async () => {
    const opened = await runningStack();
    const before = rows(opened);
    const events = recordEvents(opened.daemon.supervisor);

    const result = await opened.daemon.apply();

    expect(result).toEqual({ started: [], restarted: [], removed: [] });
    expect(rows(opened)).toEqual(before);
    expect(events).toEqual([APPLIED_NOTHING]);
  });

  it('changes nothing for a config that only writes its keys in another order', async () => {
    const opened = await openDaemon({
      name: 'demo',
      processes: { keep: sleeper({ FIRST: '1', SECOND: '2' }) },
    });
    await opened.daemon.up();
    const before = rows(opened);
    const events = recordEvents(opened.daemon.supervisor);
    const { command, readiness } = sleeper();
    writeConfig(opened.dir, {
      processes: { keep: { env: { SECOND: '2', FIRST: '1' }, readiness, command } },
      name: 'demo',
    });

    const result = await opened.daemon.apply();

    expect(result).toEqual({ started: [], restarted: [], removed: [] });
    expect(rows(opened)).toEqual(before);
    expect(events).toEqual([APPLIED_NOTHING]);
  });

  it('restarts every process under a changed sandbox, which then applies', async () => {
    const sandboxed = (sandbox: object) => ({
      name: 'demo',
      settings: { sandbox: { allowed_commands: [process.execPath], ...sandbox } },
      processes: { one: sleeper(), two: sleeper() },
    });
    const opened = await openDaemon(sandboxed({}));
    await opened.daemon.up();
    expect(rows(opened).map((row) => row.status)).toEqual(['running', 'running']);

    writeConfig(opened.dir, sandboxed({ env: { inherit: false, pass: ['PATH'] } }));
    const result = await opened.daemon.apply();

    expect(result).toEqual({ started: [], restarted: ['one', 'two'], removed: [] });
    const { supervisor } = opened.daemon;
    await waitFor(
      () => supervisor.list().every((info) => info.status === 'running'),
      5_000,
      'both processes to run again under the new sandbox',
    );
    for (const name of ['one', 'two']) {
      expect(supervisor.get(name)?.spec.sandbox?.env).toEqual({ inherit: false, pass: ['PATH'] });
    }
  });

  it('refuses a sandbox that no longer allows the running commands at apply, changing nothing', async () => {
    const allowing = (command: string) => ({
      name: 'demo',
      settings: { sandbox: { allowed_commands: [command] } },
      processes: { one: sleeper(), two: sleeper() },
    });
    const opened = await openDaemon(allowing(process.execPath));
    await opened.daemon.up();
    const before = rows(opened);

    writeConfig(opened.dir, allowing('/bin/true'));
    const refused = await opened.daemon.apply().then(
      () => undefined,
      (error: unknown) => error as { code: string; issues: Array<{ path: string }> },
    );

    // Known when the config is loaded, so said then, for both, rather than at each spawn.
    expect(refused?.code).toBe('INVALID_SPEC');
    expect(refused?.issues.map((issue) => issue.path)).toEqual([
      'processes.one.command.0',
      'processes.two.command.0',
    ]);
    expect(rows(opened)).toEqual(before);
  });

  it('answers 400 with every issue for a config that no longer loads, changing nothing', async () => {
    const opened = await runningStack();
    const before = rows(opened);
    const events = recordEvents(opened.daemon.supervisor);
    writeConfig(opened.dir, {
      processes: { keep: { ...sleeper(), restart: { max_restarts: -1 } }, add: sleeper() },
    });

    const response = await httpRequest({ socketPath: opened.socketPath }, 'POST', '/daemon/apply', {
      body: '{}',
    });

    expect(response.status).toBe(400);
    const body = json(response) as { error: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringContaining('processes.keep.restart.max_restarts'),
      issues: [expect.objectContaining({ path: 'processes.keep.restart.max_restarts' })],
    });
    expect(rows(opened)).toEqual(before);
    expect(events).toEqual([
      {
        type: 'config:rejected',
        at: expect.any(Number),
        issues: [
          { path: 'processes.keep.restart.max_restarts', message: expect.stringMatching(/^line/) },
        ],
      },
    ]);
    expect((await opened.daemon.status()).configRejected?.issues).toHaveLength(1);
  });

  it('answers 404 for a name the config does not declare, changing nothing', async () => {
    const opened = await runningStack();
    const before = rows(opened);
    writeNextConfig(opened.dir);

    const response = await httpRequest({ socketPath: opened.socketPath }, 'POST', '/daemon/apply', {
      body: JSON.stringify({ names: ['drop'] }),
    });

    expect(response.status).toBe(404);
    expect(json(response)).toEqual({
      error: { code: 'UNKNOWN_PROCESS', message: `no process named drop in ${opened.configPath}` },
    });
    expect(rows(opened)).toEqual(before);
  });

  it.each([
    ['names that are not a list', '{"names":"keep"}', 'names: expected an array of process names'],
    ['names that are not strings', '{"names":[1]}', 'names: expected an array of process names'],
    ['a body that is not JSON', '{"names": [', 'the body is not JSON'],
    ['a JSON null', 'null', 'expected a JSON object'],
    ['a JSON list', '["keep"]', 'expected a JSON object'],
  ])('answers 400 BAD_REQUEST to %s, changing nothing', async (_what, body, message) => {
    const opened = await runningStack();
    const before = rows(opened);
    writeNextConfig(opened.dir);

    const response = await httpRequest({ socketPath: opened.socketPath }, 'POST', '/daemon/apply', {
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(response.status).toBe(400);
    expect(json(response)).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining(message) },
    });
    expect(rows(opened)).toEqual(before);
  });

  it('takes an empty body as no names', async () => {
    const opened = await runningStack();
    writeNextConfig(opened.dir);

    const response = await httpRequest({ socketPath: opened.socketPath }, 'POST', '/daemon/apply');

    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ started: ['add'], restarted: ['change'], removed: ['drop'] });
    await waitFor(
      () => opened.daemon.supervisor.list().every((info) => info.status === 'running'),
      5_000,
      'the new processes to run',
    );
  });
});

describe('GET /daemon', () => {
  it('answers the health of the stack plus the project and its config', async () => {
    const opened = await runningStack();

    const response = await httpRequest({ socketPath: opened.socketPath }, 'GET', '/daemon');

    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({
      status: 'ok',
      pid: process.pid,
      uptimeMs: expect.any(Number),
      counts: { running: 3 },
      project: 'demo',
      configPath: opened.configPath,
    });
    const status = await new HttpSupervisorClient({ socketPath: opened.socketPath }).status();
    expect(status).toMatchObject({ project: 'demo', configPath: opened.configPath });
  });

  it('is what the daemon itself answers to DaemonControl.status(), as the client does', async () => {
    const opened = await runningStack();
    const client = new HttpSupervisorClient({ socketPath: opened.socketPath });

    const [local, remote] = await Promise.all([opened.daemon.status(), client.status()]);

    const { uptimeMs: localUptime, ...localRest } = local;
    const { uptimeMs: remoteUptime, ...remoteRest } = remote;
    expect(remoteRest).toEqual(localRest);
    expect(Math.abs(remoteUptime - localUptime)).toBeLessThan(5_000);
  });
});

describe('POST /daemon/shutdown', () => {
  it('stops every process, answers, then closes the socket and lets go of the lock', async () => {
    const opened = await runningStack();
    const client = new HttpSupervisorClient({ socketPath: opened.socketPath });

    await client.shutdown();

    for (const pid of Object.values(opened.pids)) expect(isGone(pid)).toBe(true);
    await opened.daemon.closed;
    expect(existsSync(opened.socketPath)).toBe(false);
    expect(existsSync(join(opened.stateDir, PID_FILE))).toBe(false);
    expect(lockHolder(opened.stateDir)).toBeUndefined();
    await expect(client.list()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `no supervisor is running at ${opened.socketPath}`,
    });
  });

  it('answers 503 SHUT_DOWN to a request that races it', async () => {
    const opened = await runningStack();
    await opened.daemon.supervisor.shutdown();

    const response = await httpRequest(
      { socketPath: opened.socketPath },
      'POST',
      '/processes/keep/start',
    );

    expect(response.status).toBe(503);
    expect(json(response)).toEqual({
      error: { code: 'SHUT_DOWN', message: 'the supervisor has shut down' },
    });
  });
});
