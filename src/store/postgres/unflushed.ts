/**
 * Statements whose commit need not wait for the server to flush its WAL to disk.
 *
 * A commit normally waits for that flush (about 2 ms on a virtual disk), and a run's claim,
 * steps and end each commit. Some of those writes are harmless to lose in a crash of the
 * database server, and waiting for their flush buys nothing:
 * - WAL is written in order, so the next write that does wait (a step recorded) flushes the
 *   earlier ones with it: nothing recorded after such a write can outlive it;
 * - what a lost write undoes is redone by the ordinary path: a lost claim leaves the run to
 *   be claimed again (its holder's next fenced write finds it not held and stops), a lost end
 *   leaves the run running with every step recorded, and whoever takes it replays those to
 *   the same end.
 * The database itself stays consistent either way: this is PostgreSQL's own
 * `synchronous_commit = off`, set for the one transaction.
 */
import type { Pool, QueryResult, QueryResultRow } from 'pg';

export async function queryUnflushed<R extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  const client = await pool.connect();
  try {
    // One round trip for both: a simple query may hold several statements.
    await client.query('BEGIN; SET LOCAL synchronous_commit = off');
    const result = await client.query<R>(text, values as unknown[]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A failed statement leaves the transaction aborted: end it before the connection is reused.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
