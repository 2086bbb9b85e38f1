/**
 * Real databases for store tests. Each test file gets a PostgreSQL database of its own on
 * the machine's server (created fresh, dropped afterwards), so files running in parallel
 * never see each other's rows; and an embedded PGlite database in memory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { serviceMissing } from './services.js';

export const PG_ADMIN_URL = process.env.ORDERSTREAM_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export const postgresCheck = async (): Promise<void> => {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  await client.end();
};

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the PostgreSQL server. */
export async function tempPostgresDatabase(): Promise<TempDatabase> {
  const name = `orderstream_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type BackendName = 'pglite' | 'postgres';

export interface TestStore {
  store: Store;
  /** The DATABASE_URL for the server backend (psql, child processes); null for PGlite. */
  url: string | null;
  close(): Promise<void>;
}

/** Opens a migrated store on the named backend; null (skipped with the reason printed) when the server is missing. */
export async function openTestStore(backend: BackendName): Promise<TestStore | null> {
  if (backend === 'pglite') {
    const store = await openStore({ databaseUrl: null, dataDir: null });
    return { store, url: null, close: () => store.close() };
  }
  if (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) return null;
  const db = await tempPostgresDatabase();
  const store = await openStore({ databaseUrl: db.url, dataDir: null });
  return {
    store,
    url: db.url,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
}

/**
 * What a server that opens its own store of `backend` needs: a PostgreSQL database of the test's
 * own (`db`, to close afterwards, which drops it; both null when PostgreSQL is missing: the test
 * skips, the reason printed) or a new embedded data directory on disk.
 */
export async function serverStoreEnv(backend: BackendName, name: string): Promise<{ db: TestStore | null; env: Record<string, string> | null }> {
  if (backend === 'pglite') return { db: null, env: { ORDERSTREAM_DATA_DIR: join(mkdtempSync(join(tmpdir(), `orderstream-${name}-`)), 'pgdata') } };
  const db = await openTestStore('postgres');
  if (!db) return { db: null, env: null };
  await db.store.close(); // the server opens its own
  return { db, env: { DATABASE_URL: db.url!, MOCK_DATA_ENABLED: 'true' } };
}
