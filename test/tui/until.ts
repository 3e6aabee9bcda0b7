/**
 * Waits until `check` passes, for the dashboard's component tests: as long as a frame may
 * take to be drawn on a machine busy with the whole suite, not the second `vi.waitFor`
 * gives by default.
 */
import { vi } from 'vitest';

export function until<T>(check: () => T): Promise<T> {
  return vi.waitFor(check, { timeout: 5_000, interval: 10 });
}
