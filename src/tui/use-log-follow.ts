/**
 * The lines of the log pane, kept current: a process's output (every instance of it,
 * merged), its newest lines read once per `refreshMs`; or every process's, as `followLogs`
 * streams it, handed to React at most once per `refreshMs`; and older lines read back from
 * the log files on demand. No more lines are kept than the buffer holds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SupervisorApi } from '../protocol/api.js';
import { boundedRefresh } from './bounded-refresh.js';
import { useFrameGate } from './frame-gate.js';
import {
  afterGap,
  appendLines,
  emptyBuffer,
  follow as followBuffer,
  type LogBuffer,
  prependLines,
} from './log-buffer.js';
import { type NewerCursor, newerPage, newerRequest } from './newer-page.js';
import { olderPage, olderRequest } from './older-page.js';
import { messageOf } from './use-supervisor-view.js';

/**
 * What the pane follows for every process: the selector the supervisor takes for them all,
 * which no process may be named.
 */
export const EVERY_PROCESS = 'all';

/** Lines read back at a time, at most (fewer with a smaller buffer). */
const MAX_PAGE_LINES = 200;

/**
 * The most lines a supervisor's HTTP API answers at once (`GET /processes/:name/logs`): a
 * larger buffer fills up from the lines that follow.
 */
const MAX_LINES_ASKED = 10_000;

export interface LogFollow {
  readonly buffer: LogBuffer;
  /** Why no more lines come (a stream that broke, a name that stands for nothing); else undefined. */
  readonly problem: string | undefined;
  /** Older lines are being read back. */
  readonly readingBack: boolean;
  /** How many instances `name` stands for, once known (for every process: undefined). */
  readonly instances: number | undefined;
  /** Changes the scroll position (or anything else of the buffer) from its current state. */
  readonly change: (update: (buffer: LogBuffer) => LogBuffer) => void;
  /**
   * Reads the page before the oldest line held, then applies `then` (to scroll into it);
   * nothing when already reading or at the start.
   */
  readonly readBack: (then?: (buffer: LogBuffer) => LogBuffer) => void;
  /** Follows the newest lines again; reads them anew when older ones pushed them out. */
  readonly follow: () => void;
}

/** Follows `name` (a process, an instance, or `EVERY_PROCESS`); nothing while undefined. */
export function useLogFollow(
  api: SupervisorApi,
  name: string | undefined,
  logLines: number,
  refreshMs: number,
): LogFollow {
  const [buffer, setBuffer] = useState(() => emptyBuffer(logLines));
  // New lines are drawn with the dashboard's other news of the same refresh.
  const gate = useFrameGate();
  const [problem, setProblem] = useState<string>();
  const [readingBack, setReadingBack] = useState(false);
  const [instances, setInstances] = useState<number>();
  // Bumped to subscribe anew: the buffer's lines are read again from the newest.
  const [generation, setGeneration] = useState(0);
  const bufferRef = useRef(buffer);
  bufferRef.current = buffer;
  // Which subscription a read back belongs to: an answer for another one is let go.
  const subscriptionRef = useRef(0);
  const readingRef = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation subscribes anew
  useEffect(() => {
    const subscription = ++subscriptionRef.current;
    setBuffer(emptyBuffer(logLines));
    setProblem(undefined);
    // Applied with the frame, unless another subscription has begun by then.
    const drawn = (update: (buffer: LogBuffer) => LogBuffer) =>
      gate.commit(() => {
        if (subscription === subscriptionRef.current) setBuffer(update);
      });
    setReadingBack(false);
    readingRef.current = false;
    const stopReading = name === undefined ? () => {} : pollNewest(name);
    return () => {
      stopReading();
    };

    /**
     * The newest lines of a process (or of every process), read once per `refreshMs` (see
     * newer-page.ts): however fast they print, the supervisor answers one short read per
     * refresh.
     */
    function pollNewest(followed: string): () => void {
      let cursor: NewerCursor | undefined;
      const page = Math.min(logLines, MAX_LINES_ASKED);
      const reader = boundedRefresh(async () => {
        try {
          const query = newerRequest(cursor, page);
          const answer = await api.readLogs(followed, query);
          if (subscription !== subscriptionRef.current) return;
          const newer = newerPage(answer, cursor, query);
          const first = cursor === undefined;
          cursor = newer.cursor;
          setProblem(undefined);
          if (first || newer.gap) {
            drawn((current) => afterGap(current, newer.lines));
          } else if (newer.lines.length > 0) {
            drawn((current) => appendLines(current, newer.lines));
          }
        } catch (error) {
          if (subscription === subscriptionRef.current) {
            setProblem(`no logs: ${messageOf(error)}`);
          }
        }
      }, refreshMs);
      reader.request();
      const ticker = setInterval(reader.request, refreshMs);
      return () => {
        clearInterval(ticker);
        reader.dispose();
      };
    }
  }, [api, name, logLines, refreshMs, gate, generation]);

  useEffect(() => {
    let current = true;
    setInstances(undefined);
    if (name === undefined || name === EVERY_PROCESS) return;
    // Through a promise even if the call throws at once: the pane never throws.
    Promise.resolve()
      .then(() => api.list({ names: [name] }))
      .then(
        (rows) => current && setInstances(rows.length),
        (error: unknown) => current && setProblem(`no logs: ${messageOf(error)}`),
      );
    return () => {
      current = false;
    };
  }, [api, name]);

  const readBack = useCallback(
    (then: (buffer: LogBuffer) => LogBuffer = (same) => same) => {
      const current = bufferRef.current;
      const request = olderRequest(
        current.lines,
        Math.min(MAX_PAGE_LINES, logLines),
        current.oldestGroup,
      );
      if (readingRef.current || current.atStart || request === undefined) return;
      const subscription = subscriptionRef.current;
      const oldest = current.lines[0];
      readingRef.current = true;
      setReadingBack(true);
      // Through a promise even if the call throws at once: the pane never throws.
      Promise.resolve()
        .then(() => (name === undefined ? [] : api.readLogs(name, request.query)))
        .then((answer) => {
          if (subscription !== subscriptionRef.current) return;
          const page = olderPage(answer, request);
          setBuffer((latest) =>
            // New lines pushed the oldest out meanwhile: the page no longer adjoins.
            latest.lines[0] === oldest
              ? then(prependLines(latest, page.lines, page.reachedStart, page.oldestGroup))
              : latest,
          );
        })
        .catch((error: unknown) => {
          if (subscription === subscriptionRef.current) {
            setProblem(`no older lines: ${messageOf(error)}`);
          }
        })
        .finally(() => {
          if (subscription !== subscriptionRef.current) return;
          readingRef.current = false;
          setReadingBack(false);
        });
    },
    [api, name, logLines],
  );

  const follow = useCallback(() => {
    if (bufferRef.current.behindLive) setGeneration((current) => current + 1);
    else setBuffer(followBuffer);
  }, []);

  return { buffer, problem, readingBack, instances, change: setBuffer, readBack, follow };
}
