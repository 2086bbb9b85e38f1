/**
 * Nothing streamed is ever lost or un-happens: with a store, a live event is published
 * only after what it describes committed (the outbox). A server killed with SIGKILL and
 * restarted holds every order it had published, as published, and never issues an order id
 * again with other content; a database outage holds the simulation (and says so) instead of
 * dropping writes; an abusive setting cannot grow the simulation without bound.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers/cli.js';
import { inProcessServer, RecordingClient, spawnServer, waitUntil, type Frame } from '../helpers/server.js';
import { PG_ADMIN_URL, postgresCheck, tempPostgresDatabase, type TempDatabase } from '../helpers/store.js';
import { serviceMissing } from '../helpers/services.js';

const ORDER_EVENTS = new Set(['order.created', 'order.updated', 'order.cancelled', 'order.delivered']);
const RANK: Record<string, number> = { pending: 0, confirmed: 1, processing: 2, shipped: 3, delivered: 4, failed: 4, cancelled: 4 };

/** What the stream said of each order: its creation payload and the furthest status. */
function told(events: Frame[]) {
  const created = new Map<string, Record<string, unknown>>();
  const furthest = new Map<string, string>();
  for (const e of events) {
    if (!ORDER_EVENTS.has(e.event_type!)) continue;
    const d = e.data as { order_id: string; status: string };
    if (e.event_type === 'order.created') created.set(d.order_id, e.data!);
    if (RANK[d.status] >= RANK[furthest.get(d.order_id) ?? 'pending']) furthest.set(d.order_id, d.status);
  }
  return { created, furthest };
}

async function rows(query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>, ids: string[]) {
  const found = await query('SELECT order_id, customer_id, product_id, total_amount, status FROM mock_data.orders WHERE order_id = ANY($1::text[])', [ids]);
  return new Map(found.map((r) => [r.order_id as string, r]));
}

describe('kill -9 during live writes (embedded database)', () => {
  const dir = join(tempDir('orderstream-kill-'), 'pgdata');
  // No demo dataset: the crash and the outbox are what this is about, and without one a restart replays seconds, not the
  // demo's 30 days (the replay still spans every order published before the kill, so a reissued id still shows).
  const env = { STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: dir, STORE_SEED_DEMO: 'false' };
  const args = ['--seed', '31', '--rate', '600', '--speed', '20', '--start', '2026-03-02T09:00:00Z'];

  it('loses no published order and changes none: each one is in the database as published, at least as far as published; no id comes back with other content', async () => {
    const before: Frame[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      const server = await spawnServer(args, env);
      const client = new RecordingClient(`${server.ws}/stream/ws?channels=orders`);
      await client.opened;
      const seen = before.length;
      await client.waitFor((c) => c.events().filter((e) => e.event_type === 'order.created').length >= 30, 120_000);
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      before.push(...client.events());
      await client.close();
      expect(before.length).toBeGreaterThan(seen);
    }
    const { created, furthest } = told(before);
    // Every id published with one content only, across the restarts.
    const payloads = new Map<string, string>();
    for (const e of before) {
      if (e.event_type !== 'order.created') continue;
      const d = e.data as { order_id: string; customer_id: string; total_amount: number };
      const text = `${d.customer_id} ${d.total_amount}`;
      expect(payloads.get(d.order_id) ?? text, d.order_id).toBe(text);
      payloads.set(d.order_id, text);
    }
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    try {
      const found = await rows(async (sql, params) => (await store.query(sql, params)).rows, [...created.keys()]);
      expect(created.size).toBeGreaterThan(60);
      for (const [id, data] of created) {
        const row = found.get(id);
        expect(row, `${id} was published but is not in the database`).toBeDefined();
        expect(row!.customer_id).toBe(data.customer_id);
        expect(row!.total_amount).toBe(data.total_amount);
        expect(RANK[row!.status as string], `${id}: published ${furthest.get(id)}, stored ${row!.status}`).toBeGreaterThanOrEqual(RANK[furthest.get(id)!]);
      }
    } finally {
      await store.close();
    }
  }, 600_000);
});

describe('a database outage of 12 s (PostgreSQL server)', () => {
  let db: TempDatabase | null = null;
  beforeAll(async () => {
    if (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) return;
    db = await tempPostgresDatabase();
  });
  afterAll(() => db?.drop());

  it('holds the simulation while the database is away (saying so), loses no order, and goes on when it is back', async (ctx) => {
    if (!db) return ctx.skip();
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    // In-process (the outage is the database's, not the process's: the kill -9 test above is the one about the process).
    const server = await inProcessServer(
      {
        STORE_ENABLED: 'true',
        DATABASE_URL: db.url,
        MOCK_DATA_ENABLED: 'true',
        STORE_SEED_DEMO: 'false', // the live writes and the outage are the subject, not a seeded history
        SIMULATION_SEED: '32',
        SIMULATION_RATE: '300',
        SIMULATION_SPEED: '10',
      },
      (c) => {
        c.simulation.startMs = Date.parse('2026-03-02T09:00:00Z');
      },
    );
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=orders,system`);
    try {
      await client.opened;
      await client.waitFor((c) => c.events().filter((e) => e.event_type === 'order.created').length >= 20, 120_000);
      // The database goes away: connections cut, renamed so that none can be made.
      // The server reconnects at once: a new connection can slip in between the cut and the rename, so cut and rename again until the rename holds.
      for (let attempt = 1; ; attempt++) {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
        const renamed = await admin.query(`ALTER DATABASE ${name} RENAME TO ${name}_away`).then(
          () => true,
          (err: Error & { code?: string }) => {
            if (err.code !== '55006' || attempt >= 20) throw err; // 55006: object_in_use
            return false;
          },
        );
        if (renamed) break;
      }
      await client.waitFor((c) => c.events().some((e) => e.event_type === 'stream.degraded'), 60_000);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string; components: { simulation: { status: string } } };
      expect(health.status).toBe('degraded');
      expect(health.components.simulation.status).toBe('held');
      const during = client.events().length;
      // The outage's length (not a synchronisation): longer than the live writer's and the change feed's
      // retry backoff takes to reach its 5 s cap (250 ms doubling: 7.75 s), so retries at the cap fail too.
      await new Promise((r) => setTimeout(r, 12_000));
      // Held: nothing about orders was published while the database was away.
      expect(client.events().slice(during).filter((e) => ORDER_EVENTS.has(e.event_type!))).toEqual([]);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [`${name}_away`]);
      await admin.query(`ALTER DATABASE ${name}_away RENAME TO ${name}`);
      await client.waitFor((c) => c.events().some((e) => e.event_type === 'stream.recovered'), 60_000);
      const recovered = client.events().length;
      await client.waitFor((c) => c.events().slice(recovered).filter((e) => e.event_type === 'order.created').length >= 20, 120_000);
    } finally {
      await server.close();
      await client.close();
    }
    const { created, furthest } = told(client.events());
    const found = await rows(async (sql, params) => {
      const c = new pg.Client({ connectionString: db!.url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    }, [...created.keys()]);
    for (const [id, data] of created) {
      expect(found.get(id), `${id} was published but is not in the database`).toBeDefined();
      expect(Number(found.get(id)!.total_amount)).toBe(data.total_amount);
      expect(RANK[found.get(id)!.status as string]).toBeGreaterThanOrEqual(RANK[furthest.get(id)!]);
    }
    await admin.end();
  }, 600_000);
});

describe('an abusive setting cannot grow the simulation without bound', () => {
  it('PUT {"speed":1000000,"ratePerMinute":6000000}: the simulation caps its orders in flight, says so, and the server keeps answering with bounded memory', async () => {
    // The engine may simulate 10,000 new orders a second (default 1,000), so the 20,000 in flight are reached in seconds, not twenty.
    const live = await spawnServer(['--seed', '33'], { STORE_ENABLED: 'false', SIMULATION_MAX_ACTIVE: '20000', SIMULATION_MAX_ORDERS_PER_SECOND: '10000' });
    const client = new RecordingClient(`${live.ws}/stream/ws?channels=system`);
    try {
      await client.opened;
      const res = await fetch(`${live.url}/api/simulation`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ speed: 1_000_000, ratePerMinute: 6_000_000 }) });
      expect(res.status).toBe(200);
      await client.waitFor((c) => c.events().some((e) => e.event_type === 'stream.degraded' && (e.data as { component: string }).component === 'simulation'), 120_000);
      // Keeps answering, at capacity, with memory well under 2 GB.
      for (let i = 0; i < 20; i++) {
        const health = (await (await fetch(`${live.url}/health`)).json()) as { components: { simulation: { status: string } } };
        expect(health.components.simulation.status).toBe('held');
        const view = (await (await fetch(`${live.url}/api/simulation`)).json()) as { stats: { active: number } };
        expect(view.stats.active).toBeLessThanOrEqual(20_000);
      }
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(await import('node:fs').then((fs) => fs.readFileSync(`/proc/${live.child.pid}/status`, 'utf8')))![1]);
      expect(rssKb).toBeLessThan(2 * 1024 * 1024);
      await waitUntil(async () => (await fetch(`${live.url}/health`)).status === 200, 10_000, 'health');
    } finally {
      await client.close();
      await live.stop();
    }
  }, 300_000);
});
