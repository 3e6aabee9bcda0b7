/**
 * The restart circuit breaker (`restart.cooldown`, docs/lifecycle.md): its half-open cycle
 * through `transition` on a clock moved by hand, which failures it retries, and how
 * requests call it off.
 */
import { describe, expect, it } from 'vitest';
import { CLOSED_BREAKER, halfOpen, tripBreaker } from '../../../src/core/process/breaker.js';
import { refusalOf } from '../../../src/core/process/refusal.js';
import { decideRestart } from '../../../src/core/process/restart.js';
import { EMPTY_LEDGER, type ProcessState } from '../../../src/core/process/state.js';
import { describeProcess } from '../../../src/core/view.js';
import { eventsOf, exitInfo, input, makeSpec, Scenario } from '../helpers.js';

/** One restart allowed, then the breaker: 1 s, doubling up to 3 s. */
const BREAKER = {
  restart: { max_restarts: 1, delay: 10, min_uptime: 1_000, cooldown: '1s', max_cooldown: '3s' },
} as const;

/** Started, crashed once (backoff), restarted, crashed again: the budget is spent. */
function tripped(definition: Parameters<typeof makeSpec>[0] = BREAKER): Scenario {
  const s = new Scenario(makeSpec(definition));
  s.send(input.start);
  s.crash(100);
  s.fire('backoff');
  s.crash(100);
  return s;
}

const failedState = (s: Scenario) => s.state as Extract<ProcessState, { status: 'failed' }>;
const armedCooldowns = (s: Scenario) =>
  s.log.filter((effect) => effect.type === 'arm-timer' && effect.timer === 'cooldown');

describe('the breaker: half-open cycle', () => {
  it('fail → retryAt → try → fail → doubled → try → fail → capped → try → up: closed, budget whole', () => {
    const s = tripped();
    expect(s.state).toMatchObject({ status: 'failed', retryAt: s.now + 1_000 });
    expect(failedState(s).reason).toMatch(/^restart budget spent: exited with code 1/);
    const failed = eventsOf(s.log).filter((event) => event.type === 'process:failed');
    expect(failed.at(-1)).toMatchObject({ retryAt: s.now + 1_000 });
    expect(s.record.breaker).toEqual({ position: 'open', cooldownMs: 1_000 });

    // The cooldown is over: one try, which fails at once, however much budget the window has.
    s.fire('cooldown');
    expect(s.state).toMatchObject({ status: 'pending', restarting: true });
    expect(s.record.breaker).toEqual({ position: 'half-open', cooldownMs: 1_000 });
    s.crash(100);
    expect(s.state).toMatchObject({
      status: 'failed',
      reason: 'not up after a cooldown of 1s: exited with code 1',
      retryAt: s.now + 2_000,
    });

    s.fire('cooldown');
    s.crash(100);
    expect(failedState(s).retryAt).toBe(s.now + 3_000); // 4 s capped at max_cooldown

    s.fire('cooldown');
    s.launch(200); // lasted min_uptime: up
    expect(s.state.status).toBe('running');
    expect(s.record.breaker).toEqual(CLOSED_BREAKER);
    expect(s.record.ledger).toEqual(EMPTY_LEDGER);

    // A whole budget again, and the first cooldown again when it is spent.
    s.after(5_000).send(input.exited(1));
    expect(s.state.status).toBe('backoff');
    s.fire('backoff');
    s.crash(100);
    expect(s.state).toMatchObject({ status: 'failed', retryAt: s.now + 1_000 });
  });

  it('a try that becomes ready closes the breaker, before min_uptime', () => {
    const s = tripped({
      ...BREAKER,
      readiness: { http: 'http://127.0.0.1:3000/health' },
    });
    s.fire('cooldown');
    s.sendAll(input.admit, input.spawned(300));
    s.after(50).send(input.probe('readiness', true));
    expect(s.state.status).toBe('running');
    expect(s.record.breaker).toEqual(CLOSED_BREAKER);
  });

  it('a try not ready within start_timeout fails again, the reason saying both', () => {
    const s = tripped({
      ...BREAKER,
      start_timeout: '2s',
      readiness: { http: 'http://127.0.0.1:3000/health' },
    });
    s.fire('cooldown');
    s.sendAll(input.admit, input.spawned(300));
    s.fire('start-timeout');
    s.send(input.exited(null, 'SIGTERM'));
    expect(s.state).toMatchObject({ status: 'failed', retryAt: s.now + 2_000 });
    expect(failedState(s).reason).toBe(
      'not ready within start_timeout 2s; not up after a cooldown of 1s',
    );
  });

  it('shows retryAt in the public view, as an ISO time', () => {
    const s = tripped();
    const info = describeProcess(s.spec, s.record, { restarts: 1 }, s.now);
    expect(info.retryAt).toBe(new Date(s.now + 1_000).toISOString());
  });
});

describe('the breaker: which failures it retries', () => {
  it('without a cooldown, a spent budget fails for good: no retryAt, no timer', () => {
    const s = tripped({ restart: { max_restarts: 1, delay: 10 } });
    expect(s.state.status).toBe('failed');
    expect(failedState(s).retryAt).toBeUndefined();
    expect(armedCooldowns(s)).toEqual([]);
  });

  it('policy never with a bad exit code is a verdict, not retried', () => {
    const s = new Scenario(makeSpec({ restart: { ...BREAKER.restart, policy: 'never' } }));
    s.send(input.start);
    s.crash(100);
    expect(s.state.status).toBe('failed');
    expect(failedState(s).retryAt).toBeUndefined();
  });

  it('a spawn error or a sandbox refusal is not retried', () => {
    const s = new Scenario(makeSpec(BREAKER));
    s.sendAll(input.start, input.admit, input.spawnFailed('ENOENT'));
    expect(failedState(s).retryAt).toBeUndefined();
    s.sendAll(input.start, input.admit, { type: 'sandbox-refused', message: 'not allowed' });
    expect(failedState(s).retryAt).toBeUndefined();
    expect(armedCooldowns(s)).toEqual([]);
  });

  it('a limit whose action is stop is not retried', () => {
    const halted = new Scenario(
      makeSpec({ ...BREAKER, limits: { memory: '1MB', memory_action: 'stop' } }),
    );
    halted.send(input.start);
    halted.launch(100);
    halted.send({
      type: 'limit',
      breach: {
        resource: 'memory',
        value: 2 * 1024 * 1024,
        limit: 1024 * 1024,
        action: 'stop',
        severity: 'critical',
        suppressed: 0,
        report: true,
        reason: 'memory 2MB over limit 1MB',
      },
    });
    halted.send(input.exited(null, 'SIGTERM'));
    expect(halted.state.status).toBe('failed');
    expect(failedState(halted).retryAt).toBeUndefined();
  });
});

describe('the breaker: requests', () => {
  it('stop calls the try off: stopped, timer disarmed, breaker closed', () => {
    const s = tripped();
    const effects = s.send(input.stop);
    expect(s.state.status).toBe('stopped');
    expect(effects).toContainEqual({ type: 'disarm-timer', timer: 'cooldown' });
    expect(s.record.breaker).toEqual(CLOSED_BREAKER);
  });

  it('stop of a failed process with no try to come is still refused', () => {
    const s = tripped({ restart: { max_restarts: 1, delay: 10 } });
    expect(s.attempt(input.stop).rejection?.message).toBe('api is not running (failed)');
    expect(refusalOf('stop', 'api', 'failed', true)).toBeUndefined();
    expect(refusalOf('stop', 'api', 'failed', false)).toBeDefined();
  });

  it.each(['start', 'restart'] as const)(
    '%s tries at once, with a whole budget and a closed breaker',
    (request) => {
      const s = tripped();
      const effects = s.send(input[request]);
      expect(s.state).toMatchObject({ status: 'pending' });
      expect(effects).toContainEqual({ type: 'disarm-timer', timer: 'cooldown' });
      expect(s.record.breaker).toEqual(CLOSED_BREAKER);
      expect(s.record.ledger).toEqual(EMPTY_LEDGER);
    },
  );
});

describe('tripBreaker and decideRestart', () => {
  const spec = (restart: object) => makeSpec({ restart: { max_restarts: 0, ...restart } }).restart;

  it('waits cooldown first, then doubles from the last wait, capped at max_cooldown', () => {
    const restart = spec({ cooldown: 1_000, max_cooldown: 5_000 });
    expect(tripBreaker(restart, CLOSED_BREAKER)?.cooldownMs).toBe(1_000);
    const afterTry = (ms: number) =>
      tripBreaker(restart, halfOpen({ position: 'open', cooldownMs: ms }));
    expect(afterTry(1_000)?.cooldownMs).toBe(2_000);
    expect(afterTry(4_000)?.cooldownMs).toBe(5_000);
    expect(tripBreaker(spec({}), CLOSED_BREAKER)).toBeUndefined();
  });

  it('caps at an hour when max_cooldown is not given, or at cooldown when that is longer', () => {
    const open = (ms: number) => halfOpen({ position: 'open', cooldownMs: ms });
    expect(tripBreaker(spec({ cooldown: '40m' }), open(2_400_000))?.cooldownMs).toBe(3_600_000);
    expect(tripBreaker(spec({ cooldown: '2h' }), open(7_200_000))?.cooldownMs).toBe(7_200_000);
  });

  it('a half-open run that exits fails at once whatever the budget says', () => {
    const restart = spec({ max_restarts: 10, cooldown: 1_000 });
    const decision = decideRestart(restart, EMPTY_LEDGER, exitInfo(), 0, undefined, {
      position: 'half-open',
      cooldownMs: 1_000,
    });
    expect(decision).toEqual({
      action: 'fail',
      reason: 'not up after a cooldown of 1s: exited with code 1',
      retry: { cooldownMs: 2_000, breaker: { position: 'open', cooldownMs: 2_000 } },
    });
  });
});

describe('regression: a breaker left half-open by a stop', () => {
  // Stopped while waiting for its try, a process kept its half-open breaker: started again
  // later, its first crash failed it at once instead of going through the restart policy.
  it('is closed by the stop: the next crash backs off as the policy says', () => {
    const s = tripped();
    s.fire('cooldown');
    s.send(input.stop);
    expect(s.record.breaker).toEqual(CLOSED_BREAKER);
    s.after(60_000).send(input.start);
    s.crash(100);
    expect(s.state.status).toBe('backoff');
  });
});
