/**
 * The supervisor's own log: JSON lines in `<state_dir>/overseer.log`, each with its
 * category, written from each category's level.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { categoryLevels } from '../../src/core/logging.js';
import { logEvent, openSupervisorLog, uniformLevels } from '../../src/daemon/supervisor-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ROTATION = { maxSize: 1024 * 1024, maxFiles: 2 };

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-log-'));
  dirs.push(dir);
  return dir;
}

function recordsIn(dir: string) {
  return readFileSync(join(dir, 'overseer.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('openSupervisorLog', () => {
  it('writes JSON lines with time, level, category and the event fields', async () => {
    const dir = tempDir();
    const levels = categoryLevels({ level: 'info', categories: 'all' }, { OVERSEER_DEBUG: 'api' });
    const log = openSupervisorLog(dir, ROTATION, levels);
    logEvent(log, { type: 'process:failed', name: 'api', at: 1, reason: 'crash loop' });
    logEvent(log, { type: 'supervisor:started', at: 1, pid: 42 });
    log.for('api').debug({ path: '/health' }, 'request');
    log.for('store').debug({}, 'not written: store is at info');
    await log.close();

    const lines = recordsIn(dir);
    expect(lines).toMatchObject([
      {
        level: 'warn',
        category: 'process',
        name: 'api',
        reason: 'crash loop',
        msg: 'process:failed',
      },
      { level: 'info', category: 'supervisor', pid: 42, msg: 'supervisor:started' },
      { level: 'debug', category: 'api', path: '/health', msg: 'request' },
    ]);
    expect(lines).toHaveLength(3);
    expect(new Date(lines[0].time).getTime()).toBeGreaterThan(0);
  });

  it('logs each event under what it is about', async () => {
    const dir = tempDir();
    const log = openSupervisorLog(dir, ROTATION, uniformLevels('info'));
    const at = 1;
    logEvent(log, { type: 'process:health', name: 'api', at, from: 'healthy', to: 'unhealthy' });
    logEvent(log, { type: 'process:starting', name: 'api', at, reason: 'readiness: refused' });
    logEvent(log, {
      type: 'process:limit',
      name: 'api',
      at,
      resource: 'memory',
      value: 2,
      limit: 1,
      action: 'restart',
      severity: 'critical',
      suppressed: 0,
      reason: 'memory over',
    });
    logEvent(log, { type: 'process:failed', name: 'api', at, reason: 'sandbox: not allowed' });
    logEvent(log, {
      type: 'process:scheduled',
      name: 'job',
      at,
      nextRunAt: 2,
      reason: 'next run at 00:00:00',
    });
    logEvent(log, { type: 'config:applied', at, added: ['web'], changed: [], removed: [] });
    // Not here: the daemon writes a rejected config's warning itself, in words, once.
    logEvent(log, { type: 'config:rejected', at, issues: [{ path: 'version', message: 'x' }] });
    logEvent(log, { type: 'process:started', name: 'api', at, pid: 7 });
    await log.close();

    expect(recordsIn(dir).map(({ category, level, msg }) => `${category} ${level} ${msg}`)).toEqual(
      [
        'probe warn process:health',
        'probe warn process:starting',
        'limits warn process:limit',
        'sandbox warn process:failed',
        'schedule info process:scheduled',
        'config info config:applied',
        'process info process:started',
      ],
    );
  });

  it('takes new levels for the loggers it already gave out (a config applied again)', async () => {
    const dir = tempDir();
    const log = openSupervisorLog(dir, ROTATION, uniformLevels('info'));
    const probe = log.for('probe');
    probe.debug({}, 'before: not written');
    log.setLevels({ ...uniformLevels('info'), probe: 'debug' });
    probe.debug({}, 'after: written');
    await log.close();

    expect(recordsIn(dir).map((record) => record.msg)).toEqual(['after: written']);
  });

  it('the JSON log lines carry one pid: the event’s, the supervisor’s as supervisorPid', async () => {
    const dir = tempDir();
    const log = openSupervisorLog(dir, ROTATION, uniformLevels('info'));
    logEvent(log, { type: 'process:started', name: 'api', at: 1, pid: 4242 });
    await log.close();
    const text = readFileSync(join(dir, 'overseer.log'), 'utf8').trim();

    // A JSON reader keeps the last of two equal keys: both must survive as distinct ones.
    expect(text.match(/"pid":/g)).toHaveLength(1);
    expect(JSON.parse(text)).toMatchObject({
      msg: 'process:started',
      pid: 4242,
      supervisorPid: process.pid,
    });
  });
});
