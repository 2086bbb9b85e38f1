/**
 * The hub's record in the store across restarts (src/server/event-log.ts), on the embedded
 * database: history comes back, numbering goes on, and a seq is never issued twice — not even
 * after a crash that left issued seqs unrecorded.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import { EventHub } from '../../src/hub/hub.js';
import { startChangeFeed } from '../../src/server/change-feed-bridge.js';
import { EventLog } from '../../src/server/event-log.js';
import { prunePublished, readSeqReserved, recentPublished, recordPublished } from '../../src/store/outbox.js';
import { waitUntil } from '../helpers/server.js';
import { openTestStore, type TestStore } from '../helpers/store.js';

const update = (i: number) => ({ event_type: 'order.updated' as const, data: { ...EVENT_EXAMPLES['order.updated'], order_id: `ORD-${i}` } });

/** Every event log a test made, closed or "crashed": none may still be writing when the next test begins. */
const made: EventLog[] = [];

/** A server's hub and event log over the store, as a (re)start makes them. */
async function start(store: TestStore['store']) {
  const hub = new EventHub(1000);
  const log = new EventLog(store, hub, () => undefined);
  made.push(log);
  await log.restore();
  return { hub, log };
}

describe('the event log across restarts', () => {
  // One embedded database for the file (each open costs a second or two of CPU), put back after each test to what a new
  // one holds: no outbox rows, no change log, no reservation, the tracked rows a test inserted gone, identities restarted.
  let db!: TestStore;
  let settings: Array<{ key: string; value: unknown }> = [];
  beforeAll(async () => {
    db = (await openTestStore('pglite'))!;
    settings = (await db.store.query<{ key: string; value: unknown }>('SELECT key, value FROM orderstream.settings')).rows;
  });
  afterEach(async () => {
    // A "crashed" log's last write (a renewal) is let finish first, so that none lands after the reset.
    await Promise.all(made.splice(0).map((log) => log.flush()));
    const store = db.store;
    await store.query('DELETE FROM mock_data.products');
    await store.query('DELETE FROM mock_data.suppliers');
    await store.query('TRUNCATE orderstream.outbox, mock_data.change_log RESTART IDENTITY');
    await store.query('DELETE FROM orderstream.settings');
    for (const { key, value } of settings) await store.query('INSERT INTO orderstream.settings (key, value) VALUES ($1, $2::jsonb)', [key, JSON.stringify(value)]);
  });
  afterAll(() => db?.close());

  it('after a clean stop, numbering goes on exactly and the history comes back', async () => {
    const first = await start(db.store);
    for (let i = 0; i < 5; i++) first.hub.publish(update(i));
    await first.log.close();
    const second = await start(db.store);
    expect(second.hub.history.since(0).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(second.hub.publish(update(5)).seq).toBe(6);
    await second.log.close();
  });

  it('after a crash, no seq the last run issued is issued again, recorded or not', async () => {
    const first = await start(db.store);
    for (let i = 0; i < 5; i++) first.hub.publish(update(i));
    await first.log.flush();
    // Issued and delivered, but the server dies before recording them (it records a moment later).
    const unrecorded = [0, 1, 2].map(() => first.hub.deliver(update(99), false).seq);
    expect(unrecorded).toEqual([6, 7, 8]);
    const second = await start(db.store);
    expect(second.hub.history.since(0).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const next = second.hub.publish(update(6)).seq;
    expect(next).toBeGreaterThan(8);
    // A client that saw seq 8 before the crash and resumes after it misses nothing.
    expect(second.hub.history.since(8).events.map((e) => e.seq)).toEqual([next]);
    await second.log.close();
    // The crash's jump is kept, and numbering is exact again after the clean stop.
    const third = await start(db.store);
    expect(third.hub.publish(update(7)).seq).toBe(next + 1);
    await third.log.close();
  });

  it('renews the reservation as seqs are issued, those of events fanned in from other servers too', async () => {
    const first = await start(db.store);
    const reserved = (await readSeqReserved(db.store))!;
    // More events from another server (Redis fan-in: numbered here, recorded there) than the whole reservation.
    for (let i = 0; i < reserved + 20_000; i++) first.hub.deliver(update(i), false);
    const last = first.hub.lastSeq;
    await waitUntil(async () => (await readSeqReserved(db!.store))! > last, 30_000, 'the reservation renewed');
    // A crash now: the restarted server numbers past everything the first one issued.
    const second = await start(db.store);
    expect(second.hub.publish(update(0)).seq).toBeGreaterThan(last);
    await second.log.close();
  });

  it('records a row change by reference (change_log keeps it) and restores it byte for byte', async () => {
    const store = db.store;
    const first = await start(store);
    const feed = await startChangeFeed(store, first.hub, () => undefined, { pollIntervalMs: 0, pruneIntervalMs: 0 });
    await store.query(
      `INSERT INTO mock_data.suppliers (supplier_id, name, country, region, lead_time_days_min, lead_time_days_max, email, phone, rating)
       VALUES ('SUP-1', 'Acme', 'EG', 'Cairo', 1, 3, 'sales@acme.test', '+20 2 1234', 4.5)`,
    );
    const insertProduct = (id: string) =>
      store.query(
        `INSERT INTO mock_data.products (product_id, sku, name, category, supplier_id, unit, unit_price, currency, popularity_rank, stock_quantity, reorder_threshold, created_at)
         VALUES ($1, $1, 'Espresso beans 1kg', 'coffee', 'SUP-1', 'bag', 19.99, 'EGP', 1, 40, 5, '2024-01-01T00:00:00Z')`,
        [id],
      );
    await insertProduct('PROD-1');
    await insertProduct('PROD-2');
    first.hub.publish(update(1));
    await waitUntil(async () => first.hub.history.since(0).events.filter((e) => e.channel === 'db').length === 2, 30_000, 'both changes published');
    first.hub.publish(update(2));
    await feed.stop();
    await first.log.close();
    const published = first.hub.history.since(0).events.map((e) => e.frame);

    // The record holds the envelope without its data, and the change it tells of.
    const { rows } = await store.query<{ envelope: string; change_id: number | null }>('SELECT envelope, change_id FROM orderstream.outbox ORDER BY seq');
    const changes = rows.filter((r) => r.change_id !== null);
    expect(changes).toHaveLength(2);
    for (const r of changes) expect(JSON.parse(r.envelope).data).toBeNull();

    const second = await start(store);
    expect(second.hub.history.since(0).events.map((e) => e.frame)).toEqual(published);
    await second.log.close();

    // A change gone from change_log meanwhile ends the history there (not restored empty, and no hole
    // in the middle): a client resuming from before it is told of a gap.
    await store.query('DELETE FROM mock_data.change_log WHERE change_id = $1', [Number(changes[0].change_id)]);
    const third = await start(store);
    const gone = published.findIndex((f) => f.includes(`"change_id":${Number(changes[0].change_id)},`));
    expect(gone).toBeGreaterThanOrEqual(0);
    expect(published.length - gone - 1).toBeGreaterThanOrEqual(2);
    expect(third.hub.history.since(0).events.map((e) => e.frame)).toEqual(published.slice(gone + 1));
    expect(third.hub.history.since(0).gap).toMatchObject({ missed: gone + 1 });
    await third.log.close();
  });

  it('keeps the last N recorded events when pruning, however far numbering jumped', async () => {
    const envelope = (seq: number) => JSON.stringify({ type: 'event', event_id: `e${seq}`, event_type: 'order.updated', timestamp: new Date(0).toISOString(), data: {}, seq });
    const seqs = [1, 2, 3, 4, 100_005, 100_006];
    await recordPublished(db.store, [], seqs.map((seq) => ({ envelope: envelope(seq), seq })));
    await prunePublished(db.store, 4);
    expect((await recentPublished(db.store, 100)).map((r) => r.seq)).toEqual([3, 4, 100_005, 100_006]);
  });
});
