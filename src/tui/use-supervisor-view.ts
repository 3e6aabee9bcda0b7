/**
 * What the dashboard shows of a supervisor, kept current: the rows of `watch()`'s snapshot
 * at once, then `list()`, `health()` and `stats()` read again after events, at most once
 * per `refreshMs`, and at least once a second since uptimes and samples move on their own.
 */
import { useEffect, useRef, useState } from 'react';
import type { OverseerError } from '../core/errors.js';
import type { SupervisorStats } from '../core/stats.js';
import type { ProcessInfo } from '../core/view.js';
import type { HealthReport, SupervisorApi } from '../protocol/api.js';
import { boundedRefresh } from './bounded-refresh.js';

/** Rows go stale no later than this, events or not. */
const MAX_STALE_MS = 1_000;

export interface SupervisorView {
  readonly processes: readonly ProcessInfo[];
  readonly health?: HealthReport;
  readonly stats?: SupervisorStats;
  /** Why the last refresh failed; gone once one succeeds. */
  readonly refreshError?: string;
}

export function useSupervisorView(
  api: SupervisorApi,
  refreshMs: number,
  onBreak: (error: OverseerError) => void,
): SupervisorView & { readonly refreshSoon: () => void } {
  const [view, setView] = useState<SupervisorView>({ processes: [] });
  const onBreakRef = useRef(onBreak);
  onBreakRef.current = onBreak;
  const refreshSoonRef = useRef<() => void>(() => {});

  useEffect(() => {
    const refresher = boundedRefresh(async () => {
      try {
        const [processes, health, stats] = await Promise.all([
          api.list(),
          api.health(),
          api.stats(),
        ]);
        setView({ processes, health, stats });
      } catch (error) {
        setView((current) => ({ ...current, refreshError: messageOf(error) }));
      }
    }, refreshMs);
    refreshSoonRef.current = refresher.request;
    const stopWatching = api.watch((item) => {
      if (item.type === 'snapshot') {
        setView((current) => ({ ...current, processes: item.processes }));
      }
      refresher.request();
    });
    const stopHearingBreaks = api.onBreak((error) => onBreakRef.current(error));
    const ticker = setInterval(refresher.request, Math.max(refreshMs, MAX_STALE_MS));
    return () => {
      clearInterval(ticker);
      stopHearingBreaks();
      stopWatching();
      refresher.dispose();
    };
  }, [api, refreshMs]);

  return { ...view, refreshSoon: () => refreshSoonRef.current() };
}

/** An error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
