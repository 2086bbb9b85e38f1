/** The web client's order feed (newest first, latest status per order, capped, never older over newer) and its formatting. */
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import type { SequencedEnvelope } from '../../src/domain/events.js';
import { axisTimes, lastEvent, money, moneyShort, setMarket, time, wallClock } from '../../web/src/lib/format.js';
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

describe('formatting for the views', () => {
  afterAll(() => setMarket(null)); // module state shared with the other files of this worker

  it('labels chart time axes in the market time, 24-hour, like every other time', () => {
    setMarket({ id: 'egypt-coffee', label: 'Egypt', currency: 'EGP', utc_offset_minutes: 120 });
    const at = (iso: string) => Date.parse(iso) / 1000;
    expect(axisTimes([at('2026-11-29T15:26:00Z'), at('2026-11-29T15:27:00Z')], 60)).toEqual(['17:26', '17:27']);
    expect(axisTimes([at('2026-11-29T15:26:30Z')], 30)).toEqual(['17:26:30']);
    expect(time(at('2026-11-29T15:26:30Z') * 1000)).toBe('17:26:30 UTC+2'); // the same clock as the rest of the app
    // The market's midnight (22:00 UTC) is written as the day that begins.
    expect(axisTimes([at('2026-11-29T22:00:00Z')], 3600)).toEqual(['30 Nov']);
    // uPlot is given the market's wall clock in local fields, so its ticks fall on the market's whole minutes.
    const wall = wallClock(at('2026-11-29T15:26:30Z'));
    expect([wall.getHours(), wall.getMinutes(), wall.getSeconds()]).toEqual([17, 26, 30]);
    // Calendar days are labelled as the days they are, whatever the offset.
    setMarket({ id: 'us', label: 'US', currency: 'USD', utc_offset_minutes: -300 });
    expect(axisTimes([Date.parse('2026-11-16') / 1000], 86_400, true)).toEqual(['16 Nov']);
    expect(wallClock(Date.parse('2026-11-16') / 1000, true).getDate()).toBe(16);
  });

  it('shortens a card amount from a million on, never breaking inside the figure', () => {
    expect(moneyShort(28_696_311.13, 'EGP')).toBe('EGP 28.7M');
    expect(moneyShort(26_694.24, 'EGP')).toBe('EGP 26,694.24'); // exact below a million
    expect(moneyShort(26_694.24, 'EGP')).not.toContain('\u00a0'); // a narrow card wraps after "EGP", not in the number
    expect(money(28_696_311.13, 'EGP').replace(/\s/g, ' ')).toBe('EGP 28,696,311.13');
  });

  it("says the header's seq is the server's until the page has an event of its own", () => {
    expect(lastEvent({ lastSeq: 29158, lastEventAt: null })).toBe('no events yet (server at seq 29158)');
    expect(lastEvent({ lastSeq: -1, lastEventAt: null })).toBe('no events yet');
    const now = Date.now();
    expect(lastEvent({ lastSeq: 29160, lastEventAt: now - 500 }, now)).toBe('last event just now · seq 29160');
    expect(lastEvent({ lastSeq: 29160, lastEventAt: now - 5000 }, now)).toBe('last event 5 s ago · seq 29160');
  });
});
