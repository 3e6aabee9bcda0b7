/**
 * The dashboard's memory of each process's recent samples, fed by its rows: every new set
 * of rows (each refresh) adds one sample per running process. Recorded while rendering, so
 * the details drawn in the same frame already show the newest sample; the same rows seen
 * again by a re-render add nothing.
 */
import { useRef } from 'react';
import type { ProcessInfo } from '../core/view.js';
import { DEFAULT_SAMPLES_KEPT, type SampleHistory, sampleHistory } from './sample-history.js';

export function useSampleHistory(
  processes: readonly ProcessInfo[],
  limit: number = DEFAULT_SAMPLES_KEPT,
): SampleHistory {
  const history = useRef<SampleHistory>(undefined);
  history.current ??= sampleHistory(limit);
  history.current.record(processes, Date.now());
  return history.current;
}
