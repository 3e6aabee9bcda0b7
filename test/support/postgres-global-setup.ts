/**
 * One PostgreSQL server for the whole test run, or the one `OVERSEER_TEST_PG_URL` names.
 *
 * The server starts in the background (initdb and start take most of a second) so that
 * no test waits on it but those that use it: they ask a small HTTP endpoint on loopback,
 * which answers once the server is up. Stopped, its files removed, at the end of the run;
 * listed after test/global-setup.ts, so that the check for leaked processes runs after it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.OVERSEER_TEST_PG_URL;
  if (given) {
    project.provide('postgres', { url: given });
    return async () => {};
  }
  const started = startPostgresServer();
  // Settled here too, so that a server that fails to start is no unhandled rejection.
  const outcome = started.then(
    (server) => ({ status: 200, body: server.url }),
    (error: unknown) => ({ status: 503, body: `the test PostgreSQL failed to start: ${error}` }),
  );
  const gate = createServer((_request, response) => {
    void outcome.then(({ status, body }) => response.writeHead(status).end(body));
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const { port } = gate.address() as AddressInfo;
  project.provide('postgres', { gate: `http://127.0.0.1:${port}/` });
  return async () => {
    gate.closeAllConnections();
    gate.close();
    await (await started.catch(() => undefined))?.stop();
  };
}
