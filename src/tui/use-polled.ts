/**
 * A value read from the supervisor and read again every `refreshMs` (the dashboard's
 * cadence), never two reads at once; `refreshSoon()` asks for one before its time, after
 * an action. A read that fails keeps the last value and says why; the next that succeeds
 * clears it. A new `key` (another process) starts afresh. While not `active` nothing is
 * read (a view's other half shows): the last value read is kept.
 */
import { useEffect, useRef, useState } from 'react';
import type { Awaitable } from '../protocol/api.js';
import { boundedRefresh } from './bounded-refresh.js';
import { useFrameGate } from './frame-gate.js';
import { messageOf } from './use-supervisor-view.js';

export interface Polled<T> {
  /** `undefined` until the first read answered. */
  readonly value: T | undefined;
  /** Why the last read failed; gone once one succeeds. */
  readonly error: string | undefined;
  readonly refreshSoon: () => void;
}

export function usePolled<T>(
  read: () => Awaitable<T>,
  refreshMs: number,
  key: string,
  active = true,
): Polled<T> {
  const [state, setState] = useState<{ key: string; value?: T; error?: string }>({ key });
  const readRef = useRef(read);
  readRef.current = read;
  const refreshSoonRef = useRef<() => void>(() => {});
  // Drawn with the dashboard's other news of the same refresh.
  const gate = useFrameGate();

  useEffect(() => {
    if (!active) return;
    setState((current) => (current.key === key ? current : { key }));
    const refresher = boundedRefresh(async () => {
      try {
        const value = await readRef.current();
        gate.commit(() => setState({ key, value }));
      } catch (error) {
        gate.commit(() => setState((current) => ({ ...current, key, error: messageOf(error) })));
      }
    }, refreshMs);
    refreshSoonRef.current = refresher.request;
    refresher.request();
    const ticker = setInterval(refresher.request, refreshMs);
    return () => {
      clearInterval(ticker);
      refresher.dispose();
    };
  }, [key, refreshMs, gate, active]);

  // A value read for another key is not this one's.
  const current = state.key === key ? state : { key };
  return {
    value: current.value,
    error: current.error,
    refreshSoon: () => refreshSoonRef.current(),
  };
}
