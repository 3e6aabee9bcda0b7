// The demo stack of overseer.yaml, written with the library instead: an API with a
// readiness probe, workers that wait for it to be healthy, a migration job, a flaky process
// that crash-loops into `failed`, and a cache whose liveness probe restarts it. Runs for
// $DEMO_SECONDS (default 12), or until Ctrl-C, then shuts everything down in reverse
// dependency order.
import { createServer } from 'node:net';
import { styleText } from 'node:util';
import { Supervisor, shutdownOnSignals } from 'overseer';

const here = new URL('.', import.meta.url).pathname;
const [port, cachePort] = [await freePort(), await freePort()];
const seconds = Number(process.env.DEMO_SECONDS ?? 12);

const supervisor = new Supervisor({ cwd: here, env: { ...process.env, PORT: String(port) } });

supervisor.add({
  name: 'migrate',
  kind: 'job',
  command: 'node migrate.mjs',
});
supervisor.add({
  name: 'api',
  command: ['node', 'api.mjs'],
  depends_on: { migrate: 'completed_successfully' },
  readiness: { http: `http://127.0.0.1:${port}/health`, interval: '200ms' },
});
supervisor.add({
  name: 'worker',
  command: ['node', 'worker.mjs'],
  instances: 2,
  depends_on: { api: 'healthy' },
});
supervisor.add({
  name: 'cache',
  command: ['node', 'cache.mjs'],
  env: { CACHE_PORT: String(cachePort) },
  liveness: { tcp: `127.0.0.1:${cachePort}`, interval: '500ms', failure_threshold: 2 },
  restart: { delay: '200ms' },
});
supervisor.add({
  name: 'flaky',
  command: ['node', 'flaky.mjs'],
  restart: { max_restarts: 3, delay: '100ms', factor: 2 },
});

const colours = ['cyan', 'magenta', 'yellow', 'green', 'blue'];
const colourOf = (name) =>
  colours[[...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % colours.length];
const label = (name) => styleText(colourOf(name), name.padEnd(9));

supervisor.onLog(({ name, stream, text }) => {
  const line = stream === 'stderr' ? styleText('red', text) : text;
  console.log(`${label(name)}│ ${line}`);
});
supervisor.onAny((event) => {
  if (!('name' in event) || event.type === 'process:pending') return;
  const { type, name, at, ...details } = event;
  const shown = Object.entries(details)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  console.log(`${label(name)}│ ${styleText('dim', `${type.slice(8)} ${shown}`)}`);
});

const report = () =>
  console.table(
    supervisor.list().map(({ name, status, restarts, exitCode, reason }) => ({
      name,
      status,
      restarts,
      exitCode,
      reason,
    })),
  );
supervisor.on('supervisor:shutdown', report);

// Ctrl-C, SIGTERM or SIGHUP stop the stack, then end this process as the signal would; a
// second one (a process manager in a hurry) kills every process tree at once. Without
// this, a signal would end the host and leave every child running.
shutdownOnSignals(supervisor, {
  onSignal: (signal, forced) =>
    console.log(
      styleText(
        'bold',
        forced
          ? `\n${signal}: killing every process tree now`
          : `\n${signal}: shutting down in reverse dependency order… (again to force)`,
      ),
    ),
});

await supervisor.up();
console.log(styleText('bold', '\nevery process is running, completed or failed:'));
console.table(
  supervisor.list().map(({ name, status, health, pid, restarts, reason }) => ({
    name,
    status,
    health,
    pid,
    restarts,
    reason,
  })),
);
setTimeout(() => {
  console.log(styleText('bold', '\nshutting down in reverse dependency order…'));
  void supervisor.shutdown();
}, seconds * 1000).unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
    server.once('error', reject);
  });
}
