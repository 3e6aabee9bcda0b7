/**
 * The lifecycle of a process on a schedule, on a clock moved by hand: `up` makes it wait
 * for its first fire, a fire runs it through the scheduler as any start, its run ends back
 * in `scheduled` (a failed one too), `start` runs it now and keeps the schedule, `stop`
 * ends the schedule, and `overlap` decides what a fire does during a run.
 */
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../src/core/process/refusal.js';
import { isAtRest, withLastFire } from '../../../src/core/process/state.js';
import type { Effect, ProcessInput } from '../../../src/core/process/transition.js';
import { eventsOf, eventTypes, input, makeSpec, Scenario } from '../helpers.js';

/** 2026-06-01T12:00:00Z: a whole minute, so fire times read plainly. */
const T0 = Date.parse('2026-06-01T12:00:00Z');
const up: ProcessInput = { type: 'up' };
const fire = (at: number): ProcessInput => ({ type: 'fire', at });

/** Every 10 seconds, in UTC; a job (no restarts), min_uptime 0. */
function everyTen(schedule: object = {}, extra: object = {}) {
  return makeSpec({
    name: 'report',
    command: 'node report.js',
    schedule: { cron: '*/10 * * * * *', timezone: 'UTC', ...schedule },
    restart: { min_uptime: 0 },
    ...extra,
  });
}

/** The fire time the last `arm-fire` effect asked for. */
function armedFire(effects: readonly Effect[]): number | undefined {
  const armed = effects.findLast((effect) => effect.type === 'arm-fire');
  return armed?.type === 'arm-fire' ? armed.at : undefined;
}

/** Up at T0 + 1s: scheduled for T0 + 10s. */
function scheduledAt(spec = everyTen()) {
  const scenario = new Scenario(spec, T0 + 1_000);
  scenario.send(up);
  return scenario;
}

/** From scheduled: the fire at `at` comes (on time), and its run starts. */
function fireAndRun(scenario: Scenario, at: number, pid = 100) {
  scenario.now = at;
  const effects = scenario.send(fire(at));
  scenario.sendAll(input.admit, input.spawned(pid));
  return effects;
}

describe('up', () => {
  it('waits for the first fire instead of running: scheduled, with nextRunAt, announced with a reason', () => {
    const scenario = new Scenario(everyTen(), T0 + 1_000);
    const effects = scenario.send(up);
    expect(scenario.state).toEqual({
      status: 'scheduled',
      since: T0 + 1_000,
      nextRunAt: T0 + 10_000,
      lastExit: null,
      lastFailure: null,
    });
    expect(armedFire(effects)).toBe(T0 + 10_000);
    expect(eventsOf(effects)).toEqual([
      {
        type: 'process:scheduled',
        name: 'report',
        at: T0 + 1_000,
        nextRunAt: T0 + 10_000,
        reason: expect.stringMatching(
          /^next run in 9s, at \d\d:\d\d:10 \(\*\/10 \* \* \* \* \* UTC\)$/,
        ),
      },
    ]);
    expect(isAtRest(scenario.state)).toBe(true);
  });

  it("says when in the schedule's own time zone, with the day when it is not today there", () => {
    const spec = makeSpec({
      name: 'backup',
      command: './backup.sh',
      schedule: { cron: '0 0 3 * * *', timezone: 'Europe/Paris' },
    });
    const scenario = new Scenario(spec, T0);
    const [event] = eventsOf(scenario.send(up));
    expect(event).toMatchObject({
      nextRunAt: Date.parse('2026-06-02T01:00:00Z'),
      reason: 'next run in 13h, at 2026-06-02 03:00:00 (0 0 3 * * * Europe/Paris)',
    });
  });

  it('with run_on_start, runs now as well, its schedule armed', () => {
    const scenario = new Scenario(everyTen({ run_on_start: true }), T0 + 1_000);
    const effects = scenario.send(up);
    expect(scenario.state.status).toBe('pending');
    expect(armedFire(effects)).toBe(T0 + 10_000);
    scenario.sendAll(input.admit, input.spawned(100));
    scenario.after(500).send(input.exited(0));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 10_000 });
  });

  it('of a process with no schedule starts it, as `start` does', () => {
    const scenario = new Scenario(makeSpec(), 0);
    scenario.send(up);
    expect(scenario.state.status).toBe('pending');
  });

  it('never arms a fire time at or before the last one taken (a clock set back, a new supervisor)', () => {
    const spec = everyTen();
    const scenario = new Scenario(spec, T0 + 1_000);
    scenario.record = withLastFire(scenario.record, T0 + 20_000);
    expect(armedFire(scenario.send(up))).toBe(T0 + 30_000);
  });
});

describe('a fire', () => {
  it('runs the process through the scheduler, and its run ends back in scheduled with the next fire', () => {
    const scenario = scheduledAt();
    const effects = fireAndRun(scenario, T0 + 10_000);
    expect(eventsOf(effects)).toEqual([
      {
        type: 'process:fired',
        name: 'report',
        at: T0 + 10_000,
        fireAt: T0 + 10_000,
        action: 'run',
      },
      expect.objectContaining({ type: 'process:pending' }),
    ]);
    expect(armedFire(effects)).toBe(T0 + 20_000);
    expect(scenario.state.status).toBe('starting');
    const ended = scenario.after(2_000).send(input.exited(0));
    expect(eventTypes(ended)).toEqual(['process:exit', 'process:scheduled']);
    expect(scenario.state).toMatchObject({
      status: 'scheduled',
      nextRunAt: T0 + 20_000,
      lastExit: { code: 0 },
      lastFailure: null,
    });
  });

  it('that came late arms the next fire after now, not once per fire time missed', () => {
    const scenario = scheduledAt();
    scenario.now = T0 + 35_000;
    expect(armedFire(scenario.send(fire(T0 + 10_000)))).toBe(T0 + 40_000);
  });

  it('is ignored once taken, and once the schedule is off', () => {
    const scenario = scheduledAt();
    fireAndRun(scenario, T0 + 10_000);
    const record = scenario.record;
    expect(scenario.send(fire(T0 + 10_000))).toEqual([]);
    expect(scenario.record).toBe(record);
    scenario.send(input.stop);
    scenario.send(input.exited(null, 'SIGTERM'));
    expect(scenario.state.status).toBe('stopped');
    expect(scenario.send(fire(T0 + 20_000))).toEqual([]);
  });
});

describe('a run that fails', () => {
  it('is not restarted (a job), and the schedule goes on: scheduled, saying how it ended', () => {
    const scenario = scheduledAt();
    fireAndRun(scenario, T0 + 10_000);
    scenario.after(300).send(input.exited(3));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 20_000 });
    expect(eventsOf(scenario.log).at(-1)).toMatchObject({
      type: 'process:scheduled',
      reason: expect.stringMatching(/; last run: exited with code 3$/),
    });
  });

  it('is restarted within the run when its policy says so, then goes back to scheduled', () => {
    const spec = everyTen({}, { restart: { policy: 'on-failure', min_uptime: 0, delay: 100 } });
    const scenario = scheduledAt(spec);
    fireAndRun(scenario, T0 + 10_000);
    scenario.after(300).send(input.exited(1));
    expect(scenario.state.status).toBe('backoff');
    scenario.fire('backoff');
    scenario.sendAll(input.admit, input.spawned(101));
    scenario.after(300).send(input.exited(0));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 20_000 });
  });

  it('to spawn is not `failed` for good: scheduled, with the spawn error as the last run', () => {
    const scenario = scheduledAt();
    scenario.now = T0 + 10_000;
    scenario.sendAll(fire(T0 + 10_000), input.admit, input.spawnFailed('ENOENT'));
    expect(scenario.state).toMatchObject({
      status: 'scheduled',
      lastFailure: 'spawn error: ENOENT',
    });
  });

  it('for a dependency that failed waits for the next fire too', () => {
    const scenario = scheduledAt();
    scenario.now = T0 + 10_000;
    scenario.sendAll(fire(T0 + 10_000), input.dependencyFailed('dependency db failed'));
    expect(scenario.state).toMatchObject({
      status: 'scheduled',
      lastFailure: 'dependency db failed',
    });
  });
});

describe('start, restart and stop', () => {
  it('start of a scheduled process runs it now and keeps its schedule', () => {
    const scenario = scheduledAt();
    expect(refusalOf('start', 'report', 'scheduled')).toBeUndefined();
    scenario.now = T0 + 4_000;
    const effects = scenario.send(input.start);
    expect(scenario.state.status).toBe('pending');
    // The fire armed at up still stands.
    expect(armedFire(effects)).toBeUndefined();
    scenario.sendAll(input.admit, input.spawned(100));
    scenario.after(1_000).send(input.exited(0));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 10_000 });
  });

  it('start of a stopped one runs it now and turns its schedule on', () => {
    const scenario = new Scenario(everyTen(), T0 + 1_000);
    const effects = scenario.send(input.start);
    expect(scenario.state.status).toBe('pending');
    expect(armedFire(effects)).toBe(T0 + 10_000);
  });

  it('restart of a scheduled process runs it now, counting no restart', () => {
    const scenario = scheduledAt();
    scenario.send(input.restart);
    expect(scenario.state).toMatchObject({ status: 'pending', restarting: false });
  });

  it('stop of a scheduled process ends the schedule: stopped, its fire disarmed', () => {
    const scenario = scheduledAt();
    const effects = scenario.send(input.stop);
    expect(scenario.state.status).toBe('stopped');
    expect(effects).toContainEqual({ type: 'disarm-fire' });
    expect(scenario.record.schedule).toMatchObject({ nextFireAt: null, queued: false });
  });

  it('stop during a run ends the run and the schedule: stopped, not scheduled', () => {
    const scenario = scheduledAt();
    fireAndRun(scenario, T0 + 10_000);
    expect(scenario.send(input.stop)).toContainEqual({ type: 'disarm-fire' });
    scenario.after(100).send(input.exited(null, 'SIGTERM'));
    expect(scenario.state.status).toBe('stopped');
  });
});

describe('overlap, when a fire comes during a run', () => {
  it('skip (the default): the run goes on, the fire is announced as skipped', () => {
    const scenario = scheduledAt();
    fireAndRun(scenario, T0 + 10_000);
    scenario.now = T0 + 20_000;
    const effects = scenario.send(fire(T0 + 20_000));
    expect(eventsOf(effects)).toEqual([
      expect.objectContaining({ type: 'process:fired', fireAt: T0 + 20_000, action: 'skip' }),
    ]);
    expect(armedFire(effects)).toBe(T0 + 30_000);
    scenario.after(1_000).send(input.exited(0));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 30_000 });
  });

  it('queue: one run follows the current one at once; a second fire meanwhile is skipped', () => {
    const scenario = scheduledAt(everyTen({ overlap: 'queue' }));
    fireAndRun(scenario, T0 + 10_000);
    scenario.now = T0 + 20_000;
    expect(eventsOf(scenario.send(fire(T0 + 20_000)))[0]).toMatchObject({ action: 'queue' });
    scenario.now = T0 + 30_000;
    expect(eventsOf(scenario.send(fire(T0 + 30_000)))[0]).toMatchObject({ action: 'skip' });
    scenario.after(1_000).send(input.exited(0));
    expect(scenario.state.status).toBe('pending');
    scenario.sendAll(input.admit, input.spawned(101));
    scenario.after(1_000).send(input.exited(0));
    expect(scenario.state).toMatchObject({ status: 'scheduled', nextRunAt: T0 + 40_000 });
  });

  it('replace: the run is stopped, then a new one starts', () => {
    const scenario = scheduledAt(everyTen({ overlap: 'replace' }));
    fireAndRun(scenario, T0 + 10_000);
    scenario.now = T0 + 20_000;
    const effects = scenario.send(fire(T0 + 20_000));
    expect(eventsOf(effects)[0]).toMatchObject({ action: 'replace' });
    expect(effects).toContainEqual({ type: 'signal', signal: 'SIGTERM' });
    const exit = scenario.after(50).send(input.exited(null, 'SIGTERM'));
    expect(eventsOf(exit)[0]).toMatchObject({
      type: 'process:exit',
      reason: 'replaced by the next scheduled run (overlap: replace)',
    });
    expect(scenario.state).toMatchObject({ status: 'pending', restarting: false });
  });

  it('replace during a backoff between attempts starts the new run at once', () => {
    const spec = everyTen(
      { overlap: 'replace' },
      { restart: { policy: 'on-failure', min_uptime: 0, delay: 60_000 } },
    );
    const scenario = scheduledAt(spec);
    fireAndRun(scenario, T0 + 10_000);
    scenario.after(100).send(input.exited(1));
    expect(scenario.state.status).toBe('backoff');
    scenario.now = T0 + 20_000;
    const effects = scenario.send(fire(T0 + 20_000));
    expect(effects).toContainEqual({ type: 'disarm-timer', timer: 'backoff' });
    expect(scenario.state.status).toBe('pending');
  });
});
