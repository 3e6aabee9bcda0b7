/**
 * Bad requests get a typed OverseerError with a stable code and a message naming what was
 * wrong, and change nothing (the guarantees in README.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OverseerError, type Supervisor } from '../../../src/index.js';
import { cleanup, createSupervisor, fixture, recordEvents } from '../helpers.js';

afterEach(cleanup);

/** The OverseerError that `action` throws (or rejects with). */
async function caught(action: () => unknown): Promise<OverseerError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return error as OverseerError;
  }
  throw new Error('expected an OverseerError, but nothing was thrown');
}

describe('typed errors', () => {
  it('start() without a target is refused with BAD_REQUEST naming what it takes, not a TypeError', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'known', command: fixture('sleeper.mjs') });
    const events = recordEvents(supervisor);
    const untyped = supervisor as unknown as Record<string, (target?: unknown) => unknown>;
    for (const action of ['start', 'stop', 'restart'] as const) {
      for (const target of [undefined, null, 42, { name: 'known' }]) {
        const error = await caught(() => untyped[action]!(target));
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.message).toContain("a process name, an instance, 'all' or { namespace }");
      }
    }
    expect(events).toEqual([]);
  });

  it('UNKNOWN_PROCESS for a name that was never declared', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'known', command: fixture('sleeper.mjs') });

    for (const action of [
      () => supervisor.get('nope'),
      () => supervisor.logs('nope'),
      () => supervisor.start('nope'),
      () => supervisor.stop('nope'),
      () => supervisor.restart('nope'),
      () => supervisor.up(['nope']),
    ]) {
      const error = await caught(action);
      expect(error.code).toBe('UNKNOWN_PROCESS');
      expect(error.message).toContain('nope');
    }
  });

  it('INVALID_STATE, naming the process, when stopping a process that is not running', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'idle',
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
    });

    const neverStarted = await caught(() => supervisor.stop('idle'));
    expect(neverStarted.code).toBe('INVALID_STATE');
    expect(neverStarted.message).toContain('idle');

    await supervisor.up();
    await supervisor.stop('idle');
    const stoppedTwice = await caught(() => supervisor.stop('idle'));
    expect(stoppedTwice.code).toBe('INVALID_STATE');
    expect(stoppedTwice.message).toMatch(/idle.*stopped/);
  });

  it('INVALID_STATE when starting a process that is already running', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'busy',
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
    });
    const [before] = await supervisor.up();

    const error = await caught(() => supervisor.start('busy'));

    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toContain('busy');
    expect(supervisor.get('busy').pid).toBe(before!.pid);
  });

  it('INVALID_SPEC with a path for every issue of an invalid definition', async () => {
    const supervisor = createSupervisor();

    const error = await caught(() =>
      supervisor.add({
        name: 'bad',
        command: '',
        restart: { max_restarts: -1, delay: 'soon' },
        stop: { signal: 'SIGNOPE' },
        // @ts-expect-error unknown keys are refused at runtime too
        colour: 'blue',
      }),
    );

    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toContain('bad');
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['command', 'restart.max_restarts', 'restart.delay', 'stop.signal']),
    );
    expect(error.issues.every((issue) => issue.message.length > 0)).toBe(true);
    expect(supervisor.list()).toEqual([]);
  });

  it('DUPLICATE_PROCESS for a name declared twice, keeping the first', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'api', command: fixture('sleeper.mjs') });

    const error = await caught(() =>
      supervisor.add({ name: 'api', command: fixture('exit-with.mjs', 1) }),
    );

    expect(error.code).toBe('DUPLICATE_PROCESS');
    expect(error.message).toContain('api');
    expect(supervisor.list().map((info) => info.name)).toEqual(['api']);
    expect(supervisor.get('api').spec.command).toEqual(fixture('sleeper.mjs'));
  });

  it('INVALID_SPEC from up() for a missing dependency, starting nothing', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'free', command: fixture('sleeper.mjs') });
    supervisor.add({ name: 'api', command: fixture('sleeper.mjs'), depends_on: ['db'] });
    const events = recordEvents(supervisor);

    const error = await caught(() => supervisor.up());

    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toContain('db');
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'processes.api.depends_on.db' }),
    ]);
    expectNothingStarted(supervisor, events);
  });

  it('INVALID_SPEC from up() naming a dependency cycle, starting nothing', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'free', command: fixture('sleeper.mjs') });
    supervisor.add({ name: 'a', command: fixture('sleeper.mjs'), depends_on: ['b'] });
    supervisor.add({ name: 'b', command: fixture('sleeper.mjs'), depends_on: { a: 'healthy' } });
    const events = recordEvents(supervisor);

    const error = await caught(() => supervisor.up());

    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toContain('a → b → a');
    expect(error.issues.map((issue) => issue.message)).toEqual(['dependency cycle: a → b → a']);
    expectNothingStarted(supervisor, events);
  });

  it('SHUT_DOWN for requests after shutdown()', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'api', command: fixture('sleeper.mjs') });
    await supervisor.shutdown();

    for (const action of [
      () => supervisor.up(),
      () => supervisor.start('api'),
      () => supervisor.add({ name: 'late', command: fixture('sleeper.mjs') }),
    ]) {
      expect((await caught(action)).code).toBe('SHUT_DOWN');
    }
  });
});

function expectNothingStarted(supervisor: Supervisor, events: readonly unknown[]): void {
  expect(events).toEqual([]);
  expect(supervisor.list().every((info) => info.status === 'stopped' && info.pid === null)).toBe(
    true,
  );
}
