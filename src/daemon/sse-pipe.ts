/** Server-sent event streams of the API: a subscription piped to a client, in order. */
import type { SSEStreamingApi } from 'hono/streaming';
import type { Disposer } from '../core/subscription.js';

/** Items a slow event-stream client may fall behind by before it is cut off. */
const MAX_PENDING_SSE = 10_000;

export type Send = (event: string, data: unknown) => void;

/**
 * Writes what `subscribe` sends, in order, until the client goes away. The subscription is
 * made synchronously, so whatever it delivers first (a snapshot, recent lines) is followed
 * by live items with no gap. A client that falls too far behind is told so and cut off.
 * `finish` ends the stream from the subscription's side, once what was sent is written.
 */
export async function pipeToStream(
  stream: SSEStreamingApi,
  subscribe: (send: Send, finish: () => void) => Disposer,
): Promise<void> {
  let pending = 0;
  let chain = Promise.resolve();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const send: Send = (event, data) => {
    if (stream.aborted || stream.closed) return;
    pending += 1;
    if (pending > MAX_PENDING_SSE) {
      finish();
      return;
    }
    chain = chain
      .then(() => stream.writeSSE({ event, data: JSON.stringify(data) }))
      .then(() => {
        pending -= 1;
      });
  };
  let ended = false;
  const unsubscribe = subscribe(send, () => {
    ended = true;
    finish();
  });
  stream.onAbort(finish);
  await finished;
  unsubscribe();
  if (ended && !stream.aborted) await chain;
  if (pending > MAX_PENDING_SSE && !stream.aborted) {
    await stream.writeSSE({
      event: 'error',
      data: JSON.stringify({ code: 'INTERNAL', message: 'client too slow: stream closed' }),
    });
  }
}
