/**
 * How a run ends decides where a process goes: an accepted exit code completes it, a bad one
 * under policy `never` fails it, and a child that cannot even be spawned fails with a
 * `spawn error:` reason.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createSupervisor,
  fixture,
  isEvent,
  recordEvents,
  tempDir,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

describe('exit codes', () => {
  it('fails a service that exits with code 3 under policy never', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'svc',
      command: fixture('exit-with.mjs', 3),
      restart: { policy: 'never' },
    });
    const events = recordEvents(supervisor);

    await supervisor.up();
    const [info] = await waitForSettled(supervisor);

    expect(info).toMatchObject({
      name: 'svc',
      status: 'failed',
      reason: 'exited with code 3',
      exitCode: 3,
      pid: null,
    });
    expect(events.filter(isEvent('process:failed'))).toEqual([
      expect.objectContaining({ name: 'svc', reason: 'exited with code 3' }),
    ]);
    expect(supervisor.get('svc').runs).toEqual([
      expect.objectContaining({ exitCode: 3, signal: null, killedAfterTimeout: false }),
    ]);
  });

  it('completes a job that exits 0', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'job', kind: 'job', command: fixture('exit-with.mjs', 0) });
    const events = recordEvents(supervisor);

    await supervisor.up();
    const [info] = await waitForSettled(supervisor);

    expect(info).toMatchObject({ status: 'completed', exitCode: 0, reason: null, kind: 'job' });
    expect(events.filter(isEvent('process:completed'))).toEqual([
      expect.objectContaining({ name: 'job', code: 0 }),
    ]);
    expect(events.some(isEvent('process:restarted'))).toBe(false);
  });

  it('fails a job that exits 1', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'job', kind: 'job', command: fixture('exit-with.mjs', 1) });

    await supervisor.up();
    const [info] = await waitForSettled(supervisor);

    expect(info).toMatchObject({ status: 'failed', exitCode: 1, reason: 'exited with code 1' });
    expect(info!.restarts).toBe(0);
  });
});

describe('spawn errors', () => {
  it('fails with a spawn error when cwd does not exist', async () => {
    const missing = join(tempDir(), 'no-such-folder');
    const supervisor = createSupervisor();
    supervisor.add({ name: 'lost', command: fixture('sleeper.mjs'), cwd: missing });

    const [info] = await supervisor.up();

    expect(info!.status).toBe('failed');
    expect(info!.reason).toMatch(/^spawn error: /);
    expect(info!.reason).toContain(missing);
    expect(info!.pid).toBeNull();
  });

  it('fails with a spawn error when an array command names a program that does not exist', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'ghost', command: ['/nonexistent/overseer-no-such-program', '--flag'] });
    const events = recordEvents(supervisor);

    const [info] = await supervisor.up();

    expect(info!.status).toBe('failed');
    expect(info!.reason).toMatch(/^spawn error: .*ENOENT/);
    // Never spawned, so never started: no pid was ever reported.
    expect(events.some(isEvent('process:started'))).toBe(false);
    expect(supervisor.get('ghost').runs).toEqual([]);
  });

  // Regression: a child that never spawned emits no 'exit', and shutdown() waited for it forever.
  it('shuts down promptly after a spawn error', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'ghost', command: ['/nonexistent/overseer-no-such-program'] });
    await supervisor.up();

    const shutdown = supervisor.shutdown().then(() => 'done' as const);
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2_000));

    expect(await Promise.race([shutdown, timeout])).toBe('done');
  });

  it('fails with a spawn error when env_file cannot be read', async () => {
    const supervisor = createSupervisor({ cwd: tempDir() });
    supervisor.add({ name: 'envless', command: fixture('sleeper.mjs'), env_file: 'missing.env' });

    const [info] = await supervisor.up();

    expect(info!.status).toBe('failed');
    expect(info!.reason).toMatch(/^spawn error: env_file .*missing\.env cannot be read/);
  });

  it('can start a process again after a spawn error once the cause is fixed', async () => {
    const dir = tempDir();
    const supervisor = createSupervisor({ cwd: dir });
    supervisor.add({
      name: 'job',
      kind: 'job',
      command: fixture('print-env.mjs', 'FROM_FILE'),
      env_file: '.env',
    });
    expect((await supervisor.up())[0]!.status).toBe('failed');

    writeFileSync(join(dir, '.env'), 'FROM_FILE=hello\n');
    await supervisor.start('job');
    const [info] = await waitForSettled(supervisor);

    expect(info!.status).toBe('completed');
    expect(supervisor.logs('job').map((line) => line.text)).toEqual(['FROM_FILE=hello']);
  });
});
