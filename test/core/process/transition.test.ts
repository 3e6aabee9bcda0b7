import { describe, expect, it } from 'vitest';
import { healthSource, nextTally } from '../../../src/core/process/probe-tally.js';
import { refusalOf } from '../../../src/core/process/refusal.js';
import {
  FRESH_TALLY,
  type ProcessState,
  type StopIntent,
} from '../../../src/core/process/state.js';
import {
  initialRecord,
  type ProcessInput,
  transition,
} from '../../../src/core/process/transition.js';
import {
  eventsOf,
  eventTypes,
  input,
  labelsExcept,
  makeSpec,
  recordIn,
  Scenario,
  STATES,
  type StateLabel,
} from '../helpers.js';

const HTTP = 'http://127.0.0.1:3000/health';
/** No probes; defaults: min_uptime 1s, delay 1s × 2, 10 restarts in 60s, SIGTERM then 10s. */
const plain = makeSpec();
/** Readiness (the health source) and liveness, each failing after 3 bad answers. */
const probed = makeSpec({ readiness: { http: HTTP }, liveness: { http: HTTP } });
/** Liveness only: it is the health source. */
const livenessOnly = makeSpec({ liveness: { tcp: '127.0.0.1:3000' } });
const job = makeSpec({ name: 'migrate', kind: 'job' });

/** Everything in STATES is `since: 0`; single steps happen at NOW. */
const NOW = 5_000;

const stepFrom = (state: ProcessState, processInput: ProcessInput, spec = plain) =>
  transition(spec, recordIn(spec, state), processInput, NOW);

/** Asserts the input leaves a record in `label` exactly as it was, with no effects. */
function expectIgnored(label: StateLabel, processInput: ProcessInput, spec = plain) {
  const record = recordIn(spec, STATES[label]);
  const step = transition(spec, record, processInput, NOW);
  expect(step.rejection).toBeUndefined();
  expect(step.effects).toEqual([]);
  expect(step.record).toBe(record);
}

const event = (type: string, extra: object = {}) => ({
  type: 'emit',
  event: { type, name: 'api', at: NOW, ...extra },
});

/** What a process just asked to run waits for, until the scheduler has judged it. */
const UNJUDGED = 'waiting for its dependencies and a free slot';
const pendingEvent = event('process:pending', { reason: UNJUDGED });
const pendingSince = (restarting: boolean) => ({
  status: 'pending',
  since: NOW,
  restarting,
  reason: UNJUDGED,
  blocked: false,
});

describe('initialRecord', () => {
  it('starts stopped with no last exit, an empty ledger, a closed breaker, fresh probe tallies and no violations', () => {
    expect(initialRecord(plain, 7)).toEqual({
      state: { status: 'stopped', since: 7, lastExit: null },
      health: 'none',
      ledger: { recent: [], shortRuns: 0 },
      breaker: { position: 'closed' },
      probes: {
        readiness: { failures: 0, passing: null, lastFailure: null },
        liveness: { failures: 0, passing: null, lastFailure: null },
      },
      violations: {},
      limitBreaches: [],
    });
  });

  it('has health `unknown` when either probe is configured, `none` otherwise', () => {
    expect(initialRecord(probed, 0).health).toBe('unknown');
    expect(initialRecord(livenessOnly, 0).health).toBe('unknown');
    expect(initialRecord(makeSpec({ readiness: { exec: 'true' } }), 0).health).toBe('unknown');
  });
});

describe('start', () => {
  it.each(['stopped', 'completed'] as const)(
    'goes from %s to pending as a first start',
    (label) => {
      const step = stepFrom(STATES[label], input.start);
      expect(step.record.state).toEqual(pendingSince(false));
      expect(step.effects).toEqual([pendingEvent]);
    },
  );

  it('keeps the restart ledger after stopped: the window still counts', () => {
    const ledger = { recent: [1_000, 2_000], shortRuns: 2 };
    const record = { ...recordIn(plain, STATES.stopped), ledger };
    expect(transition(plain, record, input.start, NOW).record.ledger).toBe(ledger);
  });

  it('clears the restart budget after failed, keeping the total count', () => {
    const record = {
      ...recordIn(plain, STATES.failed),
      ledger: { recent: [1_000, 2_000], shortRuns: 2 },
    };
    const step = transition(plain, record, input.start, NOW);
    expect(step.record.state).toMatchObject({ status: 'pending', restarting: false });
    expect(step.record.ledger).toEqual({ recent: [], shortRuns: 0 });
  });

  it('turns a stop under way into a restart, with no effects', () => {
    const step = stepFrom(STATES.stopping, input.start);
    expect(step.record.state).toEqual({ ...STATES.stopping, intent: { kind: 'restart' } });
    expect(step.effects).toEqual([]);
  });

  it.each(labelsExcept('stopped', 'completed', 'failed', 'stopping'))(
    'is refused with INVALID_STATE from %s, changing nothing',
    (label) => {
      const record = recordIn(plain, STATES[label]);
      const step = transition(plain, record, input.start, NOW);
      expect(step.rejection).toEqual({
        code: 'INVALID_STATE',
        message: `api is already ${STATES[label].status}`,
      });
      expect(step.effects).toEqual([]);
      expect(step.record).toBe(record);
    },
  );
});

describe('stop', () => {
  it('signals a running process, arms the deadline, and waits in stopping', () => {
    const step = stepFrom(STATES.running, input.stop);
    expect(step.record.state).toEqual({
      status: 'stopping',
      pid: 42,
      since: 0,
      deadline: NOW + 10_000,
      intent: { kind: 'stop' },
      killed: false,
    });
    expect(step.effects).toEqual([
      { type: 'disarm-timer', timer: 'min-uptime' },
      { type: 'signal', signal: 'SIGTERM' },
      { type: 'arm-timer', timer: 'stop-deadline', at: NOW + 10_000 },
    ]);
  });

  it('uses the stop signal and timeout of the spec, and stops the probes first', () => {
    const spec = makeSpec({ readiness: { http: HTTP }, stop: { signal: 'INT', timeout: '2s' } });
    const step = stepFrom(STATES.running, input.stop, spec);
    expect(step.effects).toEqual([
      { type: 'probe', probe: 'readiness', run: false },
      { type: 'disarm-timer', timer: 'min-uptime' },
      { type: 'signal', signal: 'SIGINT' },
      { type: 'arm-timer', timer: 'stop-deadline', at: NOW + 2_000 },
    ]);
  });

  it('stops a starting process whose pid is known the same way', () => {
    const step = stepFrom(STATES.starting, input.stop);
    expect(step.record.state).toMatchObject({
      status: 'stopping',
      pid: 42,
      intent: { kind: 'stop' },
    });
    expect(step.effects).toContainEqual({ type: 'signal', signal: 'SIGTERM' });
  });

  it('settles at once while the spawn is under way (no pid yet)', () => {
    const step = stepFrom(STATES['starting (no pid)'], input.stop);
    expect(step.record.state).toEqual({ status: 'stopped', since: NOW, lastExit: null });
    expect(step.effects).toEqual([event('process:stopped')]);
  });

  it('cancels a pending start', () => {
    const step = stepFrom(STATES.pending, input.stop);
    expect(step.record.state).toEqual({ status: 'stopped', since: NOW, lastExit: null });
    expect(step.effects).toEqual([
      { type: 'disarm-timer', timer: 'backoff' },
      event('process:stopped'),
    ]);
  });

  it('cancels a backoff, keeping the last exit', () => {
    const step = stepFrom(STATES.backoff, input.stop);
    expect(step.record.state).toEqual({
      status: 'stopped',
      since: NOW,
      lastExit: STATES.backoff.lastExit,
    });
    expect(step.effects).toEqual([
      { type: 'disarm-timer', timer: 'backoff' },
      event('process:stopped'),
    ]);
  });

  it('turns a restart under way into a stop, with no effects', () => {
    const restarting: ProcessState = { ...STATES.stopping, intent: { kind: 'restart' } };
    const step = stepFrom(restarting, input.stop);
    expect(step.record.state).toEqual(STATES.stopping);
    expect(step.effects).toEqual([]);
  });

  it.each(['stopped', 'completed', 'failed'] as const)(
    'is refused with INVALID_STATE from %s',
    (label) => {
      const step = stepFrom(STATES[label], input.stop);
      expect(step.rejection).toEqual({
        code: 'INVALID_STATE',
        message: `api is not running (${label})`,
      });
      expect(step.effects).toEqual([]);
    },
  );
});

describe('restart', () => {
  it('stops a running process with the intent to start it again', () => {
    const step = stepFrom(STATES.running, input.restart);
    expect(step.record.state).toMatchObject({ status: 'stopping', intent: { kind: 'restart' } });
    expect(step.effects).toContainEqual({ type: 'signal', signal: 'SIGTERM' });
  });

  it('turns a stop under way into a restart', () => {
    expect(stepFrom(STATES.stopping, input.restart).record.state).toMatchObject({
      intent: { kind: 'restart' },
    });
  });

  it('cuts a backoff short: disarms its timer and goes pending at once', () => {
    const step = stepFrom(STATES.backoff, input.restart);
    expect(step.record.state).toEqual(pendingSince(true));
    expect(step.effects).toEqual([{ type: 'disarm-timer', timer: 'backoff' }, pendingEvent]);
  });

  it.each(['pending', 'starting (no pid)'] as const)(
    'does nothing while %s: a start is already on its way',
    (label) => expectIgnored(label, input.restart),
  );

  it.each(['stopped', 'completed'] as const)('starts a %s process as a restart', (label) => {
    const step = stepFrom(STATES[label], input.restart);
    expect(step.record.state).toEqual(pendingSince(true));
    expect(step.effects).toEqual([pendingEvent]);
  });

  it('restarts a failed process with a fresh budget', () => {
    const record = {
      ...recordIn(plain, STATES.failed),
      ledger: { recent: [1], shortRuns: 3 },
    };
    const step = transition(plain, record, input.restart, NOW);
    expect(step.record.state).toMatchObject({ status: 'pending', restarting: true });
    expect(step.record.ledger).toEqual({ recent: [], shortRuns: 0 });
  });
});

describe('recover', () => {
  it.each(['running', 'starting'] as const)('stops a %s process, keeping the reason', (label) => {
    const step = stepFrom(STATES[label], input.recover('memory limit exceeded'));
    expect(step.record.state).toMatchObject({
      status: 'stopping',
      intent: { kind: 'recover', reason: 'memory limit exceeded' },
    });
    expect(step.effects).toContainEqual({ type: 'signal', signal: 'SIGTERM' });
  });

  it.each(labelsExcept('running', 'starting'))('is ignored when %s', (label) =>
    expectIgnored(label, input.recover('memory limit exceeded')),
  );
});

describe('admit', () => {
  it('spawns a pending process and announces it is starting', () => {
    const restarting: ProcessState = { ...STATES.pending, restarting: true };
    const step = stepFrom(restarting, input.admit);
    expect(step.record.state).toEqual({
      status: 'starting',
      since: NOW,
      pid: null,
      restarting: true,
    });
    expect(step.effects).toEqual([
      { type: 'spawn' },
      event('process:starting', { reason: 'spawning' }),
    ]);
  });

  it('resets the probe tallies for the new run', () => {
    const record = {
      ...recordIn(probed, STATES.pending),
      probes: {
        readiness: { failures: 0, passing: true, lastFailure: null },
        liveness: { failures: 3, passing: false, lastFailure: null },
      },
    };
    const step = transition(probed, record, input.admit, NOW);
    expect(step.record.probes).toEqual(initialRecord(probed, 0).probes);
    expect(step.effects).toEqual([
      { type: 'spawn' },
      event('process:starting', { reason: 'spawning' }),
    ]);
  });

  it('announces no health change when there is none', () => {
    expect(eventTypes(stepFrom(STATES.pending, input.admit, probed).effects)).toEqual([
      'process:starting',
    ]);
  });

  it.each(labelsExcept('pending'))('is ignored when %s', (label) =>
    expectIgnored(label, input.admit),
  );
});

describe('dependency-failed', () => {
  it('fails a pending process with the reason', () => {
    const step = stepFrom(STATES.pending, input.dependencyFailed('dependency db failed'));
    expect(step.record.state).toEqual({
      status: 'failed',
      since: NOW,
      reason: 'dependency db failed',
      lastExit: null,
    });
    expect(step.effects).toEqual([event('process:failed', { reason: 'dependency db failed' })]);
  });

  it.each(labelsExcept('pending'))('is ignored when %s', (label) =>
    expectIgnored(label, input.dependencyFailed('dependency db failed')),
  );
});

describe('spawned', () => {
  const admittedAt = (spec = plain) =>
    recordIn(spec, { status: 'starting', since: 1_000, pid: null, restarting: false });

  it('records the pid and waits min_uptime from the spawn request', () => {
    const step = transition(plain, admittedAt(), input.spawned(7), NOW);
    expect(step.record.state).toEqual({
      status: 'starting',
      since: 1_000,
      pid: 7,
      restarting: false,
    });
    expect(step.effects).toEqual([
      event('process:started', { pid: 7 }),
      { type: 'arm-timer', timer: 'min-uptime', at: 2_000 },
    ]);
  });

  it('starts the readiness probe instead when there is one', () => {
    const step = transition(probed, admittedAt(probed), input.spawned(7), NOW);
    expect(step.effects).toEqual([
      event('process:started', { pid: 7 }),
      { type: 'probe', probe: 'readiness', run: true },
      // start_timeout (90s by default) counts from the admission, at 1s.
      { type: 'arm-timer', timer: 'start-timeout', at: 91_000 },
    ]);
  });

  it('also announces a restart when the run is one', () => {
    const starting: ProcessState = { status: 'starting', since: 0, pid: null, restarting: true };
    expect(eventsOf(stepFrom(starting, input.spawned(7)).effects)).toEqual([
      { type: 'process:started', name: 'api', at: NOW, pid: 7 },
      { type: 'process:restarted', name: 'api', at: NOW, pid: 7 },
    ]);
  });

  it.each(labelsExcept('starting (no pid)'))(
    'kills a stray child that appears when %s',
    (label) => {
      const record = recordIn(plain, STATES[label]);
      const step = transition(plain, record, input.spawned(99), NOW);
      expect(step.effects).toEqual([{ type: 'kill' }]);
      expect(step.record).toBe(record);
    },
  );
});

describe('spawn-failed', () => {
  it.each(['starting (no pid)', 'starting'] as const)(
    'fails a %s process with the spawn error',
    (label) => {
      const step = stepFrom(STATES[label], input.spawnFailed('spawn node ENOENT'));
      expect(step.record.state).toEqual({
        status: 'failed',
        since: NOW,
        reason: 'spawn error: spawn node ENOENT',
        lastExit: null,
      });
      expect(step.effects).toEqual([
        event('process:failed', { reason: 'spawn error: spawn node ENOENT' }),
      ]);
    },
  );

  it.each(labelsExcept('starting (no pid)', 'starting'))('is ignored when %s', (label) =>
    expectIgnored(label, input.spawnFailed('spawn node ENOENT')),
  );
});

describe('exited: unexpected', () => {
  it('backs off after a crash: clears the run, reports the exit, arms the restart', () => {
    const step = stepFrom(STATES.running, input.exited(1));
    const lastExit = { code: 1, signal: null, killedAfterTimeout: false, runMs: NOW, at: NOW };
    expect(step.record.state).toEqual({
      status: 'backoff',
      since: NOW,
      until: NOW + 1_000,
      attempt: 1,
      lastExit,
    });
    expect(step.record.ledger).toEqual({ recent: [NOW], shortRuns: 0 });
    expect(step.effects).toEqual([
      { type: 'disarm-timer', timer: 'min-uptime' },
      { type: 'disarm-timer', timer: 'stop-deadline' },
      event('process:exit', {
        code: 1,
        signal: null,
        runMs: NOW,
        killedAfterTimeout: false,
        reason: 'exited with code 1',
      }),
      event('process:backoff', { attempt: 1, delayMs: 1_000, reason: 'exited with code 1' }),
      { type: 'arm-timer', timer: 'backoff', at: NOW + 1_000 },
    ]);
  });

  it('stops both probes before anything else', () => {
    const step = stepFrom(STATES.running, input.exited(null, 'SIGSEGV'), probed);
    expect(step.effects.slice(0, 2)).toEqual([
      { type: 'probe', probe: 'readiness', run: false },
      { type: 'probe', probe: 'liveness', run: false },
    ]);
  });

  it('counts an exit during starting as a short run', () => {
    const starting: ProcessState = {
      status: 'starting',
      since: NOW - 300,
      pid: 7,
      restarting: false,
    };
    const step = stepFrom(starting, input.exited(1));
    expect(step.record.state).toMatchObject({ status: 'backoff', lastExit: { runMs: 300 } });
    expect(step.record.ledger.shortRuns).toBe(1);
  });

  it('completes a job that exits 0', () => {
    const step = stepFrom(STATES.running, input.exited(0), job);
    expect(step.record.state).toMatchObject({
      status: 'completed',
      since: NOW,
      lastExit: { code: 0 },
    });
    expect(eventsOf(step.effects).at(-1)).toEqual({
      type: 'process:completed',
      name: 'migrate',
      at: NOW,
      code: 0,
    });
  });

  it('fails a job that exits with another code, saying so', () => {
    const step = stepFrom(STATES.running, input.exited(2), job);
    expect(step.record.state).toMatchObject({ status: 'failed', reason: 'exited with code 2' });
    expect(eventTypes(step.effects)).toEqual(['process:exit', 'process:failed']);
  });

  it('completes an on-failure service that exits with an accepted code', () => {
    const spec = makeSpec({ restart: { policy: 'on-failure', exit_codes: [0, 143] } });
    expect(stepFrom(STATES.running, input.exited(143), spec).record.state.status).toBe('completed');
  });

  it.each(['pending', 'stopped', 'backoff', 'completed', 'failed'] as const)(
    'ignores a stray exit when %s',
    (label) => expectIgnored(label, input.exited(0)),
  );
});

describe('exited: after a stop', () => {
  const stopping = (intent: StopIntent, killed = false): ProcessState => ({
    ...STATES.stopping,
    intent,
    killed,
  });

  it('settles stopped after a requested stop, outside the restart policy', () => {
    const step = stepFrom(stopping({ kind: 'stop' }), input.exited(null, 'SIGTERM'));
    expect(step.record.state).toEqual({
      status: 'stopped',
      since: NOW,
      lastExit: { code: null, signal: 'SIGTERM', killedAfterTimeout: false, runMs: NOW, at: NOW },
    });
    expect(step.record.ledger).toEqual(initialRecord(plain, 0).ledger);
    expect(eventTypes(step.effects)).toEqual(['process:exit', 'process:stopped']);
    expect(eventsOf(step.effects)[0]).toMatchObject({ reason: 'stop requested' });
  });

  it('records that the run was killed after the stop deadline', () => {
    const step = stepFrom(stopping({ kind: 'stop' }, true), input.exited(null, 'SIGKILL'));
    expect(step.record.state).toMatchObject({ lastExit: { killedAfterTimeout: true } });
    expect(eventsOf(step.effects)[0]).toMatchObject({ killedAfterTimeout: true });
  });

  it('goes back to pending after a requested restart, outside the budget', () => {
    const step = stepFrom(stopping({ kind: 'restart' }), input.exited(0));
    expect(step.record.state).toEqual(pendingSince(true));
    expect(step.record.ledger.recent).toEqual([]);
    expect(eventTypes(step.effects)).toEqual(['process:exit', 'process:pending']);
    expect(eventsOf(step.effects)[0]).toMatchObject({ reason: 'restart requested' });
  });

  it('treats a recovered run as a failure, whatever its exit code', () => {
    const spec = makeSpec({ restart: { policy: 'on-failure' } });
    const step = stepFrom(stopping({ kind: 'recover', reason: 'memory' }), input.exited(0), spec);
    expect(step.record.state).toMatchObject({ status: 'backoff', attempt: 1 });
    expect(eventsOf(step.effects)[0]).toMatchObject({ type: 'process:exit', reason: 'memory' });
  });

  it('prefixes the recovery reason when the policy then fails the process', () => {
    const spec = makeSpec({ restart: { policy: 'never' } });
    const intent = { kind: 'recover', reason: 'liveness probe failed 3 times in a row' } as const;
    const step = stepFrom(stopping(intent), input.exited(null, 'SIGTERM'), spec);
    expect(step.record.state).toMatchObject({
      status: 'failed',
      reason: 'liveness probe failed 3 times in a row; killed by SIGTERM',
    });
  });
});

describe('probe', () => {
  const startingWithPid: ProcessState = { status: 'starting', since: 0, pid: 7, restarting: false };

  it('readiness passing makes a starting process running and healthy, then starts liveness', () => {
    const step = stepFrom(startingWithPid, input.probe('readiness', true), probed);
    expect(step.record.state).toEqual({ status: 'running', pid: 7, since: 0, readyAt: NOW });
    expect(step.record.health).toBe('healthy');
    expect(step.effects).toEqual([
      event('process:health', { from: 'unknown', to: 'healthy' }),
      event('process:ready'),
      { type: 'disarm-timer', timer: 'start-timeout' },
      { type: 'probe', probe: 'liveness', run: true },
    ]);
  });

  it('readiness failing while starting means not ready yet: no unhealthy verdict, no restart', () => {
    const s = new Scenario(probed, NOW, recordIn(probed, startingWithPid));
    s.send(input.probe('readiness', false));
    for (let failure = 2; failure <= 3; failure += 1) {
      expect(s.send(input.probe('readiness', false))).toEqual([]);
    }
    expect(s.record.probes.readiness).toEqual({
      failures: 3,
      passing: false,
      lastFailure: { message: 'connection refused', count: 3, since: NOW },
    });
    expect(s.record.health).toBe('unknown');
    expect(s.state.status).toBe('starting');
  });

  it('readiness turning bad while running marks unhealthy but keeps it running', () => {
    const s = new Scenario(probed, NOW, recordIn(probed, STATES.running));
    s.send(input.probe('readiness', true));
    s.sendAll(...Array(3).fill(input.probe('readiness', false)));
    expect(s.record.health).toBe('unhealthy');
    expect(s.state.status).toBe('running');
    expect(s.log.filter((effect) => effect.type === 'signal')).toEqual([]);
  });

  it('a success clears the failure streak', () => {
    const s = new Scenario(probed, NOW, recordIn(probed, STATES.running));
    s.sendAll(input.probe('readiness', false), input.probe('readiness', false));
    s.send(input.probe('readiness', true));
    s.sendAll(input.probe('readiness', false), input.probe('readiness', false));
    expect(s.record.probes.readiness).toMatchObject({ failures: 2, passing: true });
    expect(s.record.health).toBe('healthy');
  });

  it('announces health only when it changes', () => {
    const s = new Scenario(probed, NOW, recordIn(probed, STATES.running));
    expect(eventTypes(s.send(input.probe('readiness', true)))).toEqual(['process:health']);
    expect(s.send(input.probe('readiness', true))).toEqual([]);
  });

  it('liveness failing at the threshold stops a running process to recover it', () => {
    const s = new Scenario(probed, NOW, recordIn(probed, STATES.running));
    s.sendAll(input.probe('liveness', false), input.probe('liveness', false));
    expect(s.state.status).toBe('running');
    const effects = s.send(input.probe('liveness', false));
    expect(s.state).toMatchObject({
      status: 'stopping',
      intent: { kind: 'recover', reason: 'liveness probe failed 3 times in a row' },
    });
    // Readiness is the health source here: liveness does not touch `health`.
    expect(s.record.health).toBe('unknown');
    expect(effects).toEqual([
      { type: 'probe', probe: 'readiness', run: false },
      { type: 'probe', probe: 'liveness', run: false },
      { type: 'disarm-timer', timer: 'min-uptime' },
      { type: 'signal', signal: 'SIGTERM' },
      { type: 'arm-timer', timer: 'stop-deadline', at: NOW + 10_000 },
    ]);
  });

  it('liveness is the health source when there is no readiness probe', () => {
    const s = new Scenario(livenessOnly, NOW, recordIn(livenessOnly, STATES.running));
    expect(eventsOf(s.send(input.probe('liveness', true)))).toEqual([
      { type: 'process:health', name: 'api', at: NOW, from: 'unknown', to: 'healthy' },
    ]);
  });

  it('liveness failing does not stop a process that is still starting', () => {
    const s = new Scenario(livenessOnly, NOW, recordIn(livenessOnly, startingWithPid));
    s.sendAll(...Array(3).fill(input.probe('liveness', false)));
    expect(s.state.status).toBe('starting');
    expect(s.record.health).toBe('unknown');
  });

  it('readiness passing again while running changes nothing but the tally', () => {
    const record = { ...recordIn(probed, STATES.running), health: 'healthy' as const };
    const step = transition(probed, record, input.probe('readiness', true), NOW);
    expect(step.effects).toEqual([]);
    expect(step.record.state).toBe(record.state);
  });

  it.each(['pending', 'starting (no pid)', 'stopping', 'stopped', 'backoff', 'failed'] as const)(
    'is ignored when %s: no run to judge',
    (label) => expectIgnored(label, input.probe('readiness', false), probed),
  );

  it('is ignored for a probe the spec does not have', () => {
    expectIgnored('running', input.probe('readiness', false), livenessOnly);
    expectIgnored('running', input.probe('liveness', false), plain);
  });
});

describe('timer', () => {
  it('backoff: goes pending as a restart, keeping the ledger', () => {
    const record = {
      ...recordIn(plain, STATES.backoff),
      ledger: { recent: [0], shortRuns: 1 },
    };
    const step = transition(plain, record, input.timer('backoff'), NOW);
    expect(step.record.state).toEqual(pendingSince(true));
    expect(step.record.ledger).toBe(record.ledger);
    expect(step.effects).toEqual([pendingEvent]);
  });

  it('min-uptime: a starting process without readiness probe becomes running', () => {
    const step = stepFrom(STATES.starting, input.timer('min-uptime'));
    expect(step.record.state).toEqual({ status: 'running', pid: 42, since: 0, readyAt: NOW });
    expect(step.effects).toEqual([event('process:ready')]);
  });

  it('min-uptime: starts the liveness probe once running', () => {
    const step = stepFrom(STATES.starting, input.timer('min-uptime'), livenessOnly);
    expect(step.effects).toEqual([
      event('process:ready'),
      { type: 'probe', probe: 'liveness', run: true },
    ]);
  });

  it('min-uptime: is ignored when readiness gates running', () =>
    expectIgnored('starting', input.timer('min-uptime'), probed));

  it('stop-deadline: kills the group once and remembers it', () => {
    const s = new Scenario(plain, NOW, recordIn(plain, STATES.stopping));
    expect(s.send(input.timer('stop-deadline'))).toEqual([{ type: 'kill' }]);
    expect(s.state).toMatchObject({ status: 'stopping', killed: true });
    expect(s.send(input.timer('stop-deadline'))).toEqual([]);
  });

  it.each([
    ['backoff', labelsExcept('backoff')],
    ['min-uptime', labelsExcept('starting')],
    ['stop-deadline', labelsExcept('stopping')],
  ] as const)('%s: a late timer is ignored in any other status', (timer, labels) => {
    for (const label of labels) expectIgnored(label, input.timer(timer));
  });
});

describe('healthSource and nextTally', () => {
  it('takes health from readiness, else liveness, else nothing', () => {
    expect(healthSource(probed)).toBe('readiness');
    expect(healthSource(livenessOnly)).toBe('liveness');
    expect(healthSource(plain)).toBeNull();
  });

  it('keeps the previous verdict until failures reach the threshold', () => {
    const passing = { failures: 0, passing: true, lastFailure: null };
    const refused = { message: 'connection refused', count: 1, since: 10 };
    expect(nextTally(passing, 'connection refused', 2, 10)).toEqual({
      failures: 1,
      passing: true,
      lastFailure: refused,
    });
    expect(
      nextTally({ failures: 1, passing: true, lastFailure: refused }, 'connection refused', 2, 20),
    ).toEqual({ failures: 2, passing: false, lastFailure: { ...refused, count: 2 } });
    expect(nextTally(FRESH_TALLY, 'HTTP 503', 1, 30)).toEqual({
      failures: 1,
      passing: false,
      lastFailure: { message: 'HTTP 503', count: 1, since: 30 },
    });
    expect(nextTally({ failures: 5, passing: false, lastFailure: refused }, null, 2, 40)).toEqual({
      failures: 0,
      passing: true,
      lastFailure: null,
    });
  });

  it('counts failures with one message together, from the first of them', () => {
    const refused = {
      failures: 4,
      passing: false,
      lastFailure: { message: 'connection refused', count: 4, since: 10 },
    };
    expect(nextTally(refused, 'HTTP 503', 3, 50)).toEqual({
      failures: 5,
      passing: false,
      lastFailure: { message: 'HTTP 503', count: 1, since: 50 },
    });
  });
});

describe('scenarios', () => {
  it('a service with a readiness probe: start, ready, stop, in order', () => {
    const s = new Scenario(probed);
    s.sendAll(input.start, input.admit, input.spawned(7));
    s.after(300).send(input.probe('readiness', true));
    s.after(60_000).send(input.stop);
    s.after(50).send(input.exited(0));
    expect(eventTypes(s.log)).toEqual([
      'process:pending',
      'process:starting',
      'process:started',
      'process:health',
      'process:ready',
      'process:health',
      'process:exit',
      'process:stopped',
    ]);
    expect(s.state).toMatchObject({ status: 'stopped', lastExit: { code: 0, runMs: 60_350 } });
    expect(s.record.health).toBe('unknown');
  });

  it('a crash loop fails after exactly max_restarts restarts, with growing delays', () => {
    const s = new Scenario(makeSpec({ restart: { max_restarts: 3 } }));
    s.send(input.start);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      s.crash(200);
      expect(s.state).toMatchObject({ status: 'backoff', attempt });
      s.fire('backoff');
    }
    s.crash(200);
    expect(s.state).toMatchObject({
      status: 'failed',
      reason: 'restart budget spent: exited with code 1 after 3 restarts within 1m',
      lastExit: { code: 1, runMs: 200 },
    });
    const events = eventsOf(s.log);
    expect(events.flatMap((e) => (e.type === 'process:backoff' ? [e.delayMs] : []))).toEqual([
      1_000, 2_000, 4_000,
    ]);
    expect(events.filter((e) => e.type === 'process:restarted')).toHaveLength(3);
    expect(s.log.filter((effect) => effect.type === 'spawn')).toHaveLength(4);
    expect(s.record.ledger.recent).toHaveLength(3);
  });

  it('a run that lasted min_uptime resets the backoff to delay', () => {
    const s = new Scenario(plain);
    s.send(input.start);
    s.crash(100);
    s.fire('backoff');
    s.crash(100);
    expect(s.state).toMatchObject({ status: 'backoff', until: s.now + 2_000 });
    s.fire('backoff');
    s.launch(7);
    s.after(5_000).send(input.exited(1));
    expect(s.state).toMatchObject({ status: 'backoff', until: s.now + 1_000, attempt: 3 });
  });

  it('crashes spread wider than the window never spend the budget', () => {
    const s = new Scenario(makeSpec({ restart: { max_restarts: 1, window: '10s' } }));
    s.send(input.start);
    for (let run = 0; run < 5; run += 1) {
      s.crash(20_000);
      expect(s.state).toMatchObject({ status: 'backoff', attempt: 1 });
      s.fire('backoff');
    }
    expect(eventsOf(s.log).filter((e) => e.type === 'process:backoff')).toHaveLength(5);
  });

  it('a stop that is ignored escalates to SIGKILL at the deadline', () => {
    const s = new Scenario(plain);
    s.send(input.start);
    s.launch(7);
    s.after(1_000).send(input.stop);
    expect(s.fire('stop-deadline')).toEqual([{ type: 'kill' }]);
    s.send(input.exited(null, 'SIGKILL'));
    expect(s.state).toMatchObject({
      status: 'stopped',
      lastExit: { signal: 'SIGKILL', killedAfterTimeout: true },
    });
  });

  it('a stop while the spawn is under way ends the stray child and ignores its exit', () => {
    const s = new Scenario(plain);
    s.sendAll(input.start, input.admit, input.stop);
    expect(s.send(input.spawned(7))).toEqual([{ type: 'kill' }]);
    expect(s.send(input.exited(null, 'SIGKILL'))).toEqual([]);
    expect(s.state.status).toBe('stopped');
  });

  it('a requested restart of a running process starts it again as a restart', () => {
    const s = new Scenario(plain);
    s.send(input.start);
    s.launch(7);
    s.send(input.restart);
    s.send(input.exited(null, 'SIGTERM'));
    const effects = s.sendAll(input.admit, input.spawned(8));
    expect(eventTypes(effects)).toEqual([
      'process:starting',
      'process:started',
      'process:restarted',
    ]);
    expect(s.record.ledger.recent).toEqual([]);
  });

  it('a failed liveness probe restarts the process through the policy', () => {
    const s = new Scenario(livenessOnly);
    s.send(input.start);
    s.launch(7);
    s.sendAll(...Array(3).fill(input.probe('liveness', false)));
    expect(s.record.health).toBe('unhealthy');
    const effects = s.after(100).send(input.exited(null, 'SIGTERM'));
    expect(s.state).toMatchObject({ status: 'backoff', attempt: 1 });
    // The verdict belonged to the run that ended.
    expect(eventsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'process:health', from: 'unhealthy', to: 'unknown' }),
    );
  });

  it('an explicit start after failing gets a fresh budget', () => {
    const s = new Scenario(makeSpec({ restart: { max_restarts: 1 } }));
    s.send(input.start);
    s.crash(100);
    s.fire('backoff');
    s.crash(100);
    expect(s.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('budget') });
    expect(s.attempt(input.stop).rejection?.code).toBe('INVALID_STATE');
    s.send(input.start);
    s.crash(100);
    expect(s.state).toMatchObject({ status: 'backoff', attempt: 1 });
  });
});

describe('refusalOf, the rule a client checks every name with before acting', () => {
  it.each(Object.keys(STATES) as StateLabel[])('agrees with transition in %s', (label) => {
    const record = recordIn(plain, STATES[label]);
    for (const request of ['start', 'stop', 'restart'] as const) {
      const step = transition(plain, record, input[request], NOW);
      expect(refusalOf(request, 'api', STATES[label].status)).toEqual(step.rejection);
    }
  });
});
