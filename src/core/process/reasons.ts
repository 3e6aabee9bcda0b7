/**
 * Why a process waits, in words (a waiting process always says why): what a
 * `pending` one waits for, what a `starting` one's last probe saw, why a start took too
 * long. Pure: every time is given, none is read.
 */

import { formatDuration } from '../units.js';
import { describeExit } from './restart.js';
import type { DependencyCondition, ProcessSpec } from './spec.js';
import type { ExitInfo, ProbeFailure, ProbeKind, ProcessRecord, ProcessState } from './state.js';

/** A process just asked to run, before the scheduler has judged it (within the same step). */
export const AWAITING_SCHEDULER = 'waiting for its dependencies and a free slot';

/** A process just admitted, whose child has no pid yet: what `process:starting` says first. */
export const SPAWNING = 'spawning';

/** `waiting for a free slot (max_processes 4, all in use)` */
export function slotReason(maxProcesses: number): string {
  return `waiting for a free slot (max_processes ${maxProcesses}, all in use)`;
}

/**
 * `waiting for db to be healthy (db is stopped)`. An instance that waits on something that
 * will not happen unasked says so too, so the root of a chain of waits shows at every link:
 * `waiting for api to start (api is pending: waiting for db to be healthy (db is stopped))`.
 */
export function dependencyReason(
  dependency: string,
  condition: DependencyCondition,
  instance: string,
  state: ProcessState,
  healthy: boolean,
): string {
  return `waiting for ${dependency} ${CONDITION_WORDS[condition]} (${instance} is ${describeWhere(state, healthy)})`;
}

const CONDITION_WORDS: Readonly<Record<DependencyCondition, string>> = {
  started: 'to start',
  healthy: 'to be healthy',
  completed: 'to complete',
  completed_successfully: 'to complete successfully',
};

function describeWhere(state: ProcessState, healthy: boolean): string {
  if (state.status === 'pending' && state.blocked) return `pending: ${state.reason}`;
  if (state.status === 'running' && !healthy) return 'running, unhealthy';
  if (state.status === 'failed' && state.retryAt !== undefined) {
    return `failed, tried again at ${clockTime(state.retryAt)}`;
  }
  return state.status;
}

/** Why a process backs off: what the supervisor ended its run for, or how the run ended. */
export function backoffReason(lastExit: ExitInfo): string {
  return lastExit.cause ?? describeExit(lastExit);
}

/** `readiness: connection refused ×12 since 10:42:01` */
export function describeProbeFailure(kind: ProbeKind, failure: ProbeFailure): string {
  return `${kind}: ${failure.message} ×${failure.count} since ${clockTime(failure.since)}`;
}

/**
 * What a `starting` process is at: spawning, waiting for its first readiness answer, what
 * the last failed readiness check said, or sitting out `min_uptime` when it has no probe.
 */
export function startingReason(spec: ProcessSpec, record: ProcessRecord): string {
  const { state } = record;
  if (state.status === 'starting' && state.pid === null) return SPAWNING;
  if (!spec.readiness) {
    return `running for ${formatDuration(spec.restart.minUptimeMs)} (min_uptime) before it counts as up`;
  }
  const failure = record.probes.readiness.lastFailure;
  if (failure) return describeProbeFailure('readiness', failure);
  const { check } = spec.readiness;
  // A log probe never fails a check: it waits for its line, and says which.
  return check.type === 'log'
    ? `waiting for a line matching /${check.pattern}/`
    : 'waiting for a readiness answer';
}

/** `not ready within start_timeout 1m (readiness: connection refused ×58 since 10:42:01)` */
export function startTimeoutReason(spec: ProcessSpec, record: ProcessRecord): string {
  const limit = `not ready within start_timeout ${formatDuration(spec.startTimeoutMs ?? 0)}`;
  const failure = record.probes.readiness.lastFailure;
  return failure ? `${limit} (${describeProbeFailure('readiness', failure)})` : limit;
}

/** `10:42:01`: the local time of day of an epoch ms, as a log line would show it. */
export function clockTime(at: number): string {
  const date = new Date(at);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/**
 * What a `scheduled` process waits for at `now`, and how its last run went when it went
 * wrong: `next run in 4s, at 10:42:00 (*\/5 * * * * *)`, `…; last run: exited with code 1`.
 */
export function scheduledReason(
  spec: ProcessSpec,
  state: Extract<ProcessState, { status: 'scheduled' }>,
  now: number,
): string {
  const schedule = spec.schedule;
  const zone = schedule?.timezone ? ` ${schedule.timezone}` : '';
  const wait = formatDuration(Math.max(0, state.nextRunAt - now));
  const when = `next run in ${wait}, at ${dateTime(state.nextRunAt, now, schedule?.timezone)}`;
  const next = `${when} (${schedule?.cron ?? 'no schedule'}${zone})`;
  const { lastExit, lastFailure } = state;
  const failedExit =
    lastExit !== null &&
    (lastExit.code === null || !spec.restart.exitCodes.includes(lastExit.code));
  const last = lastFailure ?? (failedExit ? describeExit(lastExit) : null);
  return last === null ? next : `${next}; last run: ${last}`;
}

/**
 * `10:42:01` on the day of `today` (epoch ms), else `2026-12-08 03:00:00`: in `zone` when
 * given (the schedule's, so `0 3 * * *` reads `03:00:00` there), else in local time.
 */
function dateTime(at: number, today: number, zone: string | undefined): string {
  const day = calendarDay(at, zone);
  const time = zone === undefined ? clockTime(at) : timeIn(at, zone);
  return day === calendarDay(today, zone) ? time : `${day} ${time}`;
}

/** `2026-12-08`: the calendar day of `at` in `zone` (local time without one). */
function calendarDay(at: number, zone: string | undefined): string {
  // en-CA writes dates as ISO does.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(at);
}

/** `03:00:00` in `zone`. */
function timeIn(at: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
