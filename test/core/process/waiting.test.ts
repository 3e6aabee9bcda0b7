/**
 * Every waiting state says why (the guarantees in README.md), and `start_timeout` ends a start that would
 * never end (docs/configuration.md): scenarios through `transition`, `planSchedule` and the public view,
 * on a clock moved by hand.
 */
import { describe, expect, it } from 'vitest';
import { statusAfter } from '../../../src/core/events.js';
import { clockTime } from '../../../src/core/process/reasons.js';
import { transition } from '../../../src/core/process/transition.js';
import { planSchedule, type ScheduledProcess } from '../../../src/core/stack/scheduler.js';
import { describeProcess } from '../../../src/core/view.js';
import { eventsOf, input, makeSpec, makeSpecs, recordIn, Scenario, STATES } from '../helpers.js';

/** 10:42:01 local time: reasons show the local time of day, as a log line does. */
const T0 = new Date(2026, 0, 1, 10, 42, 1).getTime();
const HTTP = 'http://127.0.0.1:3000/health';

/** A process with a readiness probe, started at T0 and spawned as pid 7. */
function startedWithReadiness(definition: Parameters<typeof makeSpec>[0] = {}): Scenario {
  const spec = makeSpec({ readiness: { http: HTTP }, ...definition });
  const s = new Scenario(spec, T0);
  s.sendAll(input.start, input.admit, input.spawned(7));
  return s;
}

const view = (s: Scenario) => describeProcess(s.spec, s.record, { restarts: 0 }, s.now);

describe('a process whose readiness never passes', () => {
  it('says what its last probe saw, how often and since when, and does not score 100', () => {
    const s = startedWithReadiness();
    expect(view(s)).toMatchObject({ status: 'starting', reason: 'waiting for a readiness answer' });

    for (let check = 0; check < 12; check += 1) {
      s.send(input.probe('readiness', false, 'connection refused'));
      s.after(1_000);
    }
    const info = view(s);
    expect(info.status).toBe('starting');
    expect(info.reason).toBe('readiness: connection refused ×12 since 10:42:01');
    expect(info.healthScore).toBeLessThanOrEqual(60);
    expect(info.healthReasons[0]).toBe(
      'not ready: readiness: connection refused ×12 since 10:42:01 (-40)',
    );
  });

  it('announces what the check says once per new message, not at every check', () => {
    const s = startedWithReadiness();
    const announced = () =>
      eventsOf(s.log).filter(
        (event) => event.type === 'process:starting' && event.reason !== 'spawning',
      );
    s.send(input.probe('readiness', false, 'connection refused'));
    s.after(1_000).send(input.probe('readiness', false, 'connection refused'));
    s.after(1_000).send(input.probe('readiness', false, 'HTTP 503'));
    s.after(1_000).send(input.probe('readiness', false, 'HTTP 503'));
    expect(announced().map((event) => (event as { reason?: string }).reason)).toEqual([
      'readiness: connection refused ×1 since 10:42:01',
      `readiness: HTTP 503 ×1 since ${clockTime(T0 + 2_000)}`,
    ]);
    expect(view(s).reason).toBe(`readiness: HTTP 503 ×2 since ${clockTime(T0 + 2_000)}`);
  });

  it('is stopped at start_timeout and restarted per policy, the reason saying so', () => {
    const s = startedWithReadiness({ start_timeout: '30s' });
    expect(s.log).toContainEqual({ type: 'arm-timer', timer: 'start-timeout', at: T0 + 30_000 });
    s.send(input.probe('readiness', false, 'connection refused'));
    s.after(30_000).send(input.timer('start-timeout'));
    const reason =
      'not ready within start_timeout 30s (readiness: connection refused ×1 since 10:42:01)';
    expect(s.state).toMatchObject({ status: 'stopping', intent: { kind: 'recover', reason } });

    s.after(20).send(input.exited(0));
    expect(s.state.status).toBe('backoff');
    expect(view(s).reason).toBe(reason);
  });

  // Regression: it read `…; restart budget spent: killed by SIGTERM`, blaming the signal
  // the supervisor itself sent.
  it('fails once not ready within start_timeout too often, blaming the timeout, not its own SIGTERM', () => {
    const s = startedWithReadiness({ start_timeout: '5s', restart: { max_restarts: 1 } });
    for (let run = 0; run < 2; run += 1) {
      s.after(5_000).send(input.timer('start-timeout'));
      s.send(input.exited(null, 'SIGTERM'));
      if (run === 0) {
        expect(s.state.status).toBe('backoff');
        s.after(1_000).sendAll(input.timer('backoff'), input.admit, input.spawned(8));
      }
    }
    expect(s.state.status).toBe('failed');
    expect(view(s).reason).toMatch(
      /^not ready within start_timeout 5s; restart budget spent after 1 restarts within 1m$/,
    );
  });

  it('has no start timer when ready in time, or when start_timeout is 0', () => {
    const ready = startedWithReadiness({ start_timeout: '30s' });
    const effects = ready.send(input.probe('readiness', true));
    expect(effects).toContainEqual({ type: 'disarm-timer', timer: 'start-timeout' });
    expect(ready.after(30_000).send(input.timer('start-timeout'))).toEqual([]);
    expect(ready.state.status).toBe('running');

    const patient = startedWithReadiness({ start_timeout: 0 });
    expect(patient.log.filter((effect) => effect.type === 'arm-timer')).toEqual([]);
  });

  it('without a readiness probe, min_uptime ends the start: no start timer', () => {
    const s = new Scenario(makeSpec({ start_timeout: '1s' }), T0);
    s.sendAll(input.start, input.admit, input.spawned(7));
    expect(s.log.filter((effect) => effect.type === 'arm-timer')).toEqual([
      { type: 'arm-timer', timer: 'min-uptime', at: T0 + 1_000 },
    ]);
    expect(view(s).reason).toBe('running for 1s (min_uptime) before it counts as up');
  });
});

describe('a pending process', () => {
  /** Each instance of each definition in the state named. */
  const stack = (...entries: Array<[keyof typeof STATES, Parameters<typeof makeSpec>[0]]>) =>
    entries.flatMap(([label, definition]) =>
      makeSpecs(definition).map(
        (spec): ScheduledProcess => ({ spec, record: recordIn(spec, STATES[label]) }),
      ),
    );

  it('waiting on a stopped dependency says so, and that it will not start unasked', () => {
    const processes = stack(
      ['stopped', { name: 'web' }],
      ['pending', { name: 'worker', depends_on: { web: 'healthy' } }],
    );
    expect(planSchedule(processes, Number.POSITIVE_INFINITY)).toEqual({
      admit: [],
      fail: [],
      wait: [
        { name: 'worker', reason: 'waiting for web to be healthy (web is stopped)', blocked: true },
      ],
    });
  });

  it('waiting on a dependency on its way says where it is, and is not blocked', () => {
    const processes = stack(
      ['starting (no pid)', { name: 'web' }],
      ['pending', { name: 'worker', depends_on: ['web'] }],
    );
    expect(planSchedule(processes, 10).wait).toEqual([
      { name: 'worker', reason: 'waiting for web to start (web is starting)', blocked: false },
    ]);
  });

  it('names the dependency that will not come rather than one on its way', () => {
    const processes = stack(
      ['starting', { name: 'cache' }],
      ['stopped', { name: 'db', instances: 2 }],
      ['pending', { name: 'api', depends_on: { cache: 'started', db: 'healthy' } }],
    );
    expect(planSchedule(processes, 10).wait).toEqual([
      { name: 'api', reason: 'waiting for db to be healthy (db-0 is stopped)', blocked: true },
    ]);
  });

  it('waiting on one that is itself blocked carries the root of the wait', () => {
    const [db, api, worker] = stack(
      ['stopped', { name: 'db' }],
      ['pending', { name: 'api', depends_on: { db: 'healthy' } }],
      ['pending', { name: 'worker', depends_on: ['api'] }],
    );
    const first = planSchedule([db!, api!, worker!], 10);
    const apiWait = first.wait.find((wait) => wait.name === 'api')!;
    const judgedApi = transition(api!.spec, api!.record, { type: 'wait', ...apiWait }, T0).record;
    const second = planSchedule([db!, { spec: api!.spec, record: judgedApi }, worker!], 10);
    expect(second.wait).toEqual([
      {
        name: 'worker',
        reason:
          'waiting for api to start (api is pending: waiting for db to be healthy (db is stopped))',
        blocked: true,
      },
    ]);
  });

  it('waiting for a slot says so', () => {
    const processes = stack(
      ['running', { name: 'busy' }],
      ['pending', { name: 'a' }],
      ['pending', { name: 'b' }],
    );
    expect(planSchedule(processes, 2)).toMatchObject({
      admit: ['a'],
      wait: [
        {
          name: 'b',
          reason: 'waiting for a free slot (max_processes 2, all in use)',
          blocked: false,
        },
      ],
    });
  });

  it('is told only when what it waits for changes, and announces each change', () => {
    const [web, worker] = stack(
      ['stopped', { name: 'web' }],
      ['pending', { name: 'worker', depends_on: ['web'] }],
    );
    const wait = planSchedule([web!, worker!], 10).wait[0]!;
    const step = transition(worker!.spec, worker!.record, { type: 'wait', ...wait }, T0);
    expect(step.record.state).toMatchObject({
      status: 'pending',
      reason: wait.reason,
      blocked: true,
    });
    expect(eventsOf(step.effects)).toEqual([
      { type: 'process:pending', name: 'worker', at: T0, reason: wait.reason, blocked: true },
    ]);
    expect(planSchedule([web!, { spec: worker!.spec, record: step.record }], 10).wait).toEqual([]);
    expect(transition(worker!.spec, step.record, { type: 'wait', ...wait }, T0).effects).toEqual(
      [],
    );
    expect(describeProcess(worker!.spec, step.record, { restarts: 0 }, T0).reason).toBe(
      'waiting for web to start (web is stopped)',
    );
  });
});

describe('regression: a start announced with no reason', () => {
  // `process:starting` at admission carried no reason, so a client following the event
  // stream (statusAfter) showed a `starting` process with `reason: null`.
  it('says `spawning` from admission on, in the event and in the status it implies', () => {
    const s = new Scenario(makeSpec(), T0);
    s.send(input.start);
    const effects = s.send(input.admit);
    const starting = eventsOf(effects).find((event) => event.type === 'process:starting');
    expect(starting).toMatchObject({ reason: 'spawning' });
    expect(statusAfter(starting!)).toEqual({
      name: 'api',
      status: 'starting',
      reason: 'spawning',
      blocked: false,
    });
    expect(view(s).reason).toBe('spawning');
  });
});
