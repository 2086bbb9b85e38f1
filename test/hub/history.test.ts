import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/hub/hub.js';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';

describe('event hub history', () => {
  it('replays everything after a seq, in order, while it is held', () => {
    const hub = new EventHub(100);
    for (let i = 0; i < 50; i++) hub.publish({ event_type: 'stock.updated', data: { ...EVENT_EXAMPLES['stock.updated'], product_id: `P${i}` } });
    const { events, gap } = hub.history.since(20);
    expect(gap).toBeNull();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 21 + i));
    expect(hub.history.since(50).events).toEqual([]);
  });

  it('reports a gap when the client asks for more than the ring holds', () => {
    const hub = new EventHub(10);
    for (let i = 0; i < 35; i++) hub.publish({ event_type: 'order.updated', data: { ...EVENT_EXAMPLES['order.updated'], order_id: `O${i}` } });
    const { events, gap } = hub.history.since(5);
    expect(gap).toEqual({ requestedSince: 5, oldestAvailable: 26, missed: 20 });
    expect(events.map((e) => e.seq)).toEqual([26, 27, 28, 29, 30, 31, 32, 33, 34, 35]);
    expect(JSON.parse(events[0].frame)).toMatchObject({ type: 'event', seq: 26, event_type: 'order.updated' });
  });

  it('counts as missed only events that existed: numbers skipped after a crash were never issued', () => {
    const hub = new EventHub(10);
    for (let i = 0; i < 5; i++) hub.publish({ event_type: 'order.updated', data: { ...EVENT_EXAMPLES['order.updated'], order_id: `O${i}` } });
    hub.skipTo(1000);
    for (let i = 0; i < 20; i++) hub.publish({ event_type: 'order.updated', data: { ...EVENT_EXAMPLES['order.updated'], order_id: `P${i}` } });
    // Held: 1011–1020. Missed after seq 3: 4 and 5, then 1001–1010.
    expect(hub.history.since(3).gap).toEqual({ requestedSince: 3, oldestAvailable: 1011, missed: 12 });
    expect(hub.history.since(500).gap).toEqual({ requestedSince: 500, oldestAvailable: 1011, missed: 10 });
  });

  it('counts events per channel and passes only local events to sinks', () => {
    const hub = new EventHub(10);
    const sunk: number[] = [];
    hub.addLocalSink((e) => sunk.push(e.seq));
    hub.publish({ event_type: 'alert.low_stock', data: EVENT_EXAMPLES['alert.low_stock'] });
    hub.deliver({ event_type: 'order.created', data: EVENT_EXAMPLES['order.created'] }, false);
    expect(sunk).toEqual([1]);
    expect(hub.published.alerts).toBe(1);
    expect(hub.published.orders).toBe(1);
  });
});
