/**
 * The supervisor's own log: levels and categories from the environment, JSON lines in
 * `<state_dir>/overseer.log`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { categoryLevels, logEvent, openSupervisorLog } from '../../src/daemon/supervisor-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('categoryLevels', () => {
  it('is info everywhere by default', () => {
    expect(Object.values(categoryLevels({}))).toEqual(Array(5).fill('info'));
  });

  it('takes OVERSEER_LOG_LEVEL for every category, in any case', () => {
    expect(categoryLevels({ OVERSEER_LOG_LEVEL: 'WARN' }).api).toBe('warn');
  });

  it('turns debug on for the categories DEBUG names, and all with overseer:*', () => {
    const some = categoryLevels({ DEBUG: 'express:*,overseer:api overseer:store' });
    expect(some).toMatchObject({ api: 'debug', store: 'debug', process: 'info' });
    expect(Object.values(categoryLevels({ DEBUG: 'overseer:*' }))).toEqual(Array(5).fill('debug'));
  });

  it('never makes a category quieter than asked: trace stays trace under DEBUG', () => {
    expect(categoryLevels({ OVERSEER_LOG_LEVEL: 'trace', DEBUG: 'overseer:*' }).api).toBe('trace');
  });

  it('refuses a level it does not know, naming the variable', () => {
    expect(() => categoryLevels({ OVERSEER_LOG_LEVEL: 'loud' })).toThrow(
      /OVERSEER_LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent/,
    );
  });
});

describe('openSupervisorLog', () => {
  it('writes JSON lines with time, level, category and the event fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overseer-log-'));
    dirs.push(dir);
    const log = openSupervisorLog(
      dir,
      { maxSize: 1024 * 1024, maxFiles: 2 },
      { DEBUG: 'overseer:api' },
    );
    logEvent(log, { type: 'process:failed', name: 'api', at: 1, reason: 'crash loop' });
    logEvent(log, { type: 'supervisor:started', at: 1, pid: 42 });
    log.for('api').debug({ path: '/health' }, 'request');
    log.for('store').debug('not written: store is at info');
    await log.close();
    const lines = readFileSync(join(dir, 'overseer.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
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

  it('the JSON log lines carry one pid: the event’s, the supervisor’s as supervisorPid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overseer-log-'));
    dirs.push(dir);
    const log = openSupervisorLog(dir, { maxSize: 1024 * 1024, maxFiles: 2 }, {});
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
