// The worker: asks the upstream for a quote every 500 ms through an executor (a timeout of
// 1 s per try, 2 tries, a breaker that opens after 3 failed calls in a row and tries again
// after 5 s) and falls back on the last price it got. Its own health (the upstream as its
// calls see it, and how fresh its price is) and its metrics are served on
// 127.0.0.1:$WORKER_PORT: /health (503 while the upstream is unhealthy) and /metrics.
import { createServer } from 'node:http';
import {
  createExecutors,
  createLogger,
  exponentialBackoff,
  healthChecks,
  logPolicyEvents,
  presets,
  registerResilienceMetrics,
} from 'overseer';

// Readable lines in `overseer logs` (JSON without `pretty`); DEBUG=worker:* shows more.
const log = createLogger({ name: 'worker', pretty: true });

const upstream = `http://127.0.0.1:${process.env.UPSTREAM_PORT}/quote`;
const port = Number(process.env.WORKER_PORT);

const executors = createExecutors({
  preset: presets.production,
  overrides: {
    api: {
      timeout: '1s',
      retry: {
        attempts: 2,
        backoff: exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 400 }),
      },
      breaker: { opensAfter: { consecutive: 3 }, halfOpenAfter: '5s' },
    },
  },
});

let last = { price: undefined, at: 0 };
const quotes = executors.forApi('upstream', () => ({ price: last.price, stale: true }));
const breaker = quotes.policies.breaker;
// Breaker opened / half-open / closed, "retry 1 of 2 in 130 ms", timeouts: one line each.
logPolicyEvents(log.category('upstream'), { name: 'upstream', ...quotes.policies });

async function fetchQuote({ signal }) {
  const response = await fetch(upstream, { signal });
  if (!response.ok) throw new Error(`upstream answered ${response.status}`);
  return response.json();
}

async function poll() {
  const result = await quotes.execute(fetchQuote);
  if (result.success && !result.usedFallback) {
    last = { price: result.data.price, at: Date.now() };
    log.info(
      { attempts: result.attempts, ms: Math.round(result.durationMs) },
      `quote ${result.data.price}`,
    );
  } else if (result.success) {
    log.warn(`quote ${result.data.price ?? 'unknown'} from the fallback: ${result.error.message}`);
  } else {
    log.error(`no quote: ${result.error.message}`);
  }
}

const health = healthChecks();
// The upstream as the calls see it: its breaker's state, no extra request.
health.register(
  'upstream',
  () => {
    const state = breaker.state();
    if (state.kind === 'open') {
      return {
        status: 'unhealthy',
        message: `breaker open until ${new Date(state.until).toISOString()}`,
      };
    }
    if (state.kind === 'halfOpen') return { status: 'degraded', message: 'breaker half-open' };
    return true;
  },
  { interval: '1s' },
);
// A stale price is worth serving, but worth knowing about: degraded, not critical.
health.register(
  'fresh-quote',
  () =>
    Date.now() - last.at < 10_000 || {
      status: 'degraded',
      message: 'last fresh quote over 10 s ago',
    },
  { interval: '1s', critical: false },
);

const metrics = await registerResilienceMetrics({ executors, health });
const server = createServer(async (req, res) => {
  if (req.url === '/health') {
    const report = health.status();
    res.writeHead(report.status === 'unhealthy' ? 503 : 200, {
      'content-type': 'application/json',
    });
    return res.end(JSON.stringify(report, null, 2));
  }
  if (req.url === '/metrics') {
    return res.writeHead(200, { 'content-type': metrics.contentType }).end(await metrics.metrics());
  }
  res.writeHead(404).end();
});
server.listen(port, '127.0.0.1', () => log.info(`worker health and metrics on :${port}`));

const timer = setInterval(poll, 500);
process.on('SIGTERM', () => {
  clearInterval(timer);
  health.stop();
  server.close(async () => {
    await log.flush();
    process.exit(0);
  });
});
