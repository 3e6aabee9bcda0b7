/**
 * A webhook receiver on 127.0.0.1 for tests: records each request, answers as it is told
 * request by request (a status, or `hang` until released), and hands out a promise per
 * request that resolves when it arrives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

export type Answer = number | 'hang';

export class Receiver {
  readonly requests: Received[] = [];
  /** Answers for the next requests, in order; 200 once they are used up. */
  readonly answers: Answer[] = [];
  #waiters = new Map<number, Array<(request: Received) => void>>();
  #hanging: ServerResponse[] = [];
  readonly #server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const received: Received = {
        headers: request.headers,
        method: request.method ?? '',
        url: request.url ?? '',
        body,
        json: JSON.parse(body) as Record<string, unknown>,
      };
      this.requests.push(received);
      const answer = this.answers.shift() ?? 200;
      if (answer === 'hang') this.#hanging.push(response);
      else response.writeHead(answer).end();
      for (const resolve of this.#waiters.get(this.requests.length) ?? []) resolve(received);
      this.#waiters.delete(this.requests.length);
    });
  });
  url = '';

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/hook`;
    return this;
  }

  /** Resolves with the `n`-th request (1 for the first) once it has arrived. */
  request(n: number): Promise<Received> {
    const there = this.requests[n - 1];
    if (there) return Promise.resolve(there);
    return new Promise((resolve) => {
      this.#waiters.set(n, [...(this.#waiters.get(n) ?? []), resolve]);
    });
  }

  /** Answers every request held by `hang` with `status`. */
  release(status = 200): void {
    for (const response of this.#hanging.splice(0)) response.writeHead(status).end();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
