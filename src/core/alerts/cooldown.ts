/**
 * The alert cooldown as an immutable value: at most one alert per process and kind per
 * `cooldownMs`. What it holds back is counted, and the last one held is kept: when the
 * cooldown ends it is sent (`flush`), saying how many more were held, so that the last word
 * on a process is never lost and nothing goes unsaid.
 */
import type { Alert } from './alert.js';

interface Mark {
  /** When an alert of this process and kind was last sent. */
  readonly sentAt: number;
  /** Alerts held back since then. */
  readonly held: number;
  /** The latest of them: sent when the cooldown ends. */
  readonly last: Alert | null;
}

export type CooldownState = ReadonlyMap<string, Mark>;

export const FRESH_COOLDOWN: CooldownState = new Map();

/** Whose cooldown an alert is under: its kind and what it is about. */
export function cooldownKey(alert: Pick<Alert, 'kind' | 'process'>): string {
  return `${alert.kind}\u0000${alert.process ?? ''}`;
}

export interface Admission {
  readonly state: CooldownState;
  /** The alert to send now, with how many were held back before it; `null`: held back. */
  readonly send: Alert | null;
  /** When held back: when the cooldown ends and `flush` should be asked. */
  readonly flushAt: number | null;
}

/** Lets `alert` through, or holds it back when one of its process and kind went out less than `cooldownMs` ago. */
export function admitAlert(state: CooldownState, alert: Alert, cooldownMs: number): Admission {
  const key = cooldownKey(alert);
  const mark = state.get(key);
  const next = new Map(state);
  if (!mark || alert.at - mark.sentAt >= cooldownMs) {
    next.set(key, { sentAt: alert.at, held: 0, last: null });
    pruneBefore(next, alert.at - cooldownMs);
    return { state: next, send: { ...alert, heldBack: mark?.held ?? 0 }, flushAt: null };
  }
  next.set(key, { sentAt: mark.sentAt, held: mark.held + 1, last: alert });
  return { state: next, send: null, flushAt: mark.sentAt + cooldownMs };
}

/**
 * At the end of a cooldown (`now`): the last alert held back under `key`, saying how many
 * others were, or `null` when none waits or the cooldown is not over.
 */
export function flushAlert(
  state: CooldownState,
  key: string,
  now: number,
  cooldownMs: number,
): { readonly state: CooldownState; readonly send: Alert | null } {
  const mark = state.get(key);
  if (!mark?.last || now - mark.sentAt < cooldownMs) return { state, send: null };
  const next = new Map(state);
  next.set(key, { sentAt: now, held: 0, last: null });
  return { state: next, send: { ...mark.last, heldBack: mark.held - 1 } };
}

/** Forgets marks whose cooldown ended with nothing held: the map stays as small as what is recent. */
function pruneBefore(marks: Map<string, Mark>, before: number): void {
  for (const [key, mark] of marks) {
    if (mark.last === null && mark.sentAt < before) marks.delete(key);
  }
}
