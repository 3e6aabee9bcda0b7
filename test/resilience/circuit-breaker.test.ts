import { describe, expect, it, vi } from 'vitest';
import { DECORRELATED_JITTER, exponentialBackoff } from '../../src/core/backoff.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { BreakerOpenError } from '../../src/resilience/errors.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return {
    read: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const fail = async () => {
  throw new Error('down');
};
const succeed = async () => 'up';

/** Runs `work` and swallows its rejection: the breaker's reaction is what is looked at. */
async function attempt(
  policy: { execute: (fn: () => Promise<string>) => Promise<string> },
  work: () => Promise<string>,
) {
  await policy.execute(work).catch(() => undefined);
}

type BreakerOptions = Parameters<typeof circuitBreaker>[0];

/** A breaker named db that opens at the first failure and half-opens after 1 s, unless told. */
function dbBreaker(overrides: Partial<BreakerOptions> = {}) {
  return circuitBreaker({
    name: 'db',
    opensAfter: { consecutive: 1 },
    halfOpenAfter: 1_000,
    ...overrides,
  });
}

describe('circuitBreaker', () => {
  it('opens after N consecutive failures; a success in between resets the count', async () => {
    const clock = manualClock();
    const breaker = circuitBreaker({
      name: 'db',
      opensAfter: { consecutive: 3 },
      halfOpenAfter: 5_000,
      clock: clock.read,
    });
    const opened = vi.fn();
    breaker.onOpen(opened);
    await attempt(breaker, fail);
    await attempt(breaker, fail);
    await attempt(breaker, succeed);
    await attempt(breaker, fail);
    await attempt(breaker, fail);
    expect(breaker.state()).toEqual({ kind: 'closed' });
    await attempt(breaker, fail);
    expect(breaker.state()).toEqual({ kind: 'open', until: clock.read() + 5_000 });
    expect(opened).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'db', until: clock.read() + 5_000 }),
    );
  });

  it('opens by rate only once the window holds the minimum of calls', async () => {
    const clock = manualClock();
    const breaker = circuitBreaker({
      name: 'api',
      opensAfter: { rate: 0.5, window: '10s', minimumCalls: 4 },
      halfOpenAfter: 1_000,
      clock: clock.read,
    });
    await attempt(breaker, fail);
    await attempt(breaker, succeed);
    await attempt(breaker, fail);
    expect(breaker.state().kind).toBe('closed');
    await attempt(breaker, fail);
    expect(breaker.state().kind).toBe('open');
  });

  it('by rate forgets the calls that left the window', async () => {
    const clock = manualClock();
    const breaker = circuitBreaker({
      name: 'api',
      opensAfter: { rate: 0.5, window: 10_000, minimumCalls: 3 },
      halfOpenAfter: 1_000,
      clock: clock.read,
    });
    await attempt(breaker, fail);
    await attempt(breaker, fail);
    clock.advance(10_000);
    await attempt(breaker, fail);
    await attempt(breaker, succeed);
    await attempt(breaker, succeed);
    expect(breaker.state().kind).toBe('closed');
  });

  it('rejects while open with a BreakerOpenError carrying retryAt, without calling the work', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({ halfOpenAfter: 5_000, clock: clock.read });
    const rejected = vi.fn();
    breaker.onReject(rejected);
    await attempt(breaker, fail);
    const work = vi.fn(succeed);
    const error = await breaker.execute(work).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(error).toMatchObject({ breaker: 'db', retryAt: clock.read() + 5_000 });
    expect(work).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledWith({ name: 'db', retryAt: clock.read() + 5_000 });
  });

  it('turns half-open once the duration has passed', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({ halfOpenAfter: '5s', clock: clock.read });
    const halfOpened = vi.fn();
    breaker.onHalfOpen(halfOpened);
    await attempt(breaker, fail);
    clock.advance(4_999);
    expect(breaker.state().kind).toBe('open');
    clock.advance(1);
    expect(breaker.state()).toEqual({ kind: 'halfOpen' });
    expect(halfOpened).toHaveBeenCalledTimes(1);
  });

  it('half-open: a successful trial closes it', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({ clock: clock.read });
    const closed = vi.fn();
    breaker.onClose(closed);
    await attempt(breaker, fail);
    clock.advance(1_000);
    await expect(breaker.execute(succeed)).resolves.toBe('up');
    expect(breaker.state()).toEqual({ kind: 'closed' });
    expect(closed).toHaveBeenCalledWith({ name: 'db' });
  });

  it('half-open: a failed trial opens it again, and refuses others while the trial runs', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({ clock: clock.read });
    await attempt(breaker, fail);
    clock.advance(1_000);
    let failTrial: (error: Error) => void = () => {};
    const trial = breaker.execute(
      () =>
        new Promise<string>((_, reject) => {
          failTrial = reject;
        }),
    );
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    failTrial(new Error('still down'));
    await expect(trial).rejects.toThrow('still down');
    expect(breaker.state()).toEqual({ kind: 'open', until: clock.read() + 1_000 });
  });

  it('with a backoff, stays open longer at each opening in a row', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({
      halfOpenAfter: exponentialBackoff({ initialMs: 1_000, factor: 2, maxMs: 60_000 }),
      clock: clock.read,
    });
    const spans: number[] = [];
    breaker.onOpen(({ until }) => spans.push(until - clock.read()));
    await attempt(breaker, fail);
    clock.advance(1_000);
    await attempt(breaker, fail);
    clock.advance(2_000);
    await attempt(breaker, fail);
    expect(spans).toEqual([1_000, 2_000, 4_000]);
  });

  it('survives a restart: restored from its JSON, an open breaker is still open', async () => {
    const clock = manualClock();
    const options = {
      name: 'db',
      opensAfter: { consecutive: 1 },
      halfOpenAfter: 30_000,
      clock: clock.read,
    };
    const before = circuitBreaker(options);
    await attempt(before, fail);
    const written = JSON.stringify(before);

    clock.advance(10_000);
    const after = circuitBreaker(options);
    after.restore(JSON.parse(written));
    expect(after.state()).toEqual({ kind: 'open', until: 1_030_000 });
    await expect(after.execute(succeed)).rejects.toMatchObject({ retryAt: 1_030_000 });
    clock.advance(20_000);
    await expect(after.execute(succeed)).resolves.toBe('up');
    expect(after.toJSON()).toEqual({ name: 'db', state: { kind: 'closed' }, openings: 0 });
  });

  it('refuses to restore what is not its own serialized state', () => {
    const breaker = dbBreaker();
    expect(() => breaker.restore({ name: 'db', state: { kind: 'open' }, openings: 1 })).toThrow(
      TypeError,
    );
    expect(() =>
      breaker.restore({ name: 'other', state: { kind: 'closed' }, openings: 0 }),
    ).toThrow(/other/);
  });

  it('does not count a call its caller aborted as a failure', async () => {
    const breaker = dbBreaker();
    const controller = new AbortController();
    controller.abort();
    await expect(
      breaker.execute(({ signal }) => Promise.reject(signal.reason), controller.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(breaker.state()).toEqual({ kind: 'closed' });
  });

  it('a listener that throws never breaks a call', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({ clock: clock.read });
    const boom = () => {
      throw new Error('listener');
    };
    breaker.onOpen(boom);
    breaker.onHalfOpen(boom);
    breaker.onClose(boom);
    breaker.onReject(boom);
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    clock.advance(1_000);
    await expect(breaker.execute(succeed)).resolves.toBe('up');
  });

  it('grows a decorrelated halfOpenAfter from the opening before, not from its initial delay each time', async () => {
    const clock = manualClock();
    const breaker = dbBreaker({
      halfOpenAfter: exponentialBackoff({
        initialMs: 1_000,
        factor: 2,
        maxMs: 20_000,
        jitter: DECORRELATED_JITTER,
      }),
      clock: clock.read,
      random: () => 1,
    });
    const lengths: number[] = [];
    breaker.onOpen(({ until }) => lengths.push(until - clock.read()));
    await attempt(breaker, fail);
    for (let trial = 0; trial < 3; trial++) {
      clock.advance(lengths.at(-1)!);
      await attempt(breaker, fail);
    }
    expect(lengths).toEqual([3_000, 9_000, 20_000, 20_000]);
  });
});
