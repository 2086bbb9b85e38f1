/** serve with a store: a demo dataset on first start, the live simulation written through, a restart resuming where it stopped. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { orderIndexOf } from '../../src/domain/ids.js';
import { orderId } from '../../src/simulation/ids.js';
import { openStore } from '../../src/store/open.js';
import { readLiveState } from '../../src/store/live-writer.js';
import type { Store } from '../../src/store/store.js';
import { RecordingClient, testConfig, waitUntil } from '../helpers/server.js';
import { serverStoreEnv, type BackendName, type TestStore } from '../helpers/store.js';

const START = Date.parse('2026-06-01T10:00:00Z');

describe.each<BackendName>(['postgres', 'pglite'])('the live simulation backed by the store (%s)', (backend) => {
  let db: TestStore | null = null;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    ({ db, env } = await serverStoreEnv(backend, 'live').then((s) => ({ db: s.db, env: s.env ?? {} })));
  }, 60_000);
  afterAll(() => db?.close().catch(() => undefined));

  const logs: string[] = [];
  // The checks after each stop read what the stop wrote: a stop cut short by SHUTDOWN_TIMEOUT (10 s: a busy machine can
  // take longer to write the last batch) would leave it writing, and the database open, while they read.
  const start = (speed = '600', extra: Record<string, string> = {}) =>
    startServer(
      // 5 orders a simulated minute at 600x (50 a second) is plenty for every check below; at 30 (300 a second) the
      // simulation's writes were most of what this cost, above all the backlog a cleanup holds up.
      // A week of demo history (not the default 30): over 100 seeded orders, and seeded orders delivered in the first
      // simulated minutes, as the first test waits for (after 3 days the first delivery came over an hour later, which
      // the simulation took longer to reach than the 30 days take to load).
      testConfig({ STORE_ENABLED: 'true', STORE_DEMO_DAYS: '7', SIMULATION_SPEED: speed, SIMULATION_RATE: '5', SIMULATION_SEED: '77', SHUTDOWN_TIMEOUT: '120', ...env, ...extra }, (c) => {
        c.simulation.startMs = START;
      }),
      { log: (m) => logs.push(m) },
    );
  /** A short-lived connection of the test's own (PGlite allows one process: only while the server is down). */
  const withDb = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = backend === 'postgres' ? await openStore({ databaseUrl: env.DATABASE_URL, dataDir: null }) : await openStore({ databaseUrl: null, dataDir: env.ORDERSTREAM_DATA_DIR });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };

  it('seeds a demo dataset, writes live orders, their status history and shelf levels, and resumes after a restart', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    let server: RunningServer = await start();
    expect(logs.join('\n')).toMatch(/loaded a demo dataset: [\d,]+ rows, the 7 days before now/);
    const stock = new RecordingClient(`${server.url.replace('http', 'ws')}/stream/ws?channels=stock,orders`);
    await stock.opened;
    // Shipped live: orders this client saw placed (the store's check below counts those, not the seeded ones moving on).
    const shippedLive = () => {
      const placed = new Set(stock.events().filter((e) => e.event_type === 'order.created').map((e) => e.data!.order_id));
      return stock.events().filter((e) => e.event_type === 'order.updated' && e.data!.status === 'shipped' && placed.has(e.data!.order_id)).length;
    };
    // Orders of the seeded history that were still on their way go on, live: in the first simulated
    // hours every delivery is of an order placed before the server started.
    const historyMovesOn = () => stock.events().some((e) => e.event_type === 'order.delivered');
    await waitUntil(() => shippedLive() >= 50 && historyMovesOn(), 60_000, '50 orders shipped live, and a seeded one moving on');
    await server.close(); // the hub flushes its last events to the client before closing it
    await stock.close();

    // A seeded order that moved on live: its row is read with the rest (one connection: on PGlite each open costs a second or two).
    const seededMove = stock.events().find((e) => e.event_type === 'order.delivered')!;
    const seen = await withDb(async (s) => {
      const seeded = await s.query<{ n: number; latest: string }>(`SELECT count(*)::int AS n, max(order_date) AS latest FROM mock_data.orders WHERE order_date < $1`, [new Date(START).toISOString()]);
      const live = await s.query<{ order_id: string; status: string; status_history: Array<{ status: string; at: string }> }>(
        `SELECT order_id, status, status_history FROM mock_data.orders WHERE order_date >= $1 ORDER BY order_date`,
        [new Date(START).toISOString()],
      );
      const products = await s.query<{ product_id: string; stock_quantity: number }>('SELECT product_id, stock_quantity FROM mock_data.products');
      const moved = await s.query<{ status: string; order_date: string; delivered_at: string }>(`SELECT status, order_date, delivered_at FROM mock_data.orders WHERE order_id = $1`, [seededMove.data!.order_id]);
      return { seeded: seeded.rows[0], live: live.rows, products: products.rows, state: (await readLiveState(s))!, row: moved.rows[0] };
    });
    expect(seen.seeded.n).toBeGreaterThan(100);
    expect(Date.parse(seen.seeded.latest)).toBeLessThan(START);
    // The live orders are numbered after the seeded ones, in order.
    expect(seen.live[0].order_id).toBe(orderId(seen.seeded.n));
    expect(seen.live.length).toBe(seen.state.nextOrderIndex - seen.seeded.n);
    const shipped = seen.live.filter((o) => o.status === 'shipped' || o.status === 'delivered');
    expect(shipped.length).toBeGreaterThanOrEqual(50);
    for (const o of seen.live) {
      expect(o.status_history[0].status, o.order_id).toBe('pending');
      expect(o.status_history[o.status_history.length - 1].status, o.order_id).toBe(o.status);
      if (o.status === 'shipped') expect(o.status_history.map((h) => h.status)).toEqual(['pending', 'confirmed', 'processing', 'shipped']);
    }
    // A seeded order that moved on live is in the store with its new status.
    const row = seen.row;
    expect(Date.parse(row.order_date)).toBeLessThan(START);
    expect(row.status).toBe('delivered');
    expect(row.delivered_at).toBe(seededMove.data!.delivery_date);
    // Shelf levels in the table are the last level each product's stock events announced.
    const lastLevel = new Map<string, number>();
    for (const e of stock.events()) if (e.event_type === 'stock.updated') lastLevel.set(String(e.data!.product_id), Number(e.data!.current_stock));
    expect(lastLevel.size).toBeGreaterThan(10);
    for (const p of seen.products) if (lastLevel.has(p.product_id)) expect(p.stock_quantity, p.product_id).toBe(lastLevel.get(p.product_id));
    expect(seen.state.simulatedMs).toBeGreaterThan(START);

    // A restart picks up the clock, the numbering and the shelves.
    logs.length = 0;
    server = await start('1');
    try {
      expect(logs.join('\n')).toMatch(/resuming the simulation at/);
      expect(Date.parse(server.state.simulationView()!.simulatedTime)).toBeGreaterThanOrEqual(Math.floor(seen.state.simulatedMs)); // shown to the millisecond
      const replayed = server.state.simulationView()!.stats.newOrders;
      expect(replayed).toBe(seen.state.nextOrderIndex); // the replay made the same orders again, silently
      await server.state.clock!.update({ speed: 600 });
      await waitUntil(() => (server.state.simulationView()?.stats.newOrders ?? 0) >= replayed + 20, 60_000, 'new orders after the restart');
      // The first order after the restart is stored under the next number, dated after where the last run stopped: read
      // through the running server's store (another open of the embedded database, after the stop, cost a second or two).
      const next = orderId(seen.state.nextOrderIndex);
      const stored = async () =>
        (await server.state.store!.query<{ order_id: string }>(`SELECT order_id FROM mock_data.orders WHERE order_date >= $1`, [new Date(seen.state.simulatedMs).toISOString()])).rows.some((r) => r.order_id === next);
      await waitUntil(stored, 30_000, `${next} stored`);
    } finally {
      await server.close();
    }
    expect(logs.join('\n')).not.toMatch(/failed/);
  }, 180_000);

  it('keeps writing through a cleanup (putting back the rows its orders need), stops while the toggle is off, and starts afresh after a cleanup', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    logs.length = 0;
    let server = await start();
    const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
    const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const liveOrders = async () => ((await (await api('/api/orders?limit=1')).json()) as { total: number }).total;
    try {
      expect((await api(`/api/mock-data/cleanup?confirm=${((await (await api('/api/mock-data/cleanup')).json()) as { confirm: string }).confirm}`, { method: 'DELETE' })).status).toBe(200);
      // The next writes find their customers and products gone: they are put back, and the orders land.
      await waitUntil(async () => (await liveOrders()) > 20, 30_000, 'live orders after the cleanup');
      expect(logs.join('\n')).not.toMatch(/dropped/);

      expect((await post('/api/mock-data/toggle', { enabled: false })).status).toBe(200);
      await waitUntil(() => logs.some((l) => /writes are refused now/.test(l)), 10_000, 'the refusal');
      await new Promise((r) => setTimeout(r, 600));
      const frozen = await liveOrders();
      await new Promise((r) => setTimeout(r, 1500));
      expect(await liveOrders()).toBe(frozen);
      expect((server.state.simulationView()?.stats.newOrders ?? 0)).toBeGreaterThan(0);
      expect((await post('/api/mock-data/toggle', { enabled: true })).status).toBe(200);
      await waitUntil(async () => (await liveOrders()) > frozen, 30_000, 'writes again after enabling');
      expect((await api(`/api/mock-data/cleanup?confirm=${((await (await api('/api/mock-data/cleanup')).json()) as { confirm: string }).confirm}`, { method: 'DELETE' })).status).toBe(200);
      await server.state.clock!.update({ paused: true });
    } finally {
      await server.close();
    }
    // Whatever the pause let through was written; a restart onto the emptied store does not resume but starts again.
    await withDb((s) => s.query(`TRUNCATE mock_data.orders, mock_data.order_items, mock_data.inventory_movements, mock_data.shipments, mock_data.payments, mock_data.discounts, mock_data.refunds`));
    logs.length = 0;
    // Without a demo dataset to load: whether to resume is decided before (planLive), and loading one would only cost time.
    server = await start('600', { STORE_SEED_DEMO: 'false' });
    await server.close();
    expect(logs.join('\n')).not.toMatch(/resuming/);
    expect(logs.join('\n')).toMatch(/the simulation writes through to the store \(0 orders there already\)/);
  }, 180_000);
});


describe('the live simulation and a dataset that changes under it', () => {
  it('a replacing job detaches the simulation from the store (said on the system channel), and no write of it fails afterwards', async () => {
    const logs: string[] = [];
    const server = await startServer(
      // No demo dataset: the simulation numbers its orders from index 0, as the job's new dataset does, so a write of
      // it that got past the detachment would collide with the new rows (after a demo its numbers start past the demo's).
      // 1 order a simulated minute at 600x: 10 a second, so the few dozen numbered before the job starts stay well below the
      // job's count (at 30 a minute, 300 a second, the simulation was past it before the job began and could not collide).
      testConfig({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_SEED_DEMO: 'false', SIMULATION_SPEED: '600', SIMULATION_RATE: '1' }, (c) => {
        c.simulation.startMs = START;
      }),
      { log: (m) => logs.push(m) },
    );
    const system = new RecordingClient(`${server.url.replace('http', 'ws')}/stream/ws?channels=orders`);
    try {
      await system.opened;
      await system.waitFor((c) => c.events().filter((e) => e.event_type === 'order.created').length >= 5, 60_000);
      // Ten days: hundreds of orders numbered from index 0, past the few dozen the simulation has numbered so far. The job's one
      // transaction holds the embedded database's only connection, so the simulation's next write (and the events waiting
      // on it) comes after the job commits, however long the job: a longer one only made this slower.
      const res = await fetch(`${server.url}/api/mock-data/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: { startDate: '2024-01-01', endDate: '2024-01-10', dryRun: false, replace: true } }),
      });
      expect(res.status).toBe(202);
      await system.waitFor((c) => c.events().some((e) => e.event_type === 'stream.degraded' && e.data?.component === 'store'), 120_000);
      expect(String(system.events().find((e) => e.event_type === 'stream.degraded')!.data!.reason)).toMatch(/replac(ed|ing) the dataset.*restart/);
      // The simulation streams on; none of its writes collide with the new rows.
      const before = system.events().filter((e) => e.event_type === 'order.created').length;
      await system.waitFor((c) => c.events().filter((e) => e.event_type === 'order.created').length >= before + 5, 60_000);
      expect(logs.join('\n')).not.toMatch(/failed|duplicate key/);
      // …and they could have: the simulation's orders after the detachment are numbered within the job's (the store holds the job's now).
      const { rows } = await server.state.store!.query<{ n: number }>('SELECT count(*)::int AS n FROM mock_data.orders');
      expect(orderIndexOf(String(system.events().filter((e) => e.event_type === 'order.created')[before].data!.order_id))).toBeLessThan(rows[0].n);
      // Enabling writes again cannot reach back into it: the answer says so.
      const toggled = (await (await fetch(`${server.url}/api/mock-data/toggle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"enabled":true}' })).json()) as { note?: string };
      expect(toggled.note).toMatch(/restart the server/);
    } finally {
      await system.close();
      await server.close();
    }
  }, 240_000);
});
