/**
 * Schedules end to end, as a user runs them (docs/configuration.md `schedule`): a job on
 * `*\/1 * * * * *` runs about once a second and shows `scheduled` with `nextRunAt` between
 * runs; `start` of a scheduled job runs it now and keeps its schedule; a daemon killed with
 * SIGKILL and brought up again runs no fire time twice. One daemon for the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  daemonPid,
  fixture,
  isGone,
  overseer,
  type Project,
  ps,
  row,
  waitFor,
} from './helpers.js';

let project: Project;
const ticks = () => join(project.dir, 'ticks.log');
const yearly = () => join(project.dir, 'yearly.log');

/** The start times (epoch ms) the job appended, one per run. */
function runsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

beforeAll(() => {
  project = createProject(`version: 1
processes:
  tick:
    command: ${fixture('append-time.mjs', 'ticks.log')}
    schedule: "*/1 * * * * *"
    restart: { min_uptime: 0 }
  yearly:
    command: ${fixture('append-time.mjs', 'yearly.log')}
    schedule: { cron: "0 0 1 1 *", timezone: UTC }
    restart: { min_uptime: 0 }
`);
});

afterAll(cleanup);

describe('a job on a schedule', () => {
  it('is scheduled at `up -d`, and shows nextRunAt between runs', async () => {
    const [up, validate] = await Promise.all([
      overseer(project, ['up', '-d']),
      overseer(project, ['validate']),
    ]);
    expect(String(validate.stdout)).toContain(
      '1. tick (on schedule */1 * * * * *), yearly (on schedule 0 0 1 1 *)',
    );
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect(String(up.stdout)).toMatch(/yearly scheduled: next run in \S+, at \d{4}-01-01 /);

    const scheduled = await waitFor(async () => {
      const info = row(await ps(project), 'tick');
      return info.status === 'scheduled' ? info : undefined;
    }, 'tick to show scheduled');
    const nextRunAt = Date.parse(scheduled.nextRunAt ?? '');
    expect(nextRunAt % 1_000).toBe(0);
    expect(nextRunAt - Date.now()).toBeLessThanOrEqual(1_000);
    expect(scheduled.reason).toMatch(
      /^next run in \d+m?s, at \d\d:\d\d:\d\d \(\*\/1 \* \* \* \* \*\)$/,
    );
    expect(row(await ps(project), 'yearly')).toMatchObject({
      status: 'scheduled',
      nextRunAt: `${new Date().getUTCFullYear() + 1}-01-01T00:00:00.000Z`,
      kind: 'job',
    });
  });

  it('runs now on `start`, and goes back to waiting for its next fire', async () => {
    expect(runsIn(yearly())).toEqual([]);
    const start = await overseer(project, ['start', 'yearly']);
    expect(start.exitCode, String(start.stderr)).toBe(0);
    await waitFor(() => runsIn(yearly()).length === 1, 'yearly to run once');
    const info = await waitFor(async () => {
      const found = row(await ps(project), 'yearly');
      return found.status === 'scheduled' ? found : undefined;
    }, 'yearly to be scheduled again');
    expect(info.nextRunAt).toBe(`${new Date().getUTCFullYear() + 1}-01-01T00:00:00.000Z`);
    expect(info.exitCode).toBe(0);
  });

  it('has run about once a second meanwhile, one run per fire', async () => {
    const runs = await waitFor(() => {
      const seen = runsIn(ticks());
      return seen.length >= 3 ? seen : undefined;
    }, 'three runs of tick');
    // One run per fire: each starts in its own second, about a second after the one before.
    const seconds = runs.map((at) => Math.floor(at / 1_000));
    expect(new Set(seconds).size).toBe(seconds.length);
    for (let i = 1; i < runs.length; i += 1) {
      expect(runs[i]! - runs[i - 1]!).toBeGreaterThan(500);
      expect(runs[i]! - runs[i - 1]!).toBeLessThan(2_500);
    }
  });

  it('runs no fire time twice when its daemon is killed with SIGKILL and brought up again', async () => {
    const pid = daemonPid(project);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => isGone(pid!), 'the daemon to die');
    const before = runsIn(ticks()).length;

    const up = await overseer(project, ['up', '-d']);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    const runs = await waitFor(() => {
      const seen = runsIn(ticks());
      return seen.length > before ? seen : undefined;
    }, 'one more run of tick');
    const seconds = runs.map((at) => Math.floor(at / 1_000));
    expect(new Set(seconds).size).toBe(seconds.length);
  });
});

describe('a bad schedule', () => {
  it('is a config error naming its path (exit 2), and nothing starts', async () => {
    const bad = createProject(`version: 1
processes:
  report:
    command: ${fixture('append-time.mjs', 'report.log')}
    schedule: { cron: "0 0 30 2 *", overlap: twice }
`);
    const up = await overseer(bad, ['up', '-d']);
    expect(up.exitCode).toBe(2);
    expect(String(up.stderr)).toMatch(/processes\.report\.schedule.*never fires/);
    expect(String(up.stderr)).toMatch(/processes\.report\.schedule\.overlap/);
    expect(existsSync(bad.stateDir)).toBe(false);
  });
});
