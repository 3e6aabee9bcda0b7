/**
 * One redraw per refresh, however many sources have news: the rows, the log pane's lines
 * and the details each read the supervisor on their own clock, and each answer drawn when
 * it arrives would redraw the screen several times per refresh. Updates handed to the gate
 * are applied together, in one turn of the event loop (React then renders once), at most
 * once per interval. Keys do not go through it: what a key changes shows at once.
 */
import { createContext, useContext } from 'react';

export interface FrameGate {
  /** Applies `update` with the others of this frame, at the next frame. */
  commit(update: () => void): void;
  /** Drops the updates still to apply. */
  dispose(): void;
}

export function frameGate(intervalMs: number, now: () => number = Date.now): FrameGate {
  let queued: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  // Reads still on their way when the dashboard ends must not arm a timer no one clears.
  let disposed = false;
  const flush = () => {
    timer = undefined;
    lastFlushAt = now();
    const updates = queued;
    queued = [];
    for (const update of updates) update();
  };
  return {
    commit(update) {
      if (disposed) return;
      queued.push(update);
      // The next frame is due an interval after the last; after a quiet spell, at once
      // (in a later turn, so that what arrives in this one joins it).
      timer ??= setTimeout(flush, Math.max(0, lastFlushAt + intervalMs - now()));
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
      queued = [];
    },
  };
}

/** Without a gate (a pane shown alone), updates apply at once. */
const IMMEDIATE: FrameGate = { commit: (update) => update(), dispose: () => {} };

export const FrameGateContext = createContext<FrameGate>(IMMEDIATE);

/** The gate of the dashboard a component is drawn in. */
export function useFrameGate(): FrameGate {
  return useContext(FrameGateContext);
}
