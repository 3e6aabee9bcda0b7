/**
 * How a foreground `up` stops, whatever asks it to (a signal, `q` or Ctrl-C in the
 * dashboard): the first ask stops the stack in reverse dependency order; the second kills
 * every process tree at once and the shutdown ends with them (the lock, pid file and socket
 * are still let go of); the third gives up waiting, with exit code 130.
 */
import type { LocalDaemon } from './daemon-side.js';

export type StopStep = 'graceful' | 'forced' | 'given up';

export interface StopLadder {
  /** Takes the next step and says which it was. */
  next(): StopStep;
  /** Whether a stop was asked for. */
  readonly asked: boolean;
  /** Resolves with 130 once the third ask gave up waiting. */
  readonly givenUp: Promise<number>;
}

/** `onError`: a stop that failed (it is not retried: the next ask forces). */
export function stopLadder(daemon: LocalDaemon, onError: (error: unknown) => void): StopLadder {
  let asks = 0;
  let giveUp: (code: number) => void = () => {};
  const givenUp = new Promise<number>((resolve) => {
    giveUp = resolve;
  });
  return {
    givenUp,
    get asked() {
      return asks > 0;
    },
    next() {
      asks += 1;
      if (asks === 1) {
        daemon.shutdown().catch(onError);
        return 'graceful';
      }
      if (asks === 2) {
        daemon.supervisor.shutdown({ force: true }).catch(onError);
        return 'forced';
      }
      // The supervisor's exit hook SIGKILLs whatever is left on the way out.
      giveUp(130);
      return 'given up';
    },
  };
}
