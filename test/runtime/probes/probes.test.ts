/**
 * Probes against real children: readiness gates `running` (exec, tcp), and a liveness probe
 * that turns bad restarts the process.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createSupervisor,
  describeEvents,
  fixture,
  freePort,
  isEvent,
  isGone,
  recordEvents,
  tempDir,
  waitFor,
  waitForEvent,
} from '../helpers.js';

afterEach(cleanup);

describe('readiness', () => {
  it('keeps a process starting until its exec probe passes', async () => {
    const dir = tempDir();
    const flag = join(dir, 'ready.flag');
    const attempts = join(dir, 'attempts');
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'svc',
      command: fixture('sleeper.mjs'),
      // Each probe run leaves a line in `attempts`: a visible sign that it ran and failed.
      readiness: { exec: `echo x >> '${attempts}'; test -f '${flag}'`, interval: '50ms' },
    });
    const events = recordEvents(supervisor);
    const up = supervisor.up();
    await waitFor(() => probeRuns(attempts) >= 3, 5_000, 'three probe runs');
    expect(supervisor.get('svc').status).toBe('starting');
    expect(events.some(isEvent('process:ready'))).toBe(false);

    writeFileSync(flag, '');
    const [info] = await up;

    expect(info).toMatchObject({ status: 'running', health: 'healthy' });
    expect(describeEvents(events, ['process:started', 'process:ready'])).toEqual([
      'process:started svc',
      'process:ready svc',
    ]);
  });

  it('becomes running once a tcp probe connects', async () => {
    const port = await freePort();
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'web',
      command: fixture('http-server.mjs', port, 200),
      readiness: { tcp: `127.0.0.1:${port}`, interval: '50ms' },
    });

    const [info] = await supervisor.up();

    expect(info).toMatchObject({ status: 'running', health: 'healthy' });
  });
});

describe('liveness', () => {
  it('restarts a process whose liveness probe turns bad', async () => {
    const port = await freePort();
    const sickFile = join(tempDir(), 'sick');
    const url = `http://127.0.0.1:${port}/health`;
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'web',
      command: fixture('http-server.mjs', port, 0, sickFile),
      readiness: { http: url, interval: '50ms' },
      liveness: { http: url, interval: '100ms', failure_threshold: 2 },
      restart: { delay: '10ms', min_uptime: '100ms' },
    });
    try {
      const [first] = await supervisor.up();
      expect(first).toMatchObject({ status: 'running', health: 'healthy', restarts: 0 });
      const events = recordEvents(supervisor);

      const restarted = waitForEvent(supervisor, isEvent('process:restarted', 'web'));
      writeFileSync(sickFile, 'sick');
      const { pid } = await restarted;
      rmSync(sickFile);

      const order = describeEvents(events, ['process:exit', 'process:restarted']);
      expect(order.slice(0, 2)).toEqual(['process:exit web', 'process:restarted web']);
      // Ended by the supervisor with its stop signal, not by a crash.
      expect(events.find(isEvent('process:exit', 'web'))).toMatchObject({ signal: null, code: 0 });
      expect(pid).not.toBe(first!.pid);
      expect(isGone(first!.pid!)).toBe(true);
      const info = await waitFor(
        () => {
          const now = supervisor.get('web');
          return now.status === 'running' && now.health === 'healthy' ? now : undefined;
        },
        5_000,
        'web running again',
      );
      expect(info.restarts).toBeGreaterThanOrEqual(1);
      expect(info.pid).toBe(pid);
    } finally {
      rmSync(sickFile, { force: true });
    }
  });
});

/** How many times the exec probe ran (one line each), 0 before its first run. */
function probeRuns(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}
