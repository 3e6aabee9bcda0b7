/**
 * Runs a refresh when asked, but never more often than once per interval and never two at
 * once: a burst of events (a stack starting, a crash loop) costs one `list()` per interval,
 * not one per event, and the last ask of a burst is never lost.
 */
export interface BoundedRefresh {
  /** Asks for a refresh: now if the last one is an interval old, else when it is. */
  request(): void;
  /** Drops any refresh still to come. */
  dispose(): void;
}

export function boundedRefresh(
  refresh: () => Promise<void>,
  intervalMs: number,
  now: () => number = Date.now,
): BoundedRefresh {
  let lastStartedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let askedWhileRunning = false;
  let disposed = false;

  const run = async () => {
    timer = undefined;
    running = true;
    lastStartedAt = now();
    try {
      await refresh();
    } finally {
      running = false;
      if (askedWhileRunning && !disposed) {
        askedWhileRunning = false;
        request();
      }
    }
  };

  function request(): void {
    if (disposed || timer !== undefined) return;
    if (running) {
      askedWhileRunning = true;
      return;
    }
    const wait = Math.max(0, lastStartedAt + intervalMs - now());
    timer = setTimeout(() => void run().catch(() => {}), wait);
  }

  return {
    request,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
