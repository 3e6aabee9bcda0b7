/**
 * `useState` that key handlers can read as it is now, not as the last frame drew it. Keys
 * read in one go (`K` then `HUP`, `j` then `r`) are handled before the next render: each
 * must see what the keys before it did (the prompt `K` opened, the row `j` selected).
 */
import { useCallback, useRef, useState } from 'react';

export type LatestState<T> = readonly [
  /** The value this render draws. */
  T,
  /** Sets it for the handlers at once, and for the next render. */
  (next: T | ((current: T) => T)) => void,
  /** The value as the handlers left it. */
  () => T,
];

export function useLatestState<T>(initial: T): LatestState<T> {
  const [state, setState] = useState(initial);
  const latest = useRef(state);
  const set = useCallback((next: T | ((current: T) => T)) => {
    latest.current =
      typeof next === 'function' ? (next as (current: T) => T)(latest.current) : next;
    setState(latest.current);
  }, []);
  const get = useCallback(() => latest.current, []);
  return [state, set, get];
}
