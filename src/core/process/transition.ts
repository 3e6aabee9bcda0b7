/**
 * The lifecycle of one process as a pure function:
 * `transition(spec, record, input, now) → {record, effects}`. The supervisor feeds inputs
 * (requests, OS news, probe results, timers) and carries out the effects; nothing here
 * touches the OS or reads a clock.
 *
 * Each input has one handler, grouped by what they are about (handlers/); they are written
 * in the moves of `StepBuilder`. The vocabulary of the signature is exported from here too.
 */

import { CLOSED_BREAKER } from './breaker.js';
import { EXIT_HANDLERS } from './handlers/exits.js';
import { PROBE_HANDLERS } from './handlers/probes.js';
import { REQUEST_HANDLERS } from './handlers/requests.js';
import { SCHEDULE_HANDLERS } from './handlers/schedule.js';
import { SPAWN_HANDLERS } from './handlers/spawning.js';
import { TIMER_HANDLERS } from './handlers/timers.js';
import type { ProcessInput } from './input.js';
import { initialHealth } from './probe-tally.js';
import type { ProcessSpec } from './spec.js';
import { EMPTY_LEDGER, FRESH_TALLY, type ProcessRecord, SCHEDULE_OFF } from './state.js';
import { type Handlers, type Step, StepBuilder } from './step-builder.js';

export type { Effect } from './effect.js';
export type { ProcessInput, TimerKind } from './input.js';
export type { Rejection } from './refusal.js';
export type { Step } from './step-builder.js';

/** A record for a process that has been declared but not asked to run. */
export function initialRecord(spec: ProcessSpec, now: number): ProcessRecord {
  return {
    state: { status: 'stopped', since: now, lastExit: null },
    health: initialHealth(spec),
    ledger: EMPTY_LEDGER,
    breaker: CLOSED_BREAKER,
    probes: { readiness: FRESH_TALLY, liveness: FRESH_TALLY },
    violations: {},
    limitBreaches: [],
    ...(spec.schedule && { schedule: SCHEDULE_OFF }),
  };
}

/** The next record of a process in `record` after `input` at `now`, and what to do about it. */
export function transition(
  spec: ProcessSpec,
  record: ProcessRecord,
  input: ProcessInput,
  now: number,
): Step {
  const context = new StepBuilder(spec, record, now);
  HANDLERS[input.type](context, input as never);
  return context.result();
}

/** Every input's handler: a missing one is a compile error. */
const HANDLERS: Handlers<ProcessInput['type']> = {
  ...REQUEST_HANDLERS,
  ...SPAWN_HANDLERS,
  ...EXIT_HANDLERS,
  ...PROBE_HANDLERS,
  ...TIMER_HANDLERS,
  ...SCHEDULE_HANDLERS,
};
