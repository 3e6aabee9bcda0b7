/**
 * Small builders for core tests: specs with defaults applied, a record in any status, and
 * a scenario driver that feeds inputs through `transition` on a hand-moved clock.
 */
import { expect } from 'vitest';
import { specsFromDefinition } from '../../src/config/normalize.js';
import type { ProcessDefinition } from '../../src/config/process-schema.js';
import type { ProcessEvent } from '../../src/core/events.js';
import type { ProcessSpec } from '../../src/core/process/spec.js';
import type {
  ExitInfo,
  ProbeKind,
  ProcessRecord,
  ProcessState,
} from '../../src/core/process/state.js';
import {
  type Effect,
  initialRecord,
  type ProcessInput,
  type Step,
  type TimerKind,
  transition,
} from '../../src/core/process/transition.js';

/** The specs (one per instance) of a process named `api` unless told, with every default. */
export function makeSpecs(definition: Partial<ProcessDefinition> = {}): ProcessSpec[] {
  return specsFromDefinition({ name: 'api', command: 'node server.js', ...definition });
}

/** The first spec of `makeSpecs`. */
export function makeSpec(definition: Partial<ProcessDefinition> = {}): ProcessSpec {
  return makeSpecs(definition)[0]!;
}

/** How a run ended; a failing code 1 after 500 ms unless told otherwise. */
export function exitInfo(overrides: Partial<ExitInfo> = {}): ExitInfo {
  return { code: 1, signal: null, killedAfterTimeout: false, runMs: 500, at: 500, ...overrides };
}

/** A record of `spec` in the given state, with fresh probes and an empty ledger. */
export function recordIn(spec: ProcessSpec, state: ProcessState): ProcessRecord {
  return { ...initialRecord(spec, 0), state };
}

/** One sample state per status (and `starting` both before and after the pid is known). */
export const STATES = {
  pending: {
    status: 'pending',
    since: 0,
    restarting: false,
    reason: 'waiting for its dependencies and a free slot',
    blocked: false,
  },
  'starting (no pid)': { status: 'starting', since: 0, pid: null, restarting: false },
  starting: { status: 'starting', since: 0, pid: 42, restarting: false },
  running: { status: 'running', pid: 42, since: 0, readyAt: 1_000 },
  stopping: {
    status: 'stopping',
    pid: 42,
    since: 0,
    deadline: 10_000,
    intent: { kind: 'stop' },
    killed: false,
  },
  stopped: { status: 'stopped', since: 0, lastExit: null },
  backoff: { status: 'backoff', since: 0, until: 1_000, attempt: 1, lastExit: exitInfo() },
  completed: { status: 'completed', since: 0, lastExit: exitInfo({ code: 0 }) },
  failed: { status: 'failed', since: 0, reason: 'spawn error: ENOENT', lastExit: null },
} as const satisfies Record<string, ProcessState>;

export type StateLabel = keyof typeof STATES;

/** The labels of `STATES` except those listed, for "from every other status" tables. */
export function labelsExcept(...excluded: StateLabel[]): StateLabel[] {
  return (Object.keys(STATES) as StateLabel[]).filter((label) => !excluded.includes(label));
}

/** Shorthands for inputs, so scenarios read as a list of what happens. */
export const input = {
  start: { type: 'start' } as ProcessInput,
  stop: { type: 'stop' } as ProcessInput,
  restart: { type: 'restart' } as ProcessInput,
  admit: { type: 'admit' } as ProcessInput,
  recover: (reason: string): ProcessInput => ({ type: 'recover', reason }),
  dependencyFailed: (reason: string): ProcessInput => ({ type: 'dependency-failed', reason }),
  spawned: (pid: number): ProcessInput => ({ type: 'spawned', pid }),
  spawnFailed: (message: string): ProcessInput => ({ type: 'spawn-failed', message }),
  exited: (code: number | null, signal: string | null = null): ProcessInput => ({
    type: 'exited',
    code,
    signal,
  }),
  probe: (probe: ProbeKind, ok: boolean, message = 'connection refused'): ProcessInput =>
    ok ? { type: 'probe', probe, ok } : { type: 'probe', probe, ok, message },
  timer: (timer: TimerKind): ProcessInput => ({ type: 'timer', timer }),
};

/** The emitted events among some effects, in order. */
export function eventsOf(effects: readonly Effect[]): ProcessEvent[] {
  return effects.flatMap((effect) => (effect.type === 'emit' ? [effect.event] : []));
}

/** The types of the emitted events among some effects, in order. */
export function eventTypes(effects: readonly Effect[]): string[] {
  return eventsOf(effects).map((event) => event.type);
}

/**
 * Drives one process through inputs at a clock moved by hand. `send` refuses rejections
 * (use `attempt` to look at one); every step's effects are kept in `log`.
 */
export class Scenario {
  record: ProcessRecord;
  readonly log: Effect[] = [];

  constructor(
    readonly spec: ProcessSpec,
    public now = 0,
    record: ProcessRecord = initialRecord(spec, now),
  ) {
    this.record = record;
  }

  get state(): ProcessState {
    return this.record.state;
  }

  /** Feeds one input now and returns its effects; fails the test on a rejection. */
  send(processInput: ProcessInput): readonly Effect[] {
    const step = this.attempt(processInput);
    expect(step.rejection, `${processInput.type} in ${this.state.status}`).toBeUndefined();
    return step.effects;
  }

  /** Feeds one input now and returns the whole step, rejection included. */
  attempt(processInput: ProcessInput): Step {
    const step = transition(this.spec, this.record, processInput, this.now);
    this.record = step.record;
    this.log.push(...step.effects);
    return step;
  }

  /** Feeds several inputs now and returns all their effects. */
  sendAll(...inputs: ProcessInput[]): Effect[] {
    return inputs.flatMap((each) => [...this.send(each)]);
  }

  /** Moves the clock forward. */
  after(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Moves the clock to the moment a timer effect asked to be woken, and fires that timer. */
  fire(timer: TimerKind): readonly Effect[] {
    const armed = this.log.findLast(
      (effect) => effect.type === 'arm-timer' && effect.timer === timer,
    );
    if (armed?.type !== 'arm-timer') throw new Error(`no ${timer} timer was armed`);
    this.now = Math.max(this.now, armed.at);
    return this.send(input.timer(timer));
  }

  /** From `pending`: admitted, spawned with `pid`, and past `min_uptime` (no readiness probe). */
  launch(pid: number): Effect[] {
    const effects = this.sendAll(input.admit, input.spawned(pid));
    return [...effects, ...this.fire('min-uptime')];
  }

  /** From `pending`: admitted, spawned, and exits with `code` after `runMs`. */
  crash(runMs: number, code = 1, pid = 100): Effect[] {
    const effects = this.sendAll(input.admit, input.spawned(pid));
    this.after(runMs);
    return [...effects, ...this.send(input.exited(code))];
  }
}
