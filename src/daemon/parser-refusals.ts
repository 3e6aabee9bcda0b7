/**
 * What the daemon says to bytes Node's HTTP parser refuses. Node's own answer is a bare
 * `400 Bad Request` written at once, which also cuts off the answer to a request still in
 * flight on the same connection (a body longer than its Content-Length leaves its tail to be
 * parsed as a next request). Here a request in flight is answered first and the connection
 * closed after it; garbage alone gets the JSON error body every other error has.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { OverseerError } from '../core/errors.js';
import { errorBody } from '../protocol/errors.js';

/** The status Node itself picks for each parser refusal, else 400. */
const STATUS_BY_CODE: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'the request headers are too large',
  ],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request took too long to arrive'],
};

export function answerParserRefusals(server: Server): void {
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    inFlight.set(request.socket, response);
    response.once('close', () => {
      if (inFlight.get(request.socket) === response) inFlight.delete(request.socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const pending = inFlight.get(socket);
    if (pending && !pending.writableFinished) {
      // Nothing more can be read from this connection: finish the answer due, then close.
      pending.once('close', () => socket.destroy());
      return;
    }
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(refusal(error));
  });
}

function refusal(error: NodeJS.ErrnoException): string {
  const [status, reason, message] = STATUS_BY_CODE[error.code ?? ''] ?? [
    400,
    'Bad Request',
    `this is not a valid HTTP request (${error.code ?? error.message})`,
  ];
  const body = JSON.stringify(errorBody(new OverseerError('BAD_REQUEST', message)));
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
