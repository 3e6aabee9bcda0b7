/**
 * What a host process should do with the signals that ask it to end, so that no child
 * outlives it: a `process.on('exit')` hook does not run when a signal kills the host, and a
 * host killed by a second Ctrl-C or SIGTERM in the middle of a graceful shutdown would leave
 * the rest of its stack running.
 */
import type { Disposer } from '../../core/subscription.js';

/** What `shutdownOnSignals` needs of a supervisor. */
export interface Stoppable {
  shutdown(options?: { readonly force?: boolean }): Promise<void>;
}

export interface ShutdownOnSignalsOptions {
  /** The signals that end the host. Default: SIGINT, SIGTERM and SIGHUP. */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Called on each signal before it is acted on, `forced` for the second one: the place
   * to tell the user (the library prints nothing itself).
   */
  readonly onSignal?: (signal: NodeJS.Signals, forced: boolean) => void;
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Makes `signals` stop `supervisor` before the host ends:
 *
 * - the first one starts a graceful `shutdown()` (dependents first, each given its
 *   `stop.timeout`);
 * - a second one, while that runs, SIGKILLs every process tree at once
 *   (`shutdown({ force: true })`), so a host that is hurried still leaves nothing behind;
 * - once the supervisor is down (or at a third signal), the handlers are removed and the
 *   signal is raised again, so the host ends as that signal would have ended it (exit
 *   status 128 + its number), unless the host listens to it too.
 *
 * Returns a disposer that removes the handlers: a shutdown they started goes on, but no
 * longer ends the host.
 *
 * @example
 * const supervisor = new Supervisor();
 * supervisor.add({ name: 'api', command: 'node server.js' });
 * shutdownOnSignals(supervisor);
 * await supervisor.up();
 */
export function shutdownOnSignals(
  supervisor: Stoppable,
  options: ShutdownOnSignalsOptions = {},
): Disposer {
  const signals = options.signals ?? DEFAULT_SIGNALS;
  let received = 0;
  let removed = false;
  const dispose = () => {
    removed = true;
    for (const signal of signals) process.off(signal, onSignal);
  };
  const endAs = (signal: NodeJS.Signals) => {
    if (removed) return;
    dispose();
    process.kill(process.pid, signal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    received += 1;
    if (received > 2) return endAs(signal);
    const forced = received === 2;
    options.onSignal?.(signal, forced);
    supervisor.shutdown({ force: forced }).then(
      () => endAs(signal),
      () => endAs(signal),
    );
  }
  for (const signal of signals) process.on(signal, onSignal);
  return dispose;
}
