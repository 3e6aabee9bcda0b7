// Hostile HTTP requests for the daemon's API: methods, traversal and NUL paths, junk
// queries, invalid and huge bodies, and every wrong shape of `Authorization`. Each request
// says whether it is well-formed HTTP (a malformed one may be refused by the HTTP parser
// before the API sees it) and whether it carries the exact token.

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'get',
  'FOO',
  'CONNECT',
  'TRACE',
];
/**
 * Methods Node's HTTP parser hands to the server's request handler. Methods are case
 * sensitive, `get` and `FOO` are refused by the parser, and CONNECT goes to a tunnel handler.
 */
const ROUTABLE_METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
]);
/** Node's parser refuses a request line and headers past 16 KB (431) before any route. */
const MAX_HEADER_BYTES = 16 * 1024;
const ROUTES = [
  '/health',
  '/processes',
  '/processes/app',
  '/processes/app/start',
  '/processes/app/stop',
  '/processes/app/restart',
  '/processes/app/reload',
  '/processes/app/signal',
  '/processes/app/scale',
  '/processes/app/logs',
  '/processes/job',
  '/processes/nope',
  '/processes/nope/stop',
  '/namespaces/default/restart',
  '/namespaces/nope/stop',
  '/metrics',
  '/tasks',
  '/tasks/123',
  '/workflows',
  '/workflows/x',
  '/dead-letters',
  '/dead-letters/1/retry',
  '/daemon',
  '/daemon/apply',
  '/',
  '',
];
const TRAVERSALS = [
  '/../../etc/passwd',
  '/processes/..%2f..%2fetc%2fpasswd',
  '/processes/%2e%2e/%2e%2e/health',
  '/processes/app/../../daemon/shutdown',
  '/processes/%00',
  '/processes/app%00/stop',
  '/processes/%ff%fe',
  '/processes/%',
  '/processes/%zz',
  '//processes',
  '/processes//app',
  '/processes/app/',
  '/PROCESSES',
  `/processes/${'a'.repeat(10_000)}`,
  '/processes/%C3%A9%E6%97%A5%E6%9C%AC',
  '/processes/é日本', // raw bytes in the target: refused by the parser
  '/processes/__proto__',
  '/processes/constructor/start',
  '/processes/app;rm -rf',
  '*',
  'http://127.0.0.1/health',
];
const QUERIES = [
  '?lines=-1',
  '?lines=0',
  '?lines=1e999',
  '?lines=abc',
  '?lines=99999999',
  '?lines=10&lines=20',
  '?namespace=%ff',
  '?status=nope',
  '?label=k=v=w',
  '?label=',
  '?status[]=x',
  `?a=${'x'.repeat(20_000)}`,
  '?follow=maybe',
  '?%00=%00',
  '?&&&==',
];
const SIGNALS = ['SIGHUP', 'SIGUSR1', 'SIGFOO', 9, -1, '', null, 'SIGKILL', 'sigterm'];
const INSTANCES = [-1, 0, 1.5, 'two', null, [], 2, 1];

/** A body, its Content-Type, and whether its declared length is a lie (short or long). */
function body(prng) {
  return prng.weighted([
    [6, () => ({ bytes: '' })],
    [4, () => ({ bytes: '{}', type: 'application/json' })],
    [3, () => ({ bytes: '{', type: 'application/json' })],
    [2, () => ({ bytes: prng.pick(['null', '[]', '"s"', '1', 'true']), type: 'application/json' })],
    [
      3,
      () => ({ bytes: JSON.stringify({ signal: prng.pick(SIGNALS) }), type: 'application/json' }),
    ],
    [
      3,
      () => ({
        bytes: JSON.stringify({ instances: prng.pick(INSTANCES) }),
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({
        bytes: JSON.stringify({ names: prng.pick([['app'], ['nope'], 'app', [1], []]) }),
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({
        bytes: JSON.stringify({
          command: prng.pick([['true'], 'true', [], 5]),
          timeout: prng.pick(['1s', -1, 'x']),
        }),
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({
        bytes: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({ bytes: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, type: 'application/json' }),
    ],
    [
      2,
      () => ({
        bytes: JSON.stringify({ signal: 'SIGHUP', pad: 'x'.repeat(prng.pick([1 << 20, 5 << 20])) }),
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({
        bytes: '{"signal":"SIGHUP"}',
        type: prng.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          '',
        ]),
      }),
    ],
    [
      2,
      () => ({
        bytes: Buffer.from(Array.from({ length: prng.int(1, 2000) }, () => prng.int(0, 255))),
        type: 'application/json',
      }),
    ],
    [1, () => ({ bytes: '{"signal":"SIGHUP"}', type: 'application/json', lie: 'short' })],
    [1, () => ({ bytes: '{"signal":"SIGHUP"}', type: 'application/json', lie: 'long' })],
  ])();
}

/**
 * The wrong ways to carry a token, each with the exact token nowhere correct. Leading and
 * trailing whitespace and the scheme's case are left out: HTTP allows them, so they are not wrong.
 */
export function wrongAuthorizations(token) {
  return [
    null,
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token}x`,
    `Bearer x${token}`,
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token} ${token}`,
    `Bearer ${token},${token}`,
    `Bearer "${token}"`,
    `Basic ${Buffer.from(`user:${token}`).toString('base64')}`,
    `Token ${token}`,
    token,
    `Bearer ${'a'.repeat(16_000)}`,
    `Bearer ${Buffer.from(token).toString('base64')}`,
    `Bearer ${token.slice(0, 8)}`,
    `Bearer ${token}\u00e9`,
    'Bearer null',
    'Bearer undefined',
  ];
}

/**
 * One random request. `tcp`: sent on the TCP listener (else the Unix socket); `authorized`:
 * it carries the exact token (TCP) or needs none (socket).
 */
export function randomRequest(prng, { token, tcp }) {
  const method = prng.pick(METHODS);
  let path = prng.chance(0.3) ? prng.pick(TRAVERSALS) : prng.pick(ROUTES);
  if (prng.chance(0.3)) path += prng.pick(QUERIES);
  // A raw NUL or space in the request target is not HTTP; the parser may refuse it first.
  let wellFormed = true;
  if (prng.chance(0.05)) {
    path += prng.pick(['\u0000', ' x', '\u0001', '\u007f']);
    wellFormed = false;
  }
  const wrong = wrongAuthorizations(token);
  const authorization = tcp
    ? prng.chance(0.35)
      ? `Bearer ${token}`
      : prng.pick(wrong)
    : prng.chance(0.1)
      ? prng.pick(wrong)
      : null;
  const authorized = !tcp || authorization === `Bearer ${token}`;
  const { bytes, type, lie } = method === 'GET' && prng.chance(0.8) ? { bytes: '' } : body(prng);
  const payload = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const headers = [`${method} ${path || '/'} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (authorization !== null) headers.push(`Authorization: ${authorization}`);
  if (type) headers.push(`Content-Type: ${type}`);
  if (payload.length > 0 || method === 'POST') {
    const declared =
      lie === 'long'
        ? payload.length + 100
        : lie === 'short'
          ? Math.max(0, payload.length - 5)
          : payload.length;
    headers.push(`Content-Length: ${declared}`);
  }
  if (prng.chance(0.03)) headers.push(`X-Junk: ${'v'.repeat(prng.pick([100, 20_000, 100_000]))}`);
  const head = headers.join('\r\n');
  if (
    !ROUTABLE_METHODS.has(method) ||
    Buffer.byteLength(head, 'latin1') > MAX_HEADER_BYTES - 100 ||
    // Only origin-form (`/…`) and absolute-form targets name a resource; raw non-ASCII is not HTTP.
    !/^(\/|http:\/\/)/.test(path || '/') ||
    /[^\x21-\x7e]/.test(path)
  ) {
    wellFormed = false;
  }
  return {
    head,
    body: payload,
    method,
    path,
    tcp,
    authorized,
    authorization,
    wellFormed,
    // A body shorter than declared keeps the server waiting: no answer is due.
    incomplete: lie === 'long',
    // A server may answer a huge body early and close; the reset can then beat its answer.
    huge: payload.length >= 64 * 1024,
    // Would stop the stack or the daemon for good: sent only where it must be refused.
    destructive: /shutdown/.test(path),
  };
}
