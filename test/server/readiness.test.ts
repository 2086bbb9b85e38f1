/**
 * Health that tells the truth: /health/ready reports each dependency with a reason, and a
 * database dropped and recreated empty under a running server is migrated again instead of
 * answering 500 forever (issue 13, reproduction 3's second half).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, waitUntil } from '../helpers/server.js';
import { PG_ADMIN_URL, postgresCheck, tempPostgresDatabase, type TempDatabase } from '../helpers/store.js';
import { serviceMissing } from '../helpers/services.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;
interface Ready {
  status: string;
  reasons: string[];
  components: Record<string, { status: string; reason?: string }>;
}

describe('readiness on the embedded database', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false' });
  }, 120_000);
  afterAll(async () => server?.close());

  it('is ready with every component named, and /health stays the liveness answer', async () => {
    const res = await fetch(`${server.url}/health/ready`);
    const body = (await res.json()) as Ready;
    expect(res.status, JSON.stringify(body.reasons)).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.components).sort()).toEqual(['change_feed', 'database', 'demo_data', 'kafka', 'outbox', 'redis', 'shutdown', 'simulation']);
    expect(body.components.database.status).toBe('ok');
    expect(body.components.change_feed.status).toBe('ok');
    expect(body.components.outbox).toMatchObject({ status: 'ok', unpublished: 0 });
    expect(body.components.kafka.status).toBe('disabled');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('says not ready, with the reason, while shutting down', async () => {
    server.state.draining = true;
    try {
      const res = await fetch(`${server.url}/health/ready`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as Ready).reasons).toContain('shutdown: shutting down');
    } finally {
      server.state.draining = false;
    }
  });
});

describe('a PostgreSQL database dropped and recreated empty under the server', () => {
  let db: TempDatabase | null = null;
  let server: Server | null = null;
  beforeAll(async () => {
    if (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) return;
    db = await tempPostgresDatabase();
    server = await inProcessServer({ STORE_ENABLED: 'true', DATABASE_URL: db.url, SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false', MOCK_DATA_ENABLED: 'true' });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('is migrated again: requests recover instead of answering 500 forever, and readiness says what happened meanwhile', async (ctx) => {
    if (!server || !db) return ctx.skip();
    expect((await fetch(`${server.url}/api/orders?limit=1`)).status).toBe(200);
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const statuses: number[] = [];
    await waitUntil(
      async () => {
        const res = await fetch(`${server!.url}/api/orders?limit=1`);
        statuses.push(res.status);
        if (res.status === 503) {
          const body = (await res.json()) as { error: string };
          expect(['database_recreated', 'database_unavailable']).toContain(body.error);
        }
        return res.status === 200;
      },
      60_000,
      'the orders endpoint to recover',
    );
    expect(statuses).not.toContain(500);
    expect(server.state.readiness!.remigrations).toBeGreaterThanOrEqual(1);
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      const { rows } = await check.query<{ t: string | null }>("SELECT to_regclass('mock_data.orders')::text AS t");
      expect(rows[0].t).toBe('mock_data.orders');
    } finally {
      await check.end();
    }
    await waitUntil(async () => (await fetch(`${server!.url}/health/ready`)).status === 200, 60_000, 'ready again');
  }, 120_000);
});
