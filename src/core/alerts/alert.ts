/**
 * Alerts as pure decisions: which events are worth telling someone outside (a process
 * failed, a limit breach, a circuit breaker that opened, a workflow run dead-lettered), in
 * what words, and the JSON and environment they are delivered with. Where they go and how
 * is the dispatcher's (runtime/alerts); how often is the cooldown's (cooldown.ts).
 */
import type { SupervisorEvent } from '../events.js';
import type { WorkflowEvent } from '../workflows/events.js';

/** What an alert is about. */
export const ALERT_KINDS = ['failed', 'limit', 'breaker', 'dead_letter'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export type AlertSeverity = 'warning' | 'critical';

/** One alert, before delivery. */
export interface Alert {
  readonly kind: AlertKind;
  /** The process it is about; for `breaker` the breaker's name, for `dead_letter` the workflow's. */
  readonly process: string | null;
  readonly namespace: string | null;
  readonly project: string | null;
  readonly severity: AlertSeverity;
  /** One line for a human: `api failed: exited with code 1 (retry at 10:42:00)`. */
  readonly message: string;
  /** The event it was made from, as it was emitted. */
  readonly event: Readonly<Record<string, unknown>>;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** Alerts of the same process and kind held back by the cooldown since the last one sent. */
  readonly heldBack: number;
  /** Alerts of any kind that a full queue could not keep, since the last one sent. */
  readonly notSent: number;
}

/** Who the alerts are about, beyond the event itself. */
export interface AlertContext {
  readonly project: string | null;
  /** The namespace of a process, `null` when it is not known (any more). */
  readonly namespaceOf: (name: string) => string | null;
}

/** The alert of a supervisor event, or `null` for an event no alert is made of. */
export function alertOfEvent(event: SupervisorEvent, context: AlertContext): Alert | null {
  switch (event.type) {
    case 'process:failed': {
      const retry = event.retryAt === undefined ? '' : ` (retry at ${isoTime(event.retryAt)})`;
      return made('failed', event.name, context, 'critical', {
        message: `${event.name} failed: ${event.reason}${retry}`,
        event,
        at: event.at,
      });
    }
    case 'process:limit': {
      const held = event.suppressed > 0 ? ` (${event.suppressed} more held back)` : '';
      return made('limit', event.name, context, event.severity, {
        message: `${event.name} ${event.action}: ${event.reason}${held}`,
        event,
        at: event.at,
      });
    }
    default:
      return null;
  }
}

/** The alert of a workflow event: only a dead-lettered run makes one. */
export function alertOfWorkflowEvent(
  event: WorkflowEvent,
  at: number,
  context: Pick<AlertContext, 'project'>,
): Alert | null {
  if (event.type !== 'workflow:dead-lettered') return null;
  const { letter } = event;
  return {
    kind: 'dead_letter',
    process: event.workflow,
    namespace: null,
    project: context.project,
    severity: 'critical',
    message: `workflow ${event.workflow} run ${event.runId} dead-lettered at step ${letter.step} after ${letter.attempts} attempt(s): ${letter.error.message}`,
    event: { ...event, at },
    at,
    heldBack: 0,
    notSent: 0,
  };
}

/** What a breaker that opened says; the shape of the resilience toolkit's `onOpen` event. */
export interface BreakerOpened {
  readonly name: string;
  /** Until when it refuses calls (epoch ms). */
  readonly until: number;
  readonly error: unknown;
}

/** The alert of a circuit breaker that opened. */
export function alertOfBreaker(
  opened: BreakerOpened,
  at: number,
  context: Pick<AlertContext, 'project'>,
): Alert {
  const cause = errorText(opened.error);
  return {
    kind: 'breaker',
    process: opened.name,
    namespace: null,
    project: context.project,
    severity: 'critical',
    message: `circuit breaker ${opened.name} opened until ${isoTime(opened.until)}${cause ? `: ${cause}` : ''}`,
    event: { type: 'breaker:open', name: opened.name, until: opened.until, error: cause, at },
    at,
    heldBack: 0,
    notSent: 0,
  };
}

/**
 * The JSON body of an alert, as a webhook receives it and a command reads on its stdin:
 * `at` in ISO 8601, the event as it was.
 */
export function alertPayload(alert: Alert): Record<string, unknown> {
  return {
    kind: alert.kind,
    process: alert.process,
    namespace: alert.namespace,
    project: alert.project,
    severity: alert.severity,
    message: alert.message,
    at: isoTime(alert.at),
    heldBack: alert.heldBack,
    notSent: alert.notSent,
    event: alert.event,
  };
}

/** The variables an alert command runs with, beside the JSON on its stdin. */
export function alertEnv(alert: Alert): Record<string, string> {
  return {
    OVERSEER_ALERT_KIND: alert.kind,
    OVERSEER_ALERT_PROCESS: alert.process ?? '',
    OVERSEER_ALERT_NAMESPACE: alert.namespace ?? '',
    OVERSEER_ALERT_PROJECT: alert.project ?? '',
    OVERSEER_ALERT_SEVERITY: alert.severity,
    // An environment cannot hold NUL (spawn would refuse the whole command): the stdin JSON
    // keeps the message exactly.
    OVERSEER_ALERT_MESSAGE: alert.message.replaceAll('\0', ''),
    OVERSEER_ALERT_AT: isoTime(alert.at),
    OVERSEER_ALERT_HELD_BACK: String(alert.heldBack),
    OVERSEER_ALERT_NOT_SENT: String(alert.notSent),
  };
}

function made(
  kind: AlertKind,
  name: string,
  context: AlertContext,
  severity: AlertSeverity,
  rest: Pick<Alert, 'message' | 'at'> & { readonly event: object },
): Alert {
  return {
    kind,
    process: name,
    namespace: context.namespaceOf(name),
    project: context.project,
    severity,
    message: rest.message,
    event: rest.event as Readonly<Record<string, unknown>>,
    at: rest.at,
    heldBack: 0,
    notSent: 0,
  };
}

function isoTime(at: number): string {
  return new Date(at).toISOString();
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error === undefined || error === null) return '';
  return String(error);
}
