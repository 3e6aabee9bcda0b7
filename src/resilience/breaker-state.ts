/**
 * The state of a circuit breaker as plain data: what `state()` shows, what `toJSON()`
 * writes and what `restore()` reads back, so that a breaker open before a restart of the
 * process is still open after it.
 */

/** Where a breaker stands. `until` and times are ms since the epoch, by the breaker's clock. */
export type BreakerState =
  /** Calls pass; failures are counted. */
  | { readonly kind: 'closed' }
  /** Calls are refused until `until`; the first call after it is a trial. */
  | { readonly kind: 'open'; readonly until: number }
  /** A trial call decides: success closes the breaker, failure opens it again. */
  | { readonly kind: 'halfOpen' };

/** A breaker written down: its name, state, and how many times in a row it has opened. */
export interface SerializedBreaker {
  readonly name: string;
  readonly state: BreakerState;
  /** Openings since it was last closed: how far along a `halfOpenAfter` backoff is. */
  readonly openings: number;
}

/** `value` as a serialized breaker, or an error saying what is wrong with it. */
export function readSerializedBreaker(value: unknown): SerializedBreaker {
  const record = isRecord(value) ? value : {};
  const state = isRecord(record.state) ? record.state : {};
  const openings = record.openings;
  if (typeof record.name !== 'string' || typeof openings !== 'number' || openings < 0) {
    throw new TypeError('not a serialized circuit breaker: expected a name and openings');
  }
  switch (state.kind) {
    case 'closed':
    case 'halfOpen':
      return { name: record.name, state: { kind: state.kind }, openings };
    case 'open':
      if (typeof state.until === 'number' && Number.isFinite(state.until)) {
        return { name: record.name, state: { kind: 'open', until: state.until }, openings };
      }
  }
  throw new TypeError('not a serialized circuit breaker: unknown state');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
