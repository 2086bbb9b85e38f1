/** The web client's order feed: newest first, latest status per order, capped, never older over newer. */
import { describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import type { SequencedEnvelope } from '../../src/domain/events.js';
import { OrderFeed, orderOf } from '../../web/src/lib/orders.js';

const order = (id: string, status: string, seq: number, type = 'order.updated'): SequencedEnvelope =>
  ({ type: 'event', event_id: `e-${seq}`, event_type: type, timestamp: '2025-03-03T09:14:05.120Z', seq, data: { ...EVENT_EXAMPLES['order.created'], order_id: id, status } }) as unknown as SequencedEnvelope;

describe('OrderFeed', () => {
  it('keeps each order at its latest status, newest order first', () => {
    const feed = new OrderFeed(10);
    expect(feed.apply([order('ORD-00000001', 'pending', 1, 'order.created'), order('ORD-00000002', 'pending', 2, 'order.created'), order('ORD-00000001', 'confirmed', 3)])).toBe(3);
    expect(feed.list().map((o) => [o.order_id, o.status])).toEqual([
      ['ORD-00000002', 'pending'],
      ['ORD-00000001', 'confirmed'],
    ]);
  });

  it('ignores an older event for an order it already has a newer one of', () => {
    const feed = new OrderFeed(10);
    feed.apply([order('ORD-00000001', 'shipped', 9)]);
    expect(feed.apply([order('ORD-00000001', 'confirmed', 4)])).toBe(0);
    expect(feed.list()[0].status).toBe('shipped');
  });

  it('keeps only the newest `cap` orders, whatever the rate', () => {
    const feed = new OrderFeed(200);
    const events = Array.from({ length: 5000 }, (_, i) => order(`ORD-${String(i).padStart(8, '0')}`, 'pending', i, 'order.created'));
    feed.apply(events);
    const list = feed.list();
    expect(list).toHaveLength(200);
    expect(list[0].order_id).toBe('ORD-00004999');
    expect(list[199].order_id).toBe('ORD-00004800');
  });

  it('puts orders from a REST page behind the live ones, without duplicates', () => {
    const feed = new OrderFeed(3);
    feed.apply([order('ORD-00000009', 'pending', 1, 'order.created')]);
    const rest = ['ORD-00000009', 'ORD-00000008', 'ORD-00000007', 'ORD-00000006'].map((id) => ({ ...orderOf(order(id, 'shipped', -1))!, seq: -1 }));
    feed.seed(rest);
    expect(feed.list().map((o) => [o.order_id, o.status])).toEqual([
      ['ORD-00000009', 'pending'],
      ['ORD-00000008', 'shipped'],
      ['ORD-00000007', 'shipped'],
    ]);
  });

  it('reads no order out of other events', () => {
    expect(orderOf({ ...order('ORD-00000001', 'pending', 1), event_type: 'stock.updated' } as SequencedEnvelope)).toBeNull();
  });
});
