/**
 * How alerts are delivered, as data and decisions: the settings (`settings.alerts`, or the
 * library's `new Alerts()`), which failures are worth another try, and how long to wait
 * before it.
 */
import { type Backoff, backoffAt, delayOf, exponentialBackoff } from '../backoff.js';
import { ALERT_KINDS, type AlertKind } from './alert.js';

/** `settings.alerts` with its defaults applied. */
export interface AlertSettings {
  /** Run through `/bin/sh -c` with the alert's JSON on stdin and `OVERSEER_ALERT_*` set. */
  readonly command: string | undefined;
  /** POSTed the alert's JSON. */
  readonly webhook: string | undefined;
  /** Extra request headers of the webhook (a token, from `${VAR}` in the config). */
  readonly headers: Readonly<Record<string, string>>;
  /** At most one alert per process and kind per this long. */
  readonly cooldownMs: number;
  /** The kinds sent; the others are not made at all. */
  readonly on: readonly AlertKind[];
  /** One try of one delivery: a webhook's request, a command's run. */
  readonly timeoutMs: number;
  /** Tries after the first one that failed for a reason worth trying again. */
  readonly retries: number;
}

export const ALERT_DEFAULTS = {
  cooldownMs: 5 * 60_000,
  on: ALERT_KINDS,
  timeoutMs: 10_000,
  retries: 3,
} as const;

/** The first retry waits this long, each next one twice as long, up to `RETRY_MAX_MS`. */
export const RETRY_INITIAL_MS = 500;
export const RETRY_MAX_MS = 30_000;

const RETRY_BACKOFF: Backoff = exponentialBackoff({
  initialMs: RETRY_INITIAL_MS,
  factor: 2,
  maxMs: RETRY_MAX_MS,
});

/** The wait before retry `n` (1 for the first): 500 ms, 1 s, 2 s, 4 s… at most 30 s. */
export function retryDelayMs(retry: number): number {
  return delayOf(backoffAt(RETRY_BACKOFF, retry));
}

/**
 * Whether a webhook's answer is worth another try: a server error (5xx) or too many
 * requests (429) may pass later; any other 4xx says the request itself is wrong, and will
 * be as wrong the next time.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** How one try of a delivery ended. */
export type TryOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

/** Where alerts go, as written: what `alertTargetProblems` checks. */
export interface AlertTargets {
  readonly command?: string;
  readonly webhook?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A problem of the targets, at its path under the alerts' settings. */
export interface AlertTargetProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/**
 * What is wrong with where alerts go, the config's and the library's alike: nowhere to
 * send, a webhook that is not http(s), headers without a webhook, a header HTTP refuses.
 */
export function alertTargetProblems({
  command,
  webhook,
  headers,
}: AlertTargets): AlertTargetProblem[] {
  const problems: AlertTargetProblem[] = [];
  if (command === undefined && webhook === undefined) {
    problems.push({ path: [], message: 'expected a command or a webhook (or both)' });
  }
  const url = webhook === undefined ? undefined : webhookProblem(webhook);
  if (url) problems.push({ path: ['webhook'], message: url });
  if (headers !== undefined && webhook === undefined) {
    problems.push({ path: ['headers'], message: 'headers are sent with a webhook: there is none' });
  }
  for (const [name, value] of Object.entries(headers ?? {})) {
    const header = headerProblem(name, value);
    if (header) problems.push({ path: ['headers', name], message: header });
  }
  return problems;
}

/** What is wrong with a webhook URL, or undefined: only http(s), as the URL parser reads it. */
function webhookProblem(url: string): string | undefined {
  const expected = 'expected an http:// or https:// URL';
  if (!URL.canParse(url)) return `${expected}, got ${JSON.stringify(url)}`;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:' ? undefined : `${expected}, got ${protocol}`;
}

/** A header name as HTTP allows it (a token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What is wrong with a webhook header, or undefined: a name HTTP refuses, or a value with a
 * line break or NUL (a `${VAR}` read with its newline), which would fail every request.
 * The value itself is never said: it is often a token.
 */
function headerProblem(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name)) return `${JSON.stringify(name)} is not a header name`;
  if (/[\r\n\0]/.test(value)) return `the value of ${name} holds a line break or NUL`;
  return undefined;
}
