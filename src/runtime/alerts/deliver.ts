/**
 * One alert to every target the settings name (a webhook, a command), each tried again
 * on the failures worth it, waiting as `retryDelayMs` says, until `signal` gives up. Never
 * rejects: what could not be delivered is answered, for the caller to log.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { type Alert, alertEnv, alertPayload } from '../../core/alerts/alert.js';
import { type AlertSettings, retryDelayMs, type TryOutcome } from '../../core/alerts/delivery.js';
import { runAlertCommand } from './alert-command.js';
import { postWebhook } from './webhook.js';

export type AlertTarget = 'webhook' | 'command';

/** A target that was not given the alert, its retries spent. */
export interface Undelivered {
  readonly target: AlertTarget;
  readonly tries: number;
  readonly error: string;
}

export interface Delivery {
  readonly settings: AlertSettings;
  /** Where the command runs. */
  readonly cwd: string | undefined;
  /** Aborted when the dispatcher gives up (its shutdown grace is over). */
  readonly signal: AbortSignal;
}

/** Delivers `alert` to each target at once; answers those that failed for good. */
export async function deliverAlert(
  alert: Alert,
  { settings, cwd, signal }: Delivery,
): Promise<Undelivered[]> {
  const body = JSON.stringify(alertPayload(alert));
  const { webhook, command, timeoutMs } = settings;
  const targets: Array<[AlertTarget, () => Promise<TryOutcome>]> = [];
  if (webhook !== undefined) {
    const headers = settings.headers;
    targets.push([
      'webhook',
      () => postWebhook({ url: webhook, headers, body, timeoutMs, signal }),
    ]);
  }
  if (command !== undefined) {
    const env = alertEnv(alert);
    targets.push([
      'command',
      () => runAlertCommand({ command, cwd, body, env, timeoutMs, signal }),
    ]);
  }
  const failures = await Promise.all(
    targets.map(async ([target, attempt]) => {
      const outcome = await withRetries(attempt, settings.retries, signal);
      return outcome.ok ? [] : [{ target, tries: outcome.tries, error: outcome.error }];
    }),
  );
  return failures.flat();
}

async function withRetries(
  attempt: () => Promise<TryOutcome>,
  retries: number,
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; tries: number; error: string }> {
  for (let tries = 1; ; tries += 1) {
    // A try that throws (a command that cannot be spawned) is a failed try, never a
    // rejection that would reach the supervisor.
    const outcome = await attempt().catch(
      (error: unknown): TryOutcome => ({
        ok: false,
        retryable: false,
        error: (error as Error)?.message ?? String(error),
      }),
    );
    if (outcome.ok) return outcome;
    if (!outcome.retryable || tries > retries || signal.aborted) {
      return { ok: false, tries, error: outcome.error };
    }
    const waited = await wait(retryDelayMs(tries), true, { signal }).catch(() => false);
    if (!waited) return { ok: false, tries, error: `${outcome.error}; then given up` };
  }
}
