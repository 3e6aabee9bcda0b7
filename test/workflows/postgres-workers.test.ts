/**
 * Two worker processes share 200 runs on one PostgreSQL database; one is SIGKILLed mid-way.
 * Every run completes, once; the survivor takes over what the dead one held once its lease
 * ends; a step's side effect happens twice only for a step in flight at the kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Workflows } from '../../src/open-workflows.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const WORKER = fileURLToPath(new URL('../fixtures/workflow-pg-worker.mjs', import.meta.url));
const RUNS = 200;
const dir = mkdtempSync(join(tmpdir(), 'overseer-pg-workers-'));
const children: ChildProcess[] = [];
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A worker process, and the lines it printed so far. */
function worker(id: string, effects: string) {
  const child = spawn(process.execPath, [WORKER, database.url, id, '1000', effects], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  const next = () => new Promise<void>((resolve) => waiters.push(resolve));
  const until = async (done: () => boolean) => {
    while (!done()) await next();
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, lines, next, until, exited };
}

it('two workers complete 200 runs once each, though one is killed mid-way', async () => {
  const effects = join(dir, 'effects');
  const producer = new Workflows({ store: database.url });
  const shared = producer.define('shared', async () => null);
  const runs = await Promise.all(
    Array.from({ length: RUNS }, (_, n) => shared.start(null, { id: `run-${n}`, enqueue: true })),
  );
  await producer.close();

  // The first works alone a while, so that it is surely mid-way, holding runs, when the
  // second has joined and the first is killed.
  const first = worker('first', effects);
  await first.until(() => first.lines.filter((line) => line.startsWith('completed')).length >= 10);
  const second = worker('second', effects);
  await second.until(() => second.lines.includes('ready'));
  first.child.kill('SIGKILL');
  await first.exited;

  // The store says when all are done (a line the first printed just before its kill may
  // never have left it): looked at again each time the second prints, or every 100 ms.
  const reader = new Workflows({ store: database.url });
  const done = async () =>
    (await reader.runs({ statuses: ['completed'], limit: 1000 })).length === RUNS;
  while (!(await done())) {
    await Promise.race([second.next(), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  await reader.close();

  // No run was completed twice: none printed twice, whichever worker printed it.
  const printed = [...first.lines, ...second.lines]
    .filter((line) => line.startsWith('completed'))
    .map((line) => line.split(' ')[1]);
  expect(new Set(printed).size).toBe(printed.length);
  expect(printed.every((id) => runs.some((run) => run.id === id))).toBe(true);
  // Each step's side effect happened once, but for the ones in flight when the first died
  // (at most its concurrency), which happened again on the second.
  const counts = new Map<string, number>();
  for (const line of readFileSync(effects, 'utf8').trim().split('\n')) {
    const [run, step] = line.split(' ');
    counts.set(`${run} ${step}`, (counts.get(`${run} ${step}`) ?? 0) + 1);
  }
  expect(counts.size).toBe(RUNS * 3);
  const repeated = [...counts].filter(([, count]) => count > 1);
  expect(repeated.length).toBeLessThanOrEqual(5);
  expect(repeated.every(([, count]) => count === 2)).toBe(true);
}, 60_000);
