/** `new Workflows({ store: 'postgres://…' })`: the engine on a real PostgreSQL server. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workflows } from '../../src/open-workflows.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('Workflows on PostgreSQL', () => {
  it('runs a workflow in the schema it is given, its steps recorded there', async () => {
    const workflows = new Workflows({ store: database.url, schema: 'orders' });
    try {
      const order = workflows.define('order', async (ctx, sku: string) => {
        const reserved = await ctx.step('reserve', () => ({ sku, units: 2 }));
        return ctx.step('charge', () => `charged ${reserved.units} × ${reserved.sku}`);
      });
      const run = await order.start('tea', { id: 'o-1' });
      expect(await run.result()).toBe('charged 2 × tea');
    } finally {
      await workflows.close();
    }
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT name FROM orders.workflow_steps WHERE run_id = $1 ORDER BY step_index',
        ['o-1'],
      );
      expect(rows).toEqual([{ name: 'reserve' }, { name: 'charge' }]);
    } finally {
      await client.end();
    }
  });

  it('holds no more connections than maxConnections, however many runs execute at once', async () => {
    const workflows = new Workflows({ store: database.url, schema: 'pooled', maxConnections: 2 });
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const busy = workflows.define('busy', async (ctx, n: number) => {
        for (let step = 0; step < 3; step += 1) await ctx.step(`step-${step}`, () => n + step);
        return n;
      });
      const runs = await Promise.all(Array.from({ length: 10 }, (_, n) => busy.start(n)));
      expect(await Promise.all(runs.map((run) => run.result()))).toHaveLength(10);
      const { rows } = await client.query(
        'SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rows[0].count).toBeLessThanOrEqual(2);
    } finally {
      await client.end();
      await workflows.close();
    }
  });

  it('fails its first use with the reason, and no password, when the server cannot be reached', async () => {
    const workflows = new Workflows({ store: 'postgres://ada:secret@127.0.0.1:1/none' });
    try {
      const error = await workflows.runs().catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        /^workflows: cannot open the store postgres:\/\/ada:\*\*\*@127\.0\.0\.1:1\/none: /,
      );
    } finally {
      await workflows.close();
    }
  });
});
