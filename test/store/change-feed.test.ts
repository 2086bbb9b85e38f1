import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowChange } from '../../src/domain/events.js';
import { ChangeFeed, currentChangeId, pruneChangeLog, type ChangeFeedOptions } from '../../src/store/change-feed.js';
import type { Queryable, Store } from '../../src/store/store.js';
import { sleep, waitUntil } from '../helpers/server.js';
import { serviceMissing } from '../helpers/services.js';
import { openTestStore, PG_ADMIN_URL, postgresCheck, type TestStore } from '../helpers/store.js';

const pgMissing = await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck);

// Rows with every NOT NULL column and nothing else: enough for the triggers, readable in a failure.
async function insertSupplier(db: Queryable, id: string): Promise<void> {
  await db.query(
    `INSERT INTO mock_data.suppliers (supplier_id, name, country, region, lead_time_days_min, lead_time_days_max, email, phone, rating)
     VALUES ($1, 'Acme', 'EG', 'Cairo', 1, 3, 'sales@acme.test', '+20 2 1234', 4.5)`,
    [id],
  );
}

async function insertProduct(db: Queryable, id: string, stock: number, supplier = 'SUP-1'): Promise<void> {
  await db.query(
    `INSERT INTO mock_data.products (product_id, sku, name, category, supplier_id, unit, unit_price, currency, popularity_rank, stock_quantity, reorder_threshold, created_at)
     VALUES ($1, $1, 'Espresso beans 1kg', 'coffee', $2, 'bag', 19.99, 'EGP', 1, $3, 5, '2024-01-01T00:00:00Z')`,
    [id, supplier, stock],
  );
}

async function insertCustomer(db: Queryable, id: string, email: string): Promise<void> {
  await db.query(
    `INSERT INTO mock_data.customers (customer_id, first_name, last_name, full_name, email, phone, tier, region, delivery_region,
       shipping_address_street, shipping_address_city, shipping_address_state, shipping_address_zip_code, shipping_address_country, created_at)
     VALUES ($1, 'Mona', 'Saleh', 'Mona Saleh', $2, '+20 100 000', 'gold', 'Cairo', 'Cairo', '1 Nile St', 'Cairo', 'Cairo', '11511', 'EG', '2024-01-01T00:00:00Z')`,
    [id, email],
  );
}

async function insertOrder(db: Queryable, id: string, customer: string, product: string): Promise<void> {
  await db.query(
    `INSERT INTO mock_data.orders (order_id, customer_id, customer_email, supplier_id, pattern_type, priority, region, delivery_region,
       product_id, product_name, quantity, price, total, items_count, subtotal, discount_amount, total_amount, currency, payment_method,
       shipping_address_street, shipping_address_city, shipping_address_state, shipping_address_zip_code, shipping_address_country,
       status, status_history, order_date, expected_delivery, notes, created_at, updated_at)
     VALUES ($1, $2, 'mona@example.test', 'SUP-1', 'regular', 'normal', 'Cairo', 'Cairo', $3, 'Espresso beans 1kg', 2, 19.99, 39.98, 1,
       39.98, 0, 39.98, 'EGP', 'card', '1 Nile St', 'Cairo', 'Cairo', '11511', 'EG', 'pending', '[{"status":"pending"}]',
       '2024-01-02T10:00:00Z', '2024-01-05T10:00:00Z', '', '2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z')`,
    [id, customer, product],
  );
}

/** A feed that records what it emits (validated against the event contract). Poll and prune off unless a test asks. */
function follow(store: Store, options: Partial<ChangeFeedOptions> = {}) {
  const changes: RowChange[] = [];
  const errors: string[] = [];
  const feed = new ChangeFeed(store, {
    pollIntervalMs: 0,
    pruneIntervalMs: 0,
    ...options,
    onChange: (c) => changes.push(RowChange.parse(c)),
    onError: (m) => errors.push(m),
  });
  return { feed, changes, errors };
}

const logCount = async (db: Queryable) => (await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM mock_data.change_log')).rows[0].n;

function expectAscending(changes: RowChange[]): void {
  for (let i = 1; i < changes.length; i++) expect(changes[i].change_id).toBeGreaterThan(changes[i - 1].change_id);
}

const BACKENDS = [
  { name: 'pglite', missing: null },
  { name: 'postgres', missing: pgMissing },
] as const;

for (const backend of BACKENDS) {
  describe.skipIf(backend.missing)(`change feed on ${backend.name}`, () => {
    let ts: TestStore;
    let store: Store;
    let feeds: ChangeFeed[] = [];
    const track = (f: ReturnType<typeof follow>) => (feeds.push(f.feed), f);

    beforeAll(async () => {
      ts = (await openTestStore(backend.name))!;
      store = ts.store;
      await insertSupplier(store, 'SUP-1');
    });
    afterAll(async () => {
      await Promise.all(feeds.map((f) => f.stop()));
      await ts?.close();
    });

    it('reports insert, update and delete on orders, products and customers in commit order, with old and new rows', async () => {
      const { feed, changes, errors } = track(follow(store));
      await feed.start();
      expect(feed.state).toBe('listening');

      await insertProduct(store, 'P-1', 10);
      await insertCustomer(store, 'C-1', 'mona@example.test');
      await insertOrder(store, 'ORD-00000001', 'C-1', 'P-1');
      await store.query(`UPDATE mock_data.products SET stock_quantity = 8 WHERE product_id = 'P-1'`);
      await store.query(`UPDATE mock_data.orders SET status = 'shipped' WHERE order_id = 'ORD-00000001'`);
      await store.query(`UPDATE mock_data.customers SET email = 'mona@new.test' WHERE customer_id = 'C-1'`);
      await store.query(`DELETE FROM mock_data.orders WHERE order_id = 'ORD-00000001'`);
      await store.query(`DELETE FROM mock_data.customers WHERE customer_id = 'C-1'`);
      await store.query(`DELETE FROM mock_data.products WHERE product_id = 'P-1'`);
      await waitUntil(() => changes.length >= 9, 10_000, '9 changes');
      await sleep(100);

      expect(changes.map((c) => `${c.table}.${c.op}:${c.row_id}`)).toEqual([
        'products.insert:P-1',
        'customers.insert:C-1',
        'orders.insert:ORD-00000001',
        'products.update:P-1',
        'orders.update:ORD-00000001',
        'customers.update:C-1',
        'orders.delete:ORD-00000001',
        'customers.delete:C-1',
        'products.delete:P-1',
      ]);
      expectAscending(changes);
      const [productInsert, , orderInsert, productUpdate, orderUpdate, customerUpdate, orderDelete] = changes;
      expect(productInsert.old).toBeNull();
      expect(productInsert.new).toMatchObject({ product_id: 'P-1', stock_quantity: 10, unit_price: 19.99, supplier_id: 'SUP-1' });
      expect(orderInsert.new).toMatchObject({ status: 'pending', status_history: [{ status: 'pending' }] });
      expect(productUpdate.old).toMatchObject({ stock_quantity: 10 });
      expect(productUpdate.new).toMatchObject({ stock_quantity: 8 });
      expect(orderUpdate.old).toMatchObject({ status: 'pending' });
      expect(orderUpdate.new).toMatchObject({ status: 'shipped' });
      expect([customerUpdate.old?.email, customerUpdate.new?.email]).toEqual(['mona@example.test', 'mona@new.test']);
      expect(orderDelete.new).toBeNull();
      expect(orderDelete.old).toMatchObject({ order_id: 'ORD-00000001', status: 'shipped' });
      expect(feed.position).toBe(changes.at(-1)!.change_id);
      expect(feed.report()).toMatchObject({ state: 'listening', emitted: 9, last_error: null });
      expect(errors).toEqual([]);
    });

    it('does not report an UPDATE that changes nothing', async () => {
      await insertProduct(store, 'P-NOOP', 5);
      const { feed, changes } = track(follow(store));
      await feed.start();
      const before = await logCount(store);
      await store.query(`UPDATE mock_data.products SET stock_quantity = stock_quantity, name = name WHERE product_id = 'P-NOOP'`);
      await store.query(`UPDATE mock_data.products SET stock_quantity = 5 WHERE product_id = 'P-NOOP'`);
      await store.query(`UPDATE mock_data.products SET stock_quantity = 6 WHERE product_id = 'P-NOOP'`);
      await waitUntil(() => changes.length >= 1, 10_000, 'the real update');
      await sleep(200);
      expect(await logCount(store)).toBe(before + 1);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ op: 'update', row_id: 'P-NOOP', old: { stock_quantity: 5 }, new: { stock_quantity: 6 } });
    });

    // 2,200 changes read in pages of 250: nine reads at least, as 5,500 in pages of 1,000 made six (a third of the rows to write and check).
    it('delivers a transaction of 2,200 changes complete and in order, and nothing of it before it commits', async () => {
      const { feed, changes } = track(follow(store, { batchSize: 250 }));
      await feed.start();
      await store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO mock_data.products (product_id, sku, name, category, supplier_id, unit, unit_price, currency, popularity_rank, stock_quantity, reorder_threshold, created_at)
           SELECT 'BULK-' || lpad(i::text, 5, '0'), 'SKU-' || i, 'Bulk item ' || i, 'bulk', 'SUP-1', 'unit', 1.50, 'EGP', i, 100, 5, '2024-01-01T00:00:00Z'
           FROM generate_series(1, 1000) AS i`,
        );
        await tx.query(`UPDATE mock_data.products SET stock_quantity = stock_quantity - 1 WHERE category = 'bulk'`);
        await tx.query(`DELETE FROM mock_data.products WHERE category = 'bulk' AND popularity_rank > 800`);
        await sleep(150);
        expect(changes).toHaveLength(0); // uncommitted rows are invisible to the feed's reads
      });
      await waitUntil(() => changes.length >= 2200, 20_000, '2,200 changes');
      await sleep(100);
      expect(changes).toHaveLength(2200);
      expectAscending(changes);
      expect(new Set(changes.map((c) => c.change_id)).size).toBe(2200);
      expect(changes.slice(0, 1000).every((c) => c.op === 'insert' && c.new?.stock_quantity === 100)).toBe(true);
      expect(changes.slice(1000, 2000).every((c) => c.op === 'update' && c.old?.stock_quantity === 100 && c.new?.stock_quantity === 99)).toBe(true);
      expect(changes.slice(2000).every((c) => c.op === 'delete' && c.new === null && Number(c.old?.popularity_rank) > 800)).toBe(true);
      // Paged: 2,200 rows need at least nine reads of 250.
      expect(feed.report().reads).toBeGreaterThanOrEqual(9);
    });

    it("logs nothing for a transaction that sets orderstream.change_feed = 'off'", async () => {
      const { feed, changes } = track(follow(store));
      await feed.start();
      const before = await logCount(store);
      await store.transaction(async (tx) => {
        await tx.query(`SET LOCAL orderstream.change_feed = 'off'`);
        await insertProduct(tx, 'P-QUIET', 1);
        await insertCustomer(tx, 'C-QUIET', 'quiet@example.test');
        await tx.query(`UPDATE mock_data.products SET stock_quantity = 2 WHERE product_id = 'P-QUIET'`);
        await tx.query(`DELETE FROM mock_data.customers WHERE customer_id = 'C-QUIET'`);
      });
      expect(await logCount(store)).toBe(before);
      // SET LOCAL ended with its transaction: the next change is logged again, and is the first the feed sees.
      await store.query(`UPDATE mock_data.products SET stock_quantity = 3 WHERE product_id = 'P-QUIET'`);
      await waitUntil(() => changes.length >= 1, 10_000, 'the logged update');
      await sleep(150);
      expect(changes.map((c) => [c.row_id, c.op, c.old?.stock_quantity, c.new?.stock_quantity])).toEqual([['P-QUIET', 'update', 2, 3]]);
    });

    it('starts at the newest change unless given a start position, which replays from there', async () => {
      const start = await currentChangeId(store);
      await insertProduct(store, 'P-HIST', 1);
      const fresh = track(follow(store));
      const replay = track(follow(store, { startAfter: start }));
      await Promise.all([fresh.feed.start(), replay.feed.start()]);
      await store.query(`UPDATE mock_data.products SET stock_quantity = 2 WHERE product_id = 'P-HIST'`);
      await waitUntil(() => fresh.changes.length >= 1 && replay.changes.length >= 2, 10_000, 'both feeds');
      await sleep(100);
      expect(fresh.changes.map((c) => c.op)).toEqual(['update']);
      expect(replay.changes.map((c) => c.op)).toEqual(['insert', 'update']);
      expect(replay.changes[1].change_id).toBe(fresh.changes[0].change_id);
    });

    it('finds a change whose notification never came with the safety poll', async () => {
      const { feed, changes } = track(follow(store, { pollIntervalMs: 200 }));
      await feed.start();
      // Written straight into the log: no trigger, so no NOTIFY.
      await store.query(`INSERT INTO mock_data.change_log (table_name, op, row_id, new_row) VALUES ('products', 'insert', 'P-SILENT', '{"product_id":"P-SILENT"}')`);
      await waitUntil(() => changes.length >= 1, 5000, 'the polled change');
      expect(changes[0]).toMatchObject({ row_id: 'P-SILENT', old: null, new: { product_id: 'P-SILENT' } });
      expect(feed.report().notifications).toBe(0);
    });

    it('misses, repeats and reorders nothing while several writers commit at once', async () => {
      const { feed, changes } = track(follow(store));
      await feed.start();
      const start = feed.position!;
      for (let p = 0; p < 10; p++) await insertProduct(store, `P-RACE-${p}`, 0);
      // On the server each writer is a connection of its own; PGlite serialises them. Each
      // transaction updates two rows, half the writers in the opposite order: with the feed's
      // lock taken after the row locks, these transactions deadlocked (the statement trigger takes it first).
      const writers = Array.from({ length: 6 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 25; i++) {
            await store.transaction(async (tx) => {
              const pair = [`P-RACE-${(w + i) % 10}`, `P-RACE-${(w + i + 5) % 10}`];
              const [first, second] = w % 2 ? pair : pair.reverse();
              await tx.query(`UPDATE mock_data.products SET stock_quantity = stock_quantity + 1 WHERE product_id = $1`, [first]);
              await tx.query(`UPDATE mock_data.products SET stock_quantity = stock_quantity + 1 WHERE product_id = $1`, [second]);
              if (i % 5 === 0) await tx.query(`UPDATE mock_data.products SET reorder_threshold = $2 WHERE product_id = $1`, [first, w * 100 + i]);
            });
          }
        })(),
      );
      await Promise.all(writers);
      const logged = (await store.query<{ change_id: number }>('SELECT change_id FROM mock_data.change_log WHERE change_id > $1 ORDER BY change_id', [start])).rows.map((r) => r.change_id);
      await waitUntil(() => changes.length >= logged.length, 10_000, 'every logged change');
      await sleep(100);
      expect(changes.map((c) => c.change_id)).toEqual(logged);
      // Replaying the changes rebuilds the table exactly: the feed's order is the commit order.
      const replica = new Map<string, Record<string, unknown> | null>();
      for (const c of changes) replica.set(c.row_id, c.new);
      const { rows } = await store.query<{ product_id: string; stock_quantity: number; reorder_threshold: number }>(
        `SELECT product_id, stock_quantity, reorder_threshold FROM mock_data.products WHERE product_id LIKE 'P-RACE-%'`,
      );
      for (const row of rows) expect(replica.get(row.product_id)).toMatchObject(row);
      expect(rows.reduce((n, r) => n + r.stock_quantity, 0)).toBe(300);
    });

    it('prunes only what is past the retention and already read', async () => {
      const { feed } = track(follow(store, { retention: { maxRows: 1, maxAgeMs: 3600_000 } }));
      await feed.start();
      for (let i = 0; i < 20; i++) await store.query(`UPDATE mock_data.products SET stock_quantity = $1 WHERE product_id = 'P-HIST'`, [100 + i]);
      await waitUntil(() => feed.report().emitted >= 20, 10_000, '20 changes');
      const ids = (await store.query<{ change_id: number }>('SELECT change_id FROM mock_data.change_log ORDER BY change_id')).rows.map((r) => r.change_id);
      const newest = ids.at(-1)!;

      // Count: keep the newest 5, but nothing after upTo goes whatever the count says.
      const upTo = ids.at(-10)!;
      expect(await pruneChangeLog(store, upTo, { maxRows: 5, maxAgeMs: 3600_000 })).toBe(ids.filter((id) => id <= upTo).length);
      const left = (await store.query<{ change_id: number }>('SELECT change_id FROM mock_data.change_log ORDER BY change_id')).rows.map((r) => r.change_id);
      expect(left).toEqual(ids.filter((id) => id > upTo));

      // Age: rows older than maxAgeMs go though the count allows them.
      const aged = left.slice(0, 3);
      await store.query(`UPDATE mock_data.change_log SET changed_at = now() - interval '2 days' WHERE change_id = ANY($1::bigint[])`, [aged]);
      expect(await pruneChangeLog(store, newest, { maxRows: 1000, maxAgeMs: 24 * 3600_000 })).toBe(3);

      // Through the feed (keep 1 row): everything up to its cursor but the newest.
      expect(await feed.prune()).toBe(left.length - 3 - 1);
      expect((await store.query<{ change_id: number }>('SELECT change_id FROM mock_data.change_log')).rows.map((r) => r.change_id)).toEqual([newest]);
      expect(feed.report().pruned).toBe(left.length - 4);
    });

    it('stops cleanly: no reads after stop, and stop waits for a read in flight', async () => {
      const { feed, changes } = track(follow(store));
      await feed.start();
      await insertProduct(store, 'P-STOP', 1);
      await feed.stop();
      const seen = changes.length;
      await store.query(`UPDATE mock_data.products SET stock_quantity = 9 WHERE product_id = 'P-STOP'`);
      await sleep(200);
      expect(changes.length).toBe(seen);
      expect(feed.state).toBe('stopped');
    });
  });
}

describe.skipIf(pgMissing)('change feed reconnects (PostgreSQL)', () => {
  let ts: TestStore;
  let admin: pg.Client;
  let feed: ChangeFeed;
  beforeAll(async () => {
    ts = (await openTestStore('postgres'))!;
    await insertSupplier(ts.store, 'SUP-1');
    await insertProduct(ts.store, 'P-1', 0);
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await feed?.stop();
    await admin?.end();
    await ts?.close();
  });

  const dbName = () => new URL(ts.url!).pathname.slice(1);
  /** Kills the LISTEN connection from the server side and waits until it is really gone. */
  const killListener = async () =>
    (await admin.query(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`, [dbName()])).rowCount;

  it('after its connection is killed, re-listens and delivers what was committed meanwhile, once and in order', async () => {
    const rec = follow(ts.store, { reconnectInitialMs: 500, reconnectMaxMs: 2000 });
    feed = rec.feed;
    const { changes, errors } = rec;
    await feed.start();
    let expected = 0;
    for (let round = 1; round <= 3; round++) {
      expect(await killListener()).toBe(1);
      await waitUntil(() => feed.state === 'reconnecting', 5000, 'the drop to be noticed');
      const seen = changes.length;
      for (let i = 0; i < 5; i++) await ts.store.query(`UPDATE mock_data.products SET stock_quantity = $1 WHERE product_id = 'P-1'`, [++expected]);
      await sleep(100);
      // Nobody is listening and the poll is off: these can only arrive through the catch-up read.
      expect(feed.state).toBe('reconnecting');
      expect(changes.length).toBe(seen);
      await waitUntil(() => changes.length >= seen + 5, 10_000, `round ${round}'s changes`);
      expect(feed.state).toBe('listening');
    }
    await sleep(200);
    expect(changes.map((c) => c.new?.stock_quantity)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expectAscending(changes);
    expect(feed.report()).toMatchObject({ state: 'listening', reconnects: 3 });
    expect(errors.filter((e) => /dropped/.test(e))).toHaveLength(3);
    // Still exactly one listening connection: no leak per reconnect.
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`, [dbName()]);
    expect(rows[0].n).toBe(1);
    // And it still works through notifications.
    await ts.store.query(`UPDATE mock_data.products SET stock_quantity = 100 WHERE product_id = 'P-1'`);
    await waitUntil(() => changes.length === 16, 5000, 'the change after reconnecting');
  });

  it('keeps trying with growing waits while the database refuses it, then catches up', async () => {
    // A listener whose connection is killed again the moment it comes back: each failure waits longer.
    await feed.stop(); // only the feed under test listens now
    const rec = follow(ts.store, { reconnectInitialMs: 100, reconnectMaxMs: 400 });
    await rec.feed.start();
    const attempts: number[] = [];
    const killer = setInterval(async () => {
      const n = await killListener().catch(() => 0);
      if (n) attempts.push(Date.now());
    }, 20);
    await sleep(2500);
    clearInterval(killer);
    await sleep(50);
    await ts.store.query(`UPDATE mock_data.products SET stock_quantity = 200 WHERE product_id = 'P-1'`);
    await waitUntil(() => rec.changes.some((c) => c.new?.stock_quantity === 200), 5000, 'the change after the storm');
    // 100, 200, 400, 400…: a handful of attempts in 2.5 s, not one every 20 ms.
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(attempts.length).toBeLessThanOrEqual(10);
    expect(rec.feed.state).toBe('listening');
    await rec.feed.stop();
  });
});
