/**
 * The daemon keeps per-process log files in `<state_dir>/logs`, rotated by `settings.logs`
 * and a process's own `logs`, and `GET /processes/:name/logs` reads them: past the lines
 * kept in memory, and for a name with instances too.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import {
  cleanupAll,
  createSupervisor,
  fixture,
  httpRequest,
  openDaemon,
  TOKEN,
  waitFor,
} from './helpers.js';

afterEach(cleanupAll);

interface WireLine {
  readonly at: number;
  readonly stream: string;
  readonly text: string;
  readonly name?: string;
}

it('writes every process to <state_dir>/logs, rotated by settings.logs or its own logs', async () => {
  const { daemon, stateDir } = await openDaemon({
    settings: { logs: { max_size: '16KB', max_files: 3 } },
    processes: {
      chatty: { command: fixture('print-many.mjs', 3_000, 100, 'chatty'), kind: 'job' },
      own: {
        command: fixture('print-many.mjs', 3_000, 100, 'own'),
        kind: 'job',
        logs: { max_size: '64KB', max_files: 2 },
      },
    },
  });
  await daemon.up();
  await waitFor(
    () => daemon.supervisor.list().every((info) => info.status === 'completed'),
    20_000,
  );

  const dir = join(stateDir, 'logs');
  const files = readdirSync(dir).sort();
  expect(files).toEqual(['chatty.log', 'chatty.log.1', 'chatty.log.2', 'own.log', 'own.log.1']);
  const size = (entry: string) => statSync(join(dir, entry)).size;
  expect(Math.max(size('chatty.log.1'), size('chatty.log.2'))).toBeLessThanOrEqual(16 * 1024);
  expect(size('own.log.1')).toBeLessThanOrEqual(64 * 1024);
  expect(size('own.log.1')).toBeGreaterThan(16 * 1024);
});

// Regression: the daemon served a hand-made adapter of the engine that had no readLogs, so
// the route answered from the 1,000-line memory ring and 404'd for a name with instances.
it('the served daemon GET /processes/:name/logs reads the files: past the memory ring, and every instance of a name', async () => {
  const { daemon, socketPath } = await openDaemon({
    settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
    processes: {
      printer: { command: fixture('print-lines.mjs', 3_000), kind: 'job' },
      pair: { command: fixture('print-lines.mjs', 2), kind: 'job', instances: 2 },
    },
  });
  await daemon.up();
  await waitFor(
    () => daemon.supervisor.list().every((info) => info.status === 'completed'),
    20_000,
  );
  const auth = { authorization: `Bearer ${TOKEN}` };
  for (const where of [{ socketPath }, { port: daemon.tcpPort! }]) {
    const get = async (path: string) => {
      const response = await httpRequest(where, 'GET', path, { headers: auth });
      return { status: response.status, body: JSON.parse(response.text) as { lines: WireLine[] } };
    };

    const { lines } = (await get('/processes/printer/logs?lines=2500')).body;
    expect(lines).toHaveLength(2500);
    expect(lines[0]).toEqual({ at: expect.any(Number), stream: 'stdout', text: 'line 502' });
    expect(lines.at(-1)?.text).toBe('partial');

    const pair = await get('/processes/pair/logs');
    expect(pair.status).toBe(200);
    expect(pair.body.lines.map((line) => `${line.name} ${line.text}`).sort()).toEqual([
      'pair-0 line 1',
      'pair-0 line 2',
      'pair-0 partial',
      'pair-1 line 1',
      'pair-1 line 2',
      'pair-1 partial',
    ]);
    const filtered = await get('/processes/printer/logs?lines=3&grep=^line%20[12]000$');
    expect(filtered.body.lines.map((line) => line.text)).toEqual(['line 1000', 'line 2000']);
    expect((await get('/processes/nope/logs')).status).toBe(404);
  }
});

it('without a log folder, the route answers from memory as before', async () => {
  const supervisor = createSupervisor({ logLines: 5 });
  supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 20) });
  await supervisor.up();
  await waitFor(() => supervisor.list()[0]?.status === 'completed');
  const app = createMonitoringRoutes(supervisor);

  const { lines } = (await (await app.request('/processes/printer/logs?lines=100')).json()) as {
    lines: WireLine[];
  };
  expect(lines.map((line) => line.text)).toEqual([
    'line 17',
    'line 18',
    'line 19',
    'line 20',
    'partial',
  ]);
});
