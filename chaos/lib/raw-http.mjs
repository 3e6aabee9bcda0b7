// HTTP/1.1 by hand over a socket, so a request can be anything a hostile script sends:
// raw NUL and traversal paths, unknown methods, lying Content-Length, huge bodies.
import { connect } from 'node:net';

const SLICE = 64 * 1024;

/**
 * Sends `head` (request line and headers, without the blank line) and `body`, then reads the
 * answer until the server closes or `timeoutMs` passes. Never rejects:
 * `{status, headers, body, ms}`, `{error}` when the connection failed, or `{timedOut}`.
 * `target`: `{path}` for a Unix socket or `{host, port}`.
 */
export function rawRequest(target, { head, body = Buffer.alloc(0), timeoutMs = 10_000 }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ ...target, allowHalfOpen: true });
    const chunks = [];
    let size = 0;
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      const partial = parse(Buffer.concat(chunks));
      finish(partial ? { ...partial, timedOut: true } : { timedOut: true });
    }, timeoutMs);
    // Written in one piece when small, else in slices until the server answers: a server may
    // rightly answer a huge body early (413, 400) and close, and that answer must be read.
    socket.on('connect', async () => {
      const request = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
      for (let at = 0; at < request.length && chunks.length === 0 && !settled; at += SLICE) {
        if (!socket.write(request.subarray(at, at + SLICE)))
          await new Promise((r) => socket.once('drain', r));
      }
    });
    socket.on('data', (chunk) => {
      size += chunk.length;
      if (size <= 4 << 20) chunks.push(chunk);
    });
    // A server may answer and close before reading a whole huge body: that is an answer.
    socket.on('error', (error) => {
      const partial = parse(Buffer.concat(chunks));
      finish(partial ?? { error: String(error.code ?? error) });
    });
    socket.on('end', () =>
      finish(parse(Buffer.concat(chunks)) ?? { error: 'closed without an answer' }),
    );
  });
}

/** Parses a whole response (Content-Length, chunked, or until close); null if no status line. */
function parse(raw) {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return null;
  const lines = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
  if (!status) return null;
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(split + 4);
  if (headers['transfer-encoding']?.includes('chunked')) body = unchunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function unchunk(data) {
  const parts = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
