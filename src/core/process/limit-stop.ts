/**
 * What a breached limit does to the run: the one place where the limits judge's verdict
 * becomes a way of stopping, so that the judge knows nothing of process states.
 */
import type { LimitBreach } from '../limits/limits.js';
import type { StopIntent } from './state.js';

/**
 * How a breach ends the run, if it does: `restart` (and `max_runtime`) stop it and let the
 * restart policy decide what follows, as a crash would; `stop` ends the process `failed`.
 */
export function stopIntentOf(breach: LimitBreach): StopIntent | null {
  if (breach.action === 'restart' || breach.resource === 'max_runtime') {
    return { kind: 'recover', reason: breach.reason };
  }
  if (breach.action === 'stop') return { kind: 'halt', reason: breach.reason };
  return null;
}
