/**
 * The PostgreSQL workflow store on a real server (test/support/postgres.ts), held to the
 * contract, and to what only a shared database shows: claims racing on several connections, the database's clock,
 * schemas side by side, migrations run by workers starting at once, jsonb's round trip.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Json } from '../../../src/core/workflows/records.js';
import type { WorkflowStore } from '../../../src/core/workflows/workflow-store.js';
import { MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { queryUnflushed } from '../../../src/store/postgres/unflushed.js';
import {
  openPostgresWorkflowStore,
  type PostgresWorkflowStoreOptions,
} from '../../../src/store/postgres/workflow-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { describeWorkflowStoreContract } from './contract.js';

let database: TestDatabase;
const opened: WorkflowStore[] = [];
let schemas = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  await database?.drop();
});

/** A store on a schema no other test uses, unless `options` names one; closed after the test. */
async function openStore(options: PostgresWorkflowStoreOptions = {}): Promise<WorkflowStore> {
  schemas += 1;
  const store = await openPostgresWorkflowStore(database.url, {
    schema: `test_${schemas}`,
    ...options,
  });
  opened.push(store);
  return store;
}

/** Runs `sql` on the test database on a connection of its own. */
async function query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
  const client = new pg.Client(database.url);
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL workflow store', () => {
  it('hands each of 500 runs to one claimer while twelve claim at once on four pools', async () => {
    const schema = 'race';
    const stores = await Promise.all(
      [1, 2, 3, 4].map(() => openStore({ schema, maxConnections: 3 })),
    );
    const ids = Array.from({ length: 500 }, (_, n) => `run-${n}`);
    for (let from = 0; from < ids.length; from += 50) {
      await Promise.all(
        ids
          .slice(from, from + 50)
          .map((id) => stores[0]!.createRun({ id, workflow: 'w', input: null })),
      );
    }
    const claims = new Map<string, string[]>();
    const claimer = async (store: WorkflowStore, worker: string) => {
      for (;;) {
        const runs = await store.claim(worker, { limit: 7, leaseMs: 60_000 });
        if (runs.length === 0) return;
        for (const run of runs) {
          claims.set(run.id, [...(claims.get(run.id) ?? []), worker]);
          expect(await store.finishRun(worker, run.id, { status: 'completed' })).toBe(true);
        }
      }
    };
    await Promise.all(
      stores.flatMap((store, s) => [1, 2, 3].map((w) => claimer(store, `worker-${s}-${w}`))),
    );
    expect([...claims.keys()].sort()).toEqual([...ids].sort());
    expect([...claims.values()].filter((workers) => workers.length !== 1)).toEqual([]);
    expect(new Set([...claims.values()].flat()).size).toBeGreaterThan(1);
    const left = await stores[1]!.runs({ statuses: ['pending', 'running'], limit: 1000 });
    expect(left).toEqual([]);
  });

  it('reads times and leases from the database clock, not the process clock', async () => {
    const store = await openStore();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2001-02-03T04:05:06Z'));
      const [{ now }] = (await query<{ now: number }>(
        'SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now',
      )) as [{ now: number }];
      const before = await store.now();
      const { run } = await store.createRun({ id: 'r', workflow: 'w', input: 1 });
      const [claimed] = await store.claim('a', { limit: 1, leaseMs: 30_000 });
      const after = await store.now();
      expect(before).toBeGreaterThanOrEqual(now);
      expect(Math.abs(before - Date.now())).toBeGreaterThan(365 * 24 * 3600_000);
      expect(run.createdAt).toBeGreaterThanOrEqual(before);
      expect(claimed!.leaseUntil).toBeGreaterThanOrEqual(before + 30_000);
      expect(claimed!.leaseUntil).toBeLessThanOrEqual(after + 30_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fences a worker whose lease ended once another has claimed the run', async () => {
    const store = await openStore();
    await store.createRun({ id: 'r', workflow: 'w', input: null });
    // A lease of 0 ms has ended by the next statement: no waiting on a clock.
    await store.claim('slow', { limit: 1, leaseMs: 0 });
    expect(await store.claim('fast', { limit: 1, leaseMs: 60_000 })).toHaveLength(1);
    const step = { runId: 'r', index: 0, name: 's', kind: 'step' as const, attempts: 1 };
    const times = { startedAt: 1, finishedAt: 2 };
    expect(await store.recordStep('slow', { ...step, ...times, output: 'late' })).toBe(false);
    expect(await store.renew('slow', ['r'], 60_000)).toEqual([]);
    const failed = {
      status: 'failed' as const,
      error: { name: 'Error', message: 'boom' },
      deadLetter: {
        runId: 'r',
        workflow: 'w',
        step: 's',
        stepIndex: 0,
        input: null,
        error: { name: 'Error', message: 'boom' },
        attempts: 3,
      },
    };
    expect(await store.finishRun('slow', 'r', failed)).toBe(false);
    expect(await store.deadLetters()).toEqual([]);
    expect(await store.recordStep('fast', { ...step, ...times, output: 'mine' })).toBe(true);
    expect(await store.finishRun('fast', 'r', failed)).toBe(true);
    const [letter] = await store.deadLetters();
    expect(letter).toMatchObject({ runId: 'r', step: 's', attempts: 3 });
    expect(await store.run('r')).toMatchObject({ status: 'failed', error: failed.error });
    expect(await store.steps('r')).toEqual([{ ...step, ...times, output: 'mine' }]);
  });

  it('keeps stores on two schemas of one database apart', async () => {
    const alpha = await openStore({ schema: 'alpha' });
    const beta = await openStore({ schema: 'Beta_Two' });
    await alpha.createRun({ id: 'same-id', workflow: 'w', input: 'alpha' });
    expect(await beta.run('same-id')).toBeUndefined();
    expect(await beta.claim('b', { limit: 10, leaseMs: 60_000 })).toEqual([]);
    const { created, run } = await beta.createRun({ id: 'same-id', workflow: 'w', input: 'beta' });
    expect(created).toBe(true);
    expect(run.input).toBe('beta');
    expect((await alpha.run('same-id'))!.input).toBe('alpha');
    const tables = await query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
       WHERE table_schema IN ('alpha', 'Beta_Two') ORDER BY 1, 2`,
    );
    const names = [
      'overseer_migrations',
      'workflow_dead_letters',
      'workflow_runs',
      'workflow_steps',
    ];
    expect(tables).toEqual([
      ...names.map((table) => ({ schema: 'Beta_Two', table })),
      ...names.map((table) => ({ schema: 'alpha', table })),
    ]);
  });

  it('puts its tables in the schema `overseer` unless told otherwise', async () => {
    const store = await openPostgresWorkflowStore(database.url);
    opened.push(store);
    await store.createRun({ id: 'r', workflow: 'w', input: null });
    expect(await query('SELECT id FROM overseer.workflow_runs')).toEqual([{ id: 'r' }]);
  });

  it.each(['', '1st', 'with-dash', 'quote"d', 'semi;colon', 'x'.repeat(64)])(
    'refuses the schema name %j before it connects',
    async (schema) => {
      await expect(
        openPostgresWorkflowStore('postgres://nowhere.invalid/db', { schema }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    },
  );

  it('migrates once when four stores open one schema at once, and not again', async () => {
    const schema = 'together';
    await Promise.all([1, 2, 3, 4].map(() => openStore({ schema })));
    const applied = () =>
      query<{ version: number; applied_at: Date }>(
        `SELECT version, applied_at FROM ${schema}.overseer_migrations ORDER BY version`,
      );
    const first = await applied();
    expect(first.map((row) => row.version)).toEqual(MIGRATIONS.map((_, n) => n + 1));
    await openStore({ schema });
    expect(await applied()).toEqual(first);
  });

  it('refuses a schema migrated by a newer overseer', async () => {
    await openStore({ schema: 'newer' });
    await query('INSERT INTO newer.overseer_migrations (version) VALUES ($1)', [
      MIGRATIONS.length + 1,
    ]);
    await expect(openStore({ schema: 'newer' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('gives JSON values and times back equal, though jsonb reorders keys, null apart from absent', async () => {
    const store = await openStore();
    const input: Json = {
      zebra: 1,
      a: [3, 'two', null, { nested: true, '': 'empty key' }],
      émoji: '🦆 ünïcödé "quoted" \\ back\nline',
      big: 1.7976931348623157e308,
      tiny: 5e-324,
      fraction: 0.1,
      negative: -42,
    };
    await store.createRun({ id: 'r', workflow: 'w', input });
    expect((await store.run('r'))!.input).toEqual(input);
    await store.claim('a', { limit: 1, leaseMs: 60_000 });
    const step = { runId: 'r', name: 's', kind: 'step' as const, attempts: 1 };
    // Times as JavaScript holds them, fractions of a ms kept.
    const times = { startedAt: 1_765_000_000_000.25, finishedAt: 1_765_000_000_001.5 };
    await store.recordStep('a', { ...step, ...times, index: 0, output: null });
    await store.recordStep('a', { ...step, ...times, index: 1 });
    await store.recordStep('a', { ...step, ...times, index: 2, output: [input, 'x'] });
    const steps = await store.steps('r');
    expect(steps[0]).toEqual({ ...step, ...times, index: 0, output: null });
    expect(steps[1]).not.toHaveProperty('output');
    expect(steps[2]!.output).toEqual([input, 'x']);
    await store.finishRun('a', 'r', { status: 'completed', output: null });
    expect(await store.run('r')).toHaveProperty('output', null);
    for (const input of ['a string', 7, false, null, []] as Json[]) {
      const id = `scalar-${JSON.stringify(input)}`;
      await store.createRun({ id, workflow: 'w', input });
      expect((await store.run(id))!.input).toEqual(input);
    }
  });

  it('commits a claim without waiting for the WAL flush for that transaction only, and a failed one leaves its connection usable', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      // The test server may run without it; this connection's sessions wait for the flush.
      await pool.query('SET synchronous_commit = on');
      const setting = "SELECT current_setting('synchronous_commit') AS value";
      const inside = await queryUnflushed<{ value: string }>(pool, setting, []);
      expect(inside.rows[0]?.value).toBe('off');
      await expect(queryUnflushed(pool, 'SELECT no_such_column FROM pg_class', [])).rejects.toThrow(
        /no_such_column/,
      );
      // The one connection is back in the pool, out of the aborted transaction, its setting
      // the session's again.
      expect((await pool.query<{ value: string }>(setting)).rows[0]?.value).toBe('on');
    } finally {
      await pool.end();
    }
  });

  it('leaves a pool it was given open when closed', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const store = await openStore({ pool });
      await store.createRun({ id: 'r', workflow: 'w', input: null });
      await store.close();
      const { rows } = await pool.query(
        `SELECT count(*)::int AS runs FROM test_${schemas}.workflow_runs`,
      );
      expect(rows).toEqual([{ runs: 1 }]);
    } finally {
      await pool.end();
    }
  });
});

describeWorkflowStoreContract('PostgresWorkflowStore', async () => {
  const store = await openStore();
  // The database's clock cannot be moved: the contract waits on it instead.
  return { store, clock: undefined, close: () => store.close() };
});
