// The PostgreSQL of the workflows benchmark: OVERSEER_BENCH_PG_URL's server, or one of its
// own started as the tests start theirs (test/support/postgres-server.ts, loaded with jiti:
// the bench runs plain node), on 127.0.0.1, durable (each commit synced to disk, as in
// production), stopped with its files removed at the end. Each measurement works in a
// schema of its own, dropped at the end on a server that was given.
import pg from 'pg';

let server;
const schemas = new Set();

/** `{ url, where }`: the server's URL and a few words saying which server it is. */
export async function benchPostgres() {
  const given = process.env.OVERSEER_BENCH_PG_URL;
  if (given) return { url: given, where: 'OVERSEER_BENCH_PG_URL' };
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url);
  const { startPostgresServer } = await jiti.import('../test/support/postgres-server.ts');
  server = await startPostgresServer({ durable: true });
  return { url: server.url, where: 'a server of its own on 127.0.0.1, fsync on' };
}

/** A schema name not used before in this run, remembered to be dropped. */
export function freshSchema(prefix) {
  const name = `bench_${prefix}_${process.pid}_${schemas.size}`;
  schemas.add(name);
  return name;
}

/** The server's version string, for the report. */
export async function postgresVersion(url) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/**
 * How many times the server has flushed its WAL to disk so far (PostgreSQL 16 and later;
 * null before): a commit waits for one, and commits waiting at once share one.
 */
export async function walFlushes(url) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT sum(fsyncs)::float8 AS flushes FROM pg_stat_io WHERE object = 'wal'",
    );
    return rows[0].flushes;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** Drops the schemas made (on a given server), and stops a server of our own. */
export async function stopBenchPostgres(url) {
  if (server) {
    await server.stop();
    server = undefined;
  } else if (url && schemas.size > 0) {
    const client = new pg.Client(url);
    await client.connect();
    try {
      for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    } finally {
      await client.end();
    }
  }
  schemas.clear();
}

/** Stops a server of our own if one is left (an exit in the middle of the run). */
export function killBenchPostgres() {
  // stop() is async; on exit only a signal can still be sent: SIGINT is a fast shutdown.
  server?.stop().catch(() => {});
  server = undefined;
}
