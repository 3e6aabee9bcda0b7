/**
 * One try of a webhook delivery: the alert's JSON POSTed, a timeout on the whole exchange.
 * A fresh connection each time (no agent): an alert is rare, and a kept-alive socket to a
 * receiver that went away would only be one more thing to fail.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isRetryableStatus, type TryOutcome } from '../../core/alerts/delivery.js';

export interface WebhookTry {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Aborted when the dispatcher gives up (its shutdown grace is over). */
  readonly signal: AbortSignal;
}

/** POSTs `body`; a 2xx is delivered, a 5xx, a 429, a network error or the timeout are worth a retry. */
export function postWebhook({
  url,
  headers,
  body,
  timeoutMs,
  signal,
}: WebhookTry): Promise<TryOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: TryOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    let request: ReturnType<typeof httpRequest>;
    try {
      // The scheme as the URL parser reads it: `HTTPS://` is https too.
      const secure = new URL(url).protocol === 'https:';
      request = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'overseer-alerts',
        },
      });
    } catch (error) {
      // Node throws at once on what it cannot send (a header with a line break): no try
      // will do better, and it must never reach the supervisor as an unhandled rejection.
      resolve({ ok: false, retryable: false, error: (error as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      request.destroy();
      settle({ ok: false, retryable: true, error: `no answer within ${timeoutMs}ms` });
    }, timeoutMs);
    const onAbort = () => {
      request.destroy();
      settle({ ok: false, retryable: false, error: 'given up: the alerts were closed' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('response', (response) => {
      // The body says nothing we use: the socket is let go at once, so a receiver that
      // never ends its body cannot hold it past the answer.
      response.destroy();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) settle({ ok: true });
      else {
        settle({
          ok: false,
          retryable: isRetryableStatus(status),
          error: `answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
        });
      }
    });
    request.on('error', (error) =>
      settle({ ok: false, retryable: true, error: (error as Error).message }),
    );
    if (signal.aborted) onAbort();
    else request.end(body);
  });
}
