/**
 * The management API when the database is not there to use: switched off
 * (STORE_ENABLED=false), refusing mock-data writes (spec 002's guard), unreachable
 * (circuit breaker: fast 503s, then recovery by itself) and too slow (read timeouts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiHealth, Metrics } from '../../src/domain/api.js';
import { writeToggle } from '../../src/store/guard.js';
import { inProcessServer, sleep, waitUntil } from '../helpers/server.js';
import { serviceMissing } from '../helpers/services.js';
import { PG_ADMIN_URL, postgresCheck, type BackendName } from '../helpers/store.js';
import { call, CUSTOMERS, QUIET, seed, snapshot, startBackend, type Backend, type Server } from './management-fixtures.js';

const pgMissing = await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck);
const BACKENDS: BackendName[] = pgMissing ? ['pglite'] : ['pglite', 'postgres'];

/** One request of each management route that needs the database, with a valid body. */
const EVERY_ROUTE: Array<[string, string, unknown?]> = [
  ['GET', '/api/orders'],
  ['GET', '/api/orders/ORD-00000010'],
  ['POST', '/api/orders', { customer_id: 'CUST-000001', items: [{ product_id: 'PROD-001', quantity: 1 }] }],
  ['PUT', '/api/orders/ORD-00000010/status', { status: 'confirmed' }],
  ['GET', '/api/products'],
  ['GET', '/api/products/PROD-001'],
  ['PUT', '/api/products/PROD-001/stock', { delta: 1 }],
  ['POST', '/api/simulate/new-order'],
  ['POST', '/api/simulate/update-stock'],
  ['POST', '/api/simulate/status-update'],
];

describe('without a database (STORE_ENABLED=false)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ STORE_ENABLED: 'false', SIMULATION_ENABLED: 'false' });
  });
  afterAll(() => server?.close());

  it('answers every management route 503 saying the store is disabled', async () => {
    for (const [method, path, body] of EVERY_ROUTE) {
      const res = await call(server, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.body.error).toBe('store_disabled');
      expect(res.body.message).toContain('STORE_ENABLED=false');
    }
  });

  it('still validates first, and metrics and health still answer', async () => {
    expect((await call(server, 'POST', '/api/orders', { items: [] })).status).toBe(400);
    const metrics = Metrics.parse((await call(server, 'GET', '/api/metrics')).body);
    expect(metrics.database).toMatchObject({ backend: null, breaker: { state: 'closed' } });
    expect(metrics.http.errors_5xx).toBe(EVERY_ROUTE.length);
    const health = await call(server, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(ApiHealth.parse(health.body)).toMatchObject({ status: 'ok', database: { status: 'disabled', backend: null } });
  });
});

describe.each(BACKENDS)("spec 002's guard on %s", (backend) => {
  let b: Backend;
  let guarded: Server;
  beforeAll(async () => {
    b = await startBackend(backend);
    await seed(b.db);
    // PostgreSQL: a second server on the same database, with spec 002's default (off for a server).
    // PGlite holds only mock data and is on by default, so it is switched off explicitly.
    guarded = backend === 'postgres' ? await inProcessServer({ ...QUIET, DATABASE_URL: b.url! }) : b.server;
  });
  afterAll(async () => {
    if (guarded !== b?.server) await guarded?.close();
    await b?.close();
  });

  it('refuses every write with 403 naming the rule and how to enable it, writes nothing, and still reads', async () => {
    if (backend === 'pglite') {
      // The stored toggle (what `orderstream toggle --disable` sets) turns the embedded default off.
      await writeToggle(b.db, false);
    }
    const before = await snapshot(b.db);
    for (const [method, path, body] of EVERY_ROUTE.filter(([m]) => m !== 'GET')) {
      const res = await call(guarded, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error).toBe('refused_disabled');
      expect(res.body.message).toContain('MOCK_DATA_ENABLED=true');
    }
    expect(await snapshot(b.db)).toEqual(before);
    expect((await call(guarded, 'GET', '/api/orders/ORD-00000010')).status).toBe(200);
    expect((await call(guarded, 'GET', '/api/products?category=coffee')).status).toBe(200);
  });
});

describe.skipIf(pgMissing)('PostgreSQL unreachable: the circuit breaker', () => {
  let b: Backend;
  let admin: pg.Client;
  let dbName: string;
  const api = (method: string, path: string, body?: unknown) => call(b.server, method, path, body);
  const allow = (yes: boolean) => admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS ${yes}`);
  const metrics = async () => Metrics.parse((await api('GET', '/api/metrics')).body).database;

  beforeAll(async () => {
    b = await startBackend('postgres');
    await seed(b.db);
    dbName = new URL(b.url!).pathname.slice(1);
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await allow(true).catch(() => undefined);
    await admin?.end();
    await b?.close();
  });

  it('answers 503 fast while the database refuses connections, serves cached products, and recovers by itself', async () => {
    expect((await api('GET', '/api/products/PROD-001')).status).toBe(200); // now cached
    const before = await snapshot(b.db);

    await allow(false);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);

    // The first failures reach the database and open the breaker.
    const first: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api('GET', '/api/orders');
      first.push(res.status);
      expect(res.body.error).toBe('database_unavailable');
    }
    expect(first.every((s) => s === 503)).toBe(true);
    expect(await metrics()).toMatchObject({ breaker: { state: 'open', opened: 1 } });

    // Open: refused without trying (the breaker counts each refusal), reads and writes alike.
    const rejectedBefore = (await metrics()).breaker.rejected;
    for (const [method, path, body] of [['GET', '/api/orders'], ['GET', '/api/products?limit=5'], ['POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-001', quantity: 1 }] }]] as const) {
      const res = await api(method, path, body);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'database_unavailable' });
      expect(res.body.message).toContain('refused for now');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await metrics()).breaker.rejected - rejectedBefore).toBe(3);

    // A product read before the outage is still served.
    const cached = await api('GET', '/api/products/PROD-001');
    expect(cached.status).toBe(200);
    expect(cached.body.product_id).toBe('PROD-001');

    // Health probes the database itself, not the breaker.
    const health = await api('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(ApiHealth.parse(health.body)).toMatchObject({ status: 'down', database: { status: 'down', breaker: 'open', latency_ms: null } });
    expect(health.body.database.error).toMatch(/not currently accepting connections/);

    // Back: after the reset timeout one probe goes through and closes the breaker.
    await allow(true);
    await waitUntil(async () => (await api('GET', '/api/orders')).status === 200, 30_000, 'the API to recover');
    expect(await metrics()).toMatchObject({ breaker: { state: 'closed', opened: 1 } });
    expect((await api('GET', '/api/health')).body.status).toBe('ok');
    expect(await snapshot(b.db)).toEqual(before); // the refused write wrote nothing
    expect((await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-001', quantity: 1 }] })).status).toBe(201);
  });

  it('gives up on reads the database does not answer in time, then fails fast instead of piling up', async () => {
    // A lock nobody releases for now: every read of orders waits on it.
    const blocker = new pg.Client({ connectionString: b.url! });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE mock_data.orders IN ACCESS EXCLUSIVE MODE');
    try {
      const t = performance.now();
      const slow = await Promise.all(Array.from({ length: 5 }, () => api('GET', '/api/orders')));
      const waited = performance.now() - t;
      expect(slow.map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
      expect(slow[0].body.message).toContain('no answer from the database within 3000 ms');
      // They waited for the read timeout (a lower bound: no busy machine makes it shorter).
      expect(waited).toBeGreaterThan(2900);

      // Then the breaker is open: the next read is refused without reaching the database.
      const rejectedBefore = (await metrics()).breaker.rejected;
      const fast = await api('GET', '/api/orders');
      expect(fast.status).toBe(503);
      expect(fast.body.message).toContain('refused for now');
      expect((await metrics()).breaker.rejected - rejectedBefore).toBe(1);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await sleep(100);
    await waitUntil(async () => (await api('GET', '/api/orders')).status === 200, 15_000, 'the API to recover');
    expect((await metrics()).breaker).toMatchObject({ state: 'closed', opened: 2 });
  });
});
