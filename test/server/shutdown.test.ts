/**
 * Shutdown that finishes (issue 13): SIGTERM stops intake, drains what it can within
 * SHUTDOWN_TIMEOUT, and the process exits even when the database will not let the last
 * write through.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import { RecordingClient, spawnServer, startServerInChild, testConfig, waitUntil } from '../helpers/server.js';
import { postgresCheck, tempPostgresDatabase, type TempDatabase } from '../helpers/store.js';
import { serviceMissing } from '../helpers/services.js';

const exited = (child: import('node:child_process').ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('SIGTERM', () => {
  it('closes stream clients with 1001 and a reason and exits 0 when nothing holds it', async () => {
    const server = await spawnServer(['--speed', '60', '--rate', '60'], { STORE_ENABLED: 'false' });
    const client = new RecordingClient(`${server.ws}/stream/ws`);
    await client.opened;
    const exit = exited(server.child);
    server.child.kill('SIGTERM');
    await client.waitFor((c) => c.closed !== null, 30_000);
    expect(client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await exit).toBe(0);
    expect(server.stderr()).toMatch(/shutting down \(at most SHUTDOWN_TIMEOUT/);
  }, 60_000);

  describe('with the database refusing the last write', () => {
    let db: TempDatabase | null = null;
    beforeAll(async () => {
      if (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) return;
      db = await tempPostgresDatabase();
    });
    afterAll(async () => db?.drop());

    it('gives up after SHUTDOWN_TIMEOUT, says what it was doing, and exits', async (ctx) => {
      if (!db) return ctx.skip();
      // 120 orders a second (12 a simulated minute at 600x; it was 1,200): a write still reaches the locked tables within
      // milliseconds of the lock, and everything after it gathers behind that write.
      const server = await spawnServer(['--speed', '600', '--rate', '12', '--seed', '9'], {
        STORE_ENABLED: 'true',
        DATABASE_URL: db.url,
        MOCK_DATA_ENABLED: 'true',
        STORE_SEED_DEMO: 'false', // live writes are what the lock holds up; a seeded history is not needed for them
        SHUTDOWN_TIMEOUT: '2',
      });
      const locker = new pg.Client({ connectionString: db.url });
      await locker.connect();
      try {
        // Live orders are being written; then every table they go to is locked, so the writer's last transaction waits forever.
        await waitUntil(async () => Number((await locker.query('SELECT count(*) AS n FROM mock_data.orders')).rows[0].n) > 0, 120_000, 'live orders in the database');
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE mock_data.orders, mock_data.order_items, mock_data.inventory_movements IN ACCESS EXCLUSIVE MODE');
        const exit = exited(server.child);
        server.child.kill('SIGTERM');
        const code = await exit; // without the deadline, this waits for as long as the lock is held
        expect(code).not.toBeNull();
        expect(server.stderr()).toMatch(/after SHUTDOWN_TIMEOUT \(2 s\); stopping anyway/);
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await locker.end();
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
      }
    }, 240_000);
  });
});

// A start that fails after the database is open (here: the demo dataset cannot be written, refused by a
// constraint a DBA put on the table) must let go of it, or a library caller's process keeps its connections and never ends.
describe('a start that fails after opening the database', () => {
  let db: TempDatabase | null = null;
  beforeAll(async () => {
    if (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) return;
    db = await tempPostgresDatabase();
  });
  afterAll(async () => db?.drop());

  it('closes every connection it had opened and says why it failed', async (ctx) => {
    if (!db) return ctx.skip();
    const name = new URL(db.url).pathname.slice(1);
    await (await openStore({ databaseUrl: db.url, dataDir: null })).close(); // migrated: the tables are there
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE mock_data.orders ADD CONSTRAINT no_orders_here CHECK (false) NOT VALID');
      await expect(startServer(testConfig({ STORE_ENABLED: 'true', DATABASE_URL: db.url, MOCK_DATA_ENABLED: 'true', STORE_DEMO_DAYS: '1' }))).rejects.toThrow(/no_orders_here/);
      // The pool's end() resolves as its clients leave it, a moment before their backends are gone (milliseconds).
      // Left open, an idle connection stays 10 s (pg's idle timeout): the wait ends well before that.
      const connections = async () =>
        (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()", [name])).rows[0].n;
      await waitUntil(async () => (await connections()) === 0, 8000, 'every connection of the failed start closed');
    } finally {
      await admin.end();
    }
  }, 60_000);

  it('after a restore that failed part-way (an outbox row that is not JSON), nothing retries: the process ends by itself', async (ctx) => {
    if (!db) return ctx.skip();
    const broken = await tempPostgresDatabase();
    try {
      await (await openStore({ databaseUrl: broken.url, dataDir: null })).close();
      const admin = new pg.Client({ connectionString: broken.url });
      await admin.connect();
      // The first pending event is published (which arms the event log's flush), the second cannot be read.
      const first = { event_id: 'b6b1a3c2-8f0e-4f67-9e59-3a1d2c4b5e6f', event_type: 'alert.broadcast', timestamp: '2025-01-01T00:00:00.000Z', data: { alert_id: 'b6b1a3c2-8f0e-4f67-9e59-3a1d2c4b5e6f', level: 'info', title: 't', message: 'm' } };
      await admin.query('INSERT INTO orderstream.outbox (envelope) VALUES ($1), ($2)', [JSON.stringify(first), '{not json']);
      await admin.end();
      const { code, stderr } = await startServerInChild({ STORE_ENABLED: 'true', DATABASE_URL: broken.url, SIMULATION_ENABLED: 'false' });
      expect(stderr).toMatch(/JSON/);
      expect(stderr).not.toMatch(/started/);
      expect(code).toBe(0);
    } finally {
      await broken.drop();
    }
  }, 60_000);
});
