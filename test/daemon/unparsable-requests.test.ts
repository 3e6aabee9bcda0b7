/**
 * Bytes that are not HTTP, on a real Unix socket: a request followed by garbage (a body longer
 * than its Content-Length said) still gets its own answer, and garbage alone gets the JSON
 * error body every other error has, never Node's bare `400 Bad Request`.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/daemon/listen.js';
import { cleanupAll, tempDir, trackListener } from './helpers.js';

afterEach(cleanupAll);

/** An app whose answer comes a few ticks after the body was read, like every acting route. */
function slowApp(): Hono {
  const app = new Hono();
  app.post('/echo', async (c) => {
    const body = await c.req.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return c.json({ received: body });
  });
  return app;
}

/** Writes `bytes` in one piece and reads everything the server says until it closes. */
function exchange(socketPath: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

async function serve(): Promise<string> {
  const socketPath = join(tempDir(), 'api.sock');
  trackListener(await listen(slowApp(), { socketPath }));
  return socketPath;
}

describe('requests the HTTP parser refuses', () => {
  it('regression: a body longer than its Content-Length no longer loses the answer to a bare 400', async () => {
    const socketPath = await serve();
    const body = '{"a":1}"}}}}';
    const answer = await exchange(
      socketPath,
      `POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n${body}`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('{"received":"{\\"a\\":1}"}');
  });

  it('answers garbage alone with a 400 and the JSON error body', async () => {
    const socketPath = await serve();
    const answer = await exchange(socketPath, '"}}}} / HTTP/1.1\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    const error = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/not a valid HTTP request/);
  });

  it('answers headers too large with a 431 and the JSON error body', async () => {
    const socketPath = await serve();
    const answer = await exchange(
      socketPath,
      `GET /echo HTTP/1.1\r\nHost: x\r\nX-Junk: ${'v'.repeat(100_000)}\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('BAD_REQUEST');
  });
});
