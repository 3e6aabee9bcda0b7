/**
 * The alert cooldown as immutable values, one per process and kind: at most one alert per
 * `cooldownMs`. What it holds back is counted, and the last one held is kept: when the
 * cooldown ends it is sent (`flushAlert`), saying how many more were held, so that the last
 * word on a process is never lost and nothing goes unsaid. The caller keeps the marks by
 * `cooldownKey`: one mark changes per alert, whatever the number of processes.
 */
import type { Alert } from './alert.js';

/** The cooldown of one process and kind. */
export interface CooldownMark {
  /** When an alert of this process and kind was last sent. */
  readonly sentAt: number;
  /** Alerts held back since then. */
  readonly held: number;
  /** The latest of them: sent when the cooldown ends. */
  readonly last: Alert | null;
}

/**
 * Whose cooldown an alert is under: its kind and what it is about, and for a limit its
 * severity too: a warning (`memory_warn`) must not hold back the critical alert of the
 * restart that follows it.
 */
export function cooldownKey(alert: Pick<Alert, 'kind' | 'process' | 'severity'>): string {
  const severity = alert.kind === 'limit' ? `\u0000${alert.severity}` : '';
  return `${alert.kind}\u0000${alert.process ?? ''}${severity}`;
}

export interface Admission {
  readonly mark: CooldownMark;
  /** The alert to send now, with how many were held back before it; `null`: held back. */
  readonly send: Alert | null;
  /** When held back: when the cooldown ends and `flushAlert` should be asked. */
  readonly flushAt: number | null;
}

/**
 * Lets `alert` through, or holds it back when one of its process and kind went out less
 * than `cooldownMs` ago; `mark` is that process and kind's, `undefined` when there is none.
 */
export function admitAlert(
  mark: CooldownMark | undefined,
  alert: Alert,
  cooldownMs: number,
): Admission {
  if (!mark || alert.at - mark.sentAt >= cooldownMs) {
    return {
      mark: { sentAt: alert.at, held: 0, last: null },
      send: { ...alert, heldBack: mark?.held ?? 0 },
      flushAt: null,
    };
  }
  return {
    mark: { sentAt: mark.sentAt, held: mark.held + 1, last: alert },
    send: null,
    flushAt: mark.sentAt + cooldownMs,
  };
}

/**
 * At the end of a cooldown (`now`): the last alert held back under `mark`, saying how many
 * others were, or `null` when none waits or the cooldown is not over.
 */
export function flushAlert(
  mark: CooldownMark,
  now: number,
  cooldownMs: number,
): { readonly mark: CooldownMark; readonly send: Alert | null } {
  if (!mark.last || now - mark.sentAt < cooldownMs) return { mark, send: null };
  return {
    mark: { sentAt: now, held: 0, last: null },
    send: { ...mark.last, heldBack: mark.held - 1 },
  };
}

/** Whether a mark can be forgotten: its cooldown is over and nothing is held. */
export function isSpent(mark: CooldownMark, now: number, cooldownMs: number): boolean {
  return mark.last === null && now - mark.sentAt >= cooldownMs;
}
