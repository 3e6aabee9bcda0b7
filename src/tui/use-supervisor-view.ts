/**
 * What the dashboard shows of a supervisor, kept current: the rows of `watch()`'s snapshot
 * at once, then `list()`, `health()` and `stats()` read again after events, at most once
 * per `refreshMs`, and at least once a second since uptimes and samples move on their own.
 * A supervisor that goes away (its streams break) is shown as lost and asked again every
 * few seconds; once it answers, everything is subscribed afresh.
 */
import { useEffect, useRef, useState } from 'react';
import { describeConfigOutcome } from '../core/config-outcome.js';
import type { SupervisorStats } from '../core/stats.js';
import type { ProcessInfo } from '../core/view.js';
import type { HealthReport, SupervisorApi } from '../protocol/api.js';
import { boundedRefresh } from './bounded-refresh.js';
import type { FrameGate } from './frame-gate.js';

/** Rows go stale no later than this, events or not. */
const MAX_STALE_MS = 1_000;

/** Between two tries to reach a supervisor that went away. */
export const RECONNECT_MS = 2_000;

export interface SupervisorView {
  readonly processes: readonly ProcessInfo[];
  readonly health?: HealthReport;
  readonly stats?: SupervisorStats;
  /** Why the last refresh failed; gone once one succeeds. */
  readonly refreshError?: string;
  /** Why the supervisor's streams broke, while it does not answer again. */
  readonly lost?: string;
  /** What became of the last change of the config while the dashboard watched, in one line. */
  readonly configOutcome?: { readonly text: string; readonly failed: boolean };
}

export function useSupervisorView(
  api: SupervisorApi,
  refreshMs: number,
  gate: FrameGate,
  /** Rows already read (by `top` while the dashboard loaded): the first frame shows them. */
  initialProcesses: readonly ProcessInfo[] = [],
): SupervisorView & { readonly refreshSoon: () => void } {
  const [view, setView] = useState<SupervisorView>({ processes: initialProcesses });
  // Bumped when a lost supervisor answers again: every stream is opened afresh.
  const [connection, setConnection] = useState(0);
  const refreshSoonRef = useRef<() => void>(() => {});

  // `connection` is read by no line of the effect: a new one is what opens every stream afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let lost = false;
    let disposed = false;
    let retry: NodeJS.Timeout | undefined;
    const refresher = boundedRefresh(async () => {
      try {
        const [processes, health, stats] = await Promise.all([
          api.list(),
          api.health(),
          api.stats(),
        ]);
        if (!lost) {
          gate.commit(() =>
            setView((current) => ({
              ...current,
              processes,
              health,
              stats,
              refreshError: undefined,
            })),
          );
        }
      } catch (error) {
        setView((current) => ({ ...current, refreshError: messageOf(error) }));
      }
    }, refreshMs);
    refreshSoonRef.current = refresher.request;
    const stopWatching = api.watch((item) => {
      if (item.type === 'snapshot') {
        setView((current) => ({ ...current, processes: item.processes, lost: undefined }));
      } else if (item.type === 'config:applied' || item.type === 'config:rejected') {
        // One line: the issues after the first, each after a `;`.
        const [said, ...issues] = describeConfigOutcome(item).split('\n');
        const text = [said, issues.map((issue) => issue.trim()).join('; ')].join(' ').trim();
        const configOutcome = { text, failed: item.type === 'config:rejected' };
        setView((current) => ({ ...current, configOutcome }));
      }
      refresher.request();
    });
    // Any stream of the client breaking is told here (a followed log too): the supervisor is
    // asked at once, and only one that does not answer is shown as lost. Either way the
    // streams are opened afresh once it answers.
    const reconnect = async () => {
      try {
        await api.health();
        if (!disposed) setConnection((count) => count + 1);
      } catch (error) {
        if (!lost) {
          lost = true;
          setView((current) => ({ ...current, lost: messageOf(error) }));
        }
        if (!disposed) retry = setTimeout(() => void reconnect(), RECONNECT_MS);
      }
    };
    let broken = false;
    const stopHearingBreaks = api.onBreak(() => {
      if (broken) return;
      broken = true;
      void reconnect();
    });
    const ticker = setInterval(refresher.request, Math.max(refreshMs, MAX_STALE_MS));
    return () => {
      disposed = true;
      clearInterval(ticker);
      clearTimeout(retry);
      stopHearingBreaks();
      stopWatching();
      refresher.dispose();
    };
  }, [api, refreshMs, gate, connection]);

  return { ...view, refreshSoon: () => refreshSoonRef.current() };
}

/** An error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
