/**
 * The hub's record in the store across restarts (src/server/event-log.ts), on the embedded
 * database: history comes back, numbering goes on, and a seq is never issued twice — not even
 * after a crash that left issued seqs unrecorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import { EventHub } from '../../src/hub/hub.js';
import { EventLog } from '../../src/server/event-log.js';
import { prunePublished, readSeqReserved, recentPublished, recordPublished } from '../../src/store/outbox.js';
import { waitUntil } from '../helpers/server.js';
import { openTestStore, type TestStore } from '../helpers/store.js';

const update = (i: number) => ({ event_type: 'order.updated' as const, data: { ...EVENT_EXAMPLES['order.updated'], order_id: `ORD-${i}` } });

/** A server's hub and event log over the store, as a (re)start makes them. */
async function start(store: TestStore['store']) {
  const hub = new EventHub(1000);
  const log = new EventLog(store, hub, () => undefined);
  await log.restore();
  return { hub, log };
}

describe('the event log across restarts', () => {
  let db: TestStore | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('after a clean stop, numbering goes on exactly and the history comes back', async () => {
    db = (await openTestStore('pglite'))!;
    const first = await start(db.store);
    for (let i = 0; i < 5; i++) first.hub.publish(update(i));
    await first.log.close();
    const second = await start(db.store);
    expect(second.hub.history.since(0).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(second.hub.publish(update(5)).seq).toBe(6);
    await second.log.close();
  });

  it('after a crash, no seq the last run issued is issued again, recorded or not', async () => {
    db = (await openTestStore('pglite'))!;
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
    db = (await openTestStore('pglite'))!;
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

  it('keeps the last N recorded events when pruning, however far numbering jumped', async () => {
    db = (await openTestStore('pglite'))!;
    const envelope = (seq: number) => JSON.stringify({ type: 'event', event_id: `e${seq}`, event_type: 'order.updated', timestamp: new Date(0).toISOString(), data: {}, seq });
    const seqs = [1, 2, 3, 4, 100_005, 100_006];
    await recordPublished(db.store, [], seqs.map((seq) => ({ envelope: envelope(seq), seq })));
    await prunePublished(db.store, 4);
    expect((await recentPublished(db.store, 100)).map((r) => r.seq)).toEqual([3, 4, 100_005, 100_006]);
  });
});
