import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityKey, RowChange, SequencedEnvelope, type DomainEvent, type EventType } from '../../src/domain/events.js';
import { startServer } from '../../src/server/app.js';
import { inProcessServer, RecordingClient, sleep, testConfig, waitUntil } from '../helpers/server.js';
import { serviceMissing } from '../helpers/services.js';
import { PG_ADMIN_URL, postgresCheck, tempPostgresDatabase, type TempDatabase } from '../helpers/store.js';

const missing =
  (await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck)) ??
  (await serviceMissing('psql (the PostgreSQL command-line client)', () => void execFileSync('psql', ['--version'], { stdio: 'ignore' })));

/** Runs SQL with the real psql client, as a user would; resolves with the moment psql exited. */
function psql(url: string, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const at = performance.now();
      if (code === 0) resolve(at);
      else reject(new Error(`psql exited ${code}: ${stderr}`));
    });
  });
}

const FIXTURES = `
INSERT INTO mock_data.suppliers (supplier_id, name, country, region, lead_time_days_min, lead_time_days_max, email, phone, rating)
  VALUES ('SUP-1', 'Acme', 'EG', 'Cairo', 1, 3, 'sales@acme.test', '+20 2 1234', 4.5);
INSERT INTO mock_data.products (product_id, sku, name, category, supplier_id, unit, unit_price, currency, popularity_rank, stock_quantity, reorder_threshold, created_at)
  VALUES ('P-1', 'SKU-1', 'Espresso beans 1kg', 'coffee', 'SUP-1', 'bag', 19.99, 'EGP', 1, 50, 5, '2024-01-01T00:00:00Z');
INSERT INTO mock_data.customers (customer_id, first_name, last_name, full_name, email, phone, tier, region, delivery_region,
  shipping_address_street, shipping_address_city, shipping_address_state, shipping_address_zip_code, shipping_address_country, created_at)
  VALUES ('C-1', 'Mona', 'Saleh', 'Mona Saleh', 'mona@example.test', '+20 100 000', 'gold', 'Cairo', 'Cairo', '1 Nile St', 'Cairo', 'Cairo', '11511', 'EG', '2024-01-01T00:00:00Z');`;

interface Arrival {
  at: number;
  event: SequencedEnvelope;
  change: RowChange;
}

/** A WebSocket client that also notes when each row-change event arrived (before its waitFor wakes on that frame: listeners run in order). */
function changeClient(wsUrl: string) {
  const client = new RecordingClient(`${wsUrl}/stream/ws?channels=db`);
  const arrivals: Arrival[] = [];
  client.socket.on('message', (raw) => {
    const at = performance.now();
    const frame = JSON.parse(raw.toString()) as { type: string; event_type?: string };
    if (frame.type !== 'event' || !frame.event_type?.startsWith('db.')) return;
    const event = SequencedEnvelope.parse(frame);
    arrivals.push({ at, event, change: RowChange.parse(event.data) });
  });
  return { client, arrivals };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe.skipIf(missing)('change feed → hub → WebSocket, changes made with psql', () => {
  let db: TempDatabase;
  let server: Awaited<ReturnType<typeof startServer>> & { ws: string };
  beforeAll(async () => {
    db = await tempPostgresDatabase();
    // No safety poll: a change can only arrive because its NOTIFY woke the feed.
    const started = await startServer(testConfig({ STORE_ENABLED: 'true', DATABASE_URL: db.url, SIMULATION_ENABLED: 'false' }), { changeFeed: { pollIntervalMs: 0 } });
    server = { ...started, ws: started.url.replace('http', 'ws') };
    await psql(db.url, FIXTURES); // after the server migrated the empty database
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  // How soon is measured, not asserted (a busy machine would fail any bound): the figure is
  // printed here and benchmarked in `npm run bench` (store section).
  it('delivers each psql UPDATE to a WebSocket client, woken by its notification', async () => {
    const { client, arrivals } = changeClient(server.ws);
    await client.opened;
    const latencies: number[] = [];
    for (let i = 1; i <= 15; i++) {
      const exited = await psql(db.url, `UPDATE mock_data.products SET stock_quantity = ${100 + i} WHERE product_id = 'P-1'`);
      await client.waitFor(() => arrivals.some((a) => a.change.new?.stock_quantity === 100 + i), 30_000); // woken by each frame, not a 50 ms poll
      const arrival = arrivals.find((a) => a.change.new?.stock_quantity === 100 + i)!;
      // Negative: the event overtook the exit of psql (it arrives as psql's COMMIT returns).
      latencies.push(arrival.at - exited);
      await sleep(20);
    }
    console.log(`psql exit → WebSocket receipt, ms: ${latencies.map((l) => l.toFixed(1)).join(' ')} (median ${median(latencies).toFixed(1)}, max ${Math.max(...latencies).toFixed(1)})`);

    const last = arrivals.at(-1)!;
    expect(last.event.event_type).toBe('db.products.update');
    expect(last.change).toMatchObject({ table: 'products', op: 'update', row_id: 'P-1', old: { stock_quantity: 114 }, new: { stock_quantity: 115, unit_price: 19.99 } });
    expect(last.event.timestamp).toBe(last.change.changed_at);
    expect(entityKey({ type: last.event.event_type, data: last.event.data } as DomainEvent)).toBe('P-1'); // the Kafka key
    await client.close();
  });

  it('puts row changes on the db channel only (a subscriber to orders or stock sees business events once), with the status reported', async () => {
    const orders = new RecordingClient(`${server.ws}/stream/ws?channels=db`);
    const business = new RecordingClient(`${server.ws}/stream/ws?channels=orders,stock`);
    await Promise.all([orders.opened, business.opened]);
    await psql(
      db.url,
      `BEGIN;
       UPDATE mock_data.customers SET tier = 'platinum' WHERE customer_id = 'C-1';
       UPDATE mock_data.products SET stock_quantity = 7 WHERE product_id = 'P-1';
       INSERT INTO mock_data.customers SELECT 'C-2', first_name, last_name, full_name, full_name_ar, 'c2@example.test', phone, company_id, branch_id, tier, region,
         delivery_region, shipping_address_street, shipping_address_city, shipping_address_state, shipping_address_zip_code, shipping_address_country, created_at
         FROM mock_data.customers WHERE customer_id = 'C-1';
       DELETE FROM mock_data.customers WHERE customer_id = 'C-2';
       INSERT INTO mock_data.users (user_id, full_name, email, phone, role, active, created_at)
         VALUES ('USR-0001', 'Omar Adel', 'omar@example.test', '+20 100 001', 'support', true, '2024-01-01T00:00:00Z');
       UPDATE mock_data.users SET active = false WHERE user_id = 'USR-0001';
       COMMIT;`,
    );
    const db_ = (c: RecordingClient) => c.events().filter((e) => e.event_type!.startsWith('db.'));
    await orders.waitFor((c) => db_(c).length >= 6, 5000);
    expect(db_(orders).map((e) => e.event_type)).toEqual([
      'db.customers.update',
      'db.products.update',
      'db.customers.insert',
      'db.customers.delete',
      'db.users.insert',
      'db.users.update',
    ] satisfies EventType[]);
    expect(db_(orders)[5].data).toMatchObject({ table: 'users', row_id: 'USR-0001', old: { active: true }, new: { active: false } });
    expect(db_(orders)[3].data).toMatchObject({ row_id: 'C-2', new: null, old: { email: 'c2@example.test' } });
    // A marker after the changes: by the time it arrives on orders, any row change would have too.
    await fetch(`${server.url}/stream/test/emit-event?event_type=order.created&order_id=ORD-99999999`, { method: 'POST' });
    await business.waitFor((c) => c.events().some((e) => e.event_type === 'order.created'), 5000);
    expect(db_(business)).toEqual([]);

    const status = (await (await fetch(`${server.url}/stream/status`)).json()) as { change_feed: Record<string, unknown> };
    expect(status.change_feed).toMatchObject({ state: 'listening', reconnects: 0, last_error: null });
    expect(status.change_feed.emitted).toBeGreaterThanOrEqual(19);
    expect(typeof status.change_feed.cursor).toBe('number');
    await Promise.all([orders.close(), business.close()]);
  });
});

describe.skipIf(missing)('change feed reconnects after its connection is killed', () => {
  let db: TempDatabase;
  let admin: pg.Client;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    db = await tempPostgresDatabase();
    // A long first wait and no safety poll: what psql changes while the feed is away can only
    // arrive through the catch-up read after re-listening, and psql surely runs before that.
    server = await startServer(testConfig({ STORE_ENABLED: 'true', DATABASE_URL: db.url, SIMULATION_ENABLED: 'false' }), {
      changeFeed: { reconnectInitialMs: 2500, reconnectMaxMs: 5000, pollIntervalMs: 0 },
    });
    await psql(db.url, FIXTURES);
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await server?.close();
    await db?.drop();
  });

  const listeners = async () =>
    (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND datname = $1`, [new URL(db.url).pathname.slice(1)])).rows;

  it('delivers every change made while it was disconnected exactly once, in order', async () => {
    const feed = server.state.changeFeed!;
    const { client, arrivals } = changeClient(server.url.replace('http', 'ws'));
    await client.opened;
    await psql(db.url, `UPDATE mock_data.products SET stock_quantity = 1 WHERE product_id = 'P-1'`);
    await client.waitFor(() => arrivals.length === 1, 5000);

    let stock = 1;
    for (let round = 1; round <= 2; round++) {
      const before = await listeners();
      expect(before).toHaveLength(1);
      // Waits (up to 5 s) until the backend is gone, so nothing below reaches the old listener.
      const killed = await admin.query(`SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_stat_activity WHERE pid = $1`, [before[0].pid]);
      expect(killed.rows[0].ok).toBe(true);
      await waitUntil(() => feed.state === 'reconnecting', 5000, 'the feed to notice');

      const seen = arrivals.length;
      const t0 = performance.now();
      await psql(db.url, `UPDATE mock_data.products SET stock_quantity = ${++stock} WHERE product_id = 'P-1'`);
      await psql(db.url, `UPDATE mock_data.customers SET tier = 'round-${round}' WHERE customer_id = 'C-1'`);
      await psql(db.url, `BEGIN; UPDATE mock_data.products SET stock_quantity = ${++stock} WHERE product_id = 'P-1'; UPDATE mock_data.products SET stock_quantity = ${++stock} WHERE product_id = 'P-1'; COMMIT;`);
      const psqlMs = performance.now() - t0;
      // These really happened while nobody listened.
      expect(feed.state).toBe('reconnecting');
      expect(await listeners()).toHaveLength(0);
      expect(arrivals.length).toBe(seen);

      await client.waitFor(() => arrivals.length >= seen + 4, 10_000);
      console.log(`round ${round}: psql changes took ${psqlMs.toFixed(0)} ms while disconnected; caught up after re-listening`);
      expect(feed.state).toBe('listening');
      expect(await listeners()).toHaveLength(1);
    }
    await sleep(300); // nothing more may come: a duplicate would show here

    const changes = arrivals.map((a) => a.change);
    expect(changes.map((c) => `${c.table}:${c.new?.stock_quantity ?? c.new?.tier}`)).toEqual([
      'products:1',
      'products:2',
      'customers:round-1',
      'products:3',
      'products:4',
      'products:5',
      'customers:round-2',
      'products:6',
      'products:7',
    ]);
    const ids = changes.map((c) => c.change_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
    // …and they are every change the database logged.
    const { rows } = await server.state.store!.query<{ change_id: number }>('SELECT change_id FROM mock_data.change_log WHERE change_id >= $1 ORDER BY change_id', [ids[0]]);
    expect(ids).toEqual(rows.map((r) => r.change_id));
    const seqs = arrivals.map((a) => a.event.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);

    const status = (await (await fetch(`${server.url}/stream/status`)).json()) as { change_feed: Record<string, unknown> };
    expect(status.change_feed).toMatchObject({ state: 'listening', reconnects: 2, cursor: ids.at(-1) });
    await client.close();
  });
});
