/**
 * PostgreSQL for a test file: the run's one server (test/support/postgres-global-setup.ts),
 * and a database of the file's own on it, so that files run in parallel without seeing
 * each other's rows.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `url` of a server given by `OVERSEER_TEST_PG_URL`, or `gate`, which answers one. */
    postgres: { readonly url?: string; readonly gate?: string };
  }
}

/** The server's URL, once it is up. */
export async function postgresUrl(): Promise<string> {
  const { url, gate } = inject('postgres');
  if (url) return url;
  const response = await fetch(gate!);
  const body = await response.text();
  if (!response.ok) throw new Error(body);
  return body;
}

export interface TestDatabase {
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a database of its own for the caller. Its user needs CREATEDB on a server given
 * by `OVERSEER_TEST_PG_URL`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await postgresUrl();
  const name = `overseer_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await administer(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => administer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function administer(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
