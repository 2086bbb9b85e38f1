import { describe, expect, it } from 'vitest';
import { PATTERN_NAMES } from '../../src/domain/entities.js';
import { Sale } from '../../src/domain/events.js';
import { mergePatterns } from '../../src/domain/live.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { EventQueue } from '../../src/simulation/event-queue.js';
import { createLiveSimulation, saleView, type LiveEvent } from '../../src/simulation/live.js';
import { Rng } from '../../src/random/rng.js';

const START = Date.parse('2025-01-06T08:00:00Z');
const HOUR = 3_600_000;

function sim(opts: { seed?: number; rate?: number; market?: string; scenario?: string } = {}) {
  return createLiveSimulation({
    scenario: getScenario(opts.scenario ?? 'normal-ops'),
    marketId: opts.market ?? 'us-electronics',
    seed: opts.seed ?? 7,
    startMs: START,
    arrivals: { mode: 'rate', ratePerMinute: opts.rate ?? 60 },
  });
}

function byOrder(events: LiveEvent[]): Map<string, LiveEvent[]> {
  const m = new Map<string, LiveEvent[]>();
  for (const e of events) {
    if (!e.type.startsWith('order.')) continue;
    const id = e.data.order_id as string;
    m.set(id, [...(m.get(id) ?? []), e]);
  }
  return m;
}

describe('event queue', () => {
  it('pops in time order, ties in scheduling order', () => {
    const q = new EventQueue<number>();
    const rng = Rng.derive(1, 'q');
    const pushed: Array<[number, number]> = [];
    for (let i = 0; i < 20_000; i++) {
      const t = rng.int(0, 500);
      pushed.push([t, i]);
      q.push(t, i);
    }
    const popped: number[] = [];
    while (q.size) popped.push(q.pop()!);
    const expected = [...pushed].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    expect(popped).toEqual(expected);
  });
});

describe('live simulation', () => {
  const s = sim();
  const events = s.advanceTo(START + 12 * HOUR);
  const orders = byOrder(events);

  it('every order starts pending and moves pending → confirmed → processing → shipped, one event each, same order_id', () => {
    expect(orders.size).toBeGreaterThan(30_000);
    let shipped = 0;
    for (const [, evs] of orders) {
      const statuses = evs.map((e) => e.data.status);
      expect(statuses[0]).toBe('pending');
      expect(evs[0].type).toBe('order.created');
      const path = statuses.filter((st) => st !== 'cancelled');
      expect(['pending', 'confirmed', 'processing', 'shipped'].slice(0, path.length)).toEqual(path);
      for (let i = 1; i < evs.length; i++) expect(evs[i].t).toBeGreaterThan(evs[i - 1].t);
      if (statuses.at(-1) === 'cancelled') expect(evs.at(-1)!.type).toBe('order.cancelled');
      if (statuses.at(-1) === 'shipped') shipped++;
    }
    expect(shipped).toBe(s.stats.shipped);
    expect(s.stats.newOrders).toBe(orders.size);
    expect(s.stats.active).toBe(s.stats.newOrders - s.stats.shipped - s.stats.cancelled);
  });

  it('transition gaps fall inside spec 004 ranges with uniform means (10–30 s, 15–45 s, 20–60 s)', () => {
    const gaps: Record<string, number[]> = { confirmed: [], processing: [], shipped: [] };
    for (const [, evs] of orders) {
      if (evs.some((e) => e.data.status === 'cancelled')) continue;
      for (let i = 1; i < evs.length; i++) gaps[evs[i].data.status as string].push((evs[i].t - evs[i - 1].t) / 1000);
    }
    const ranges: Record<string, [number, number]> = { confirmed: [10, 30], processing: [15, 45], shipped: [20, 60] };
    for (const [status, [lo, hi]] of Object.entries(ranges)) {
      // Held orders (waiting for stock) may wait longer before processing; the rest stay in range.
      const inRange = gaps[status].filter((g) => g >= lo - 0.001 && g <= hi + 0.001);
      expect(inRange.length / gaps[status].length).toBeGreaterThan(status === 'processing' ? 0.98 : 0.9999);
      const mean = inRange.reduce((a, b) => a + b, 0) / inRange.length;
      expect(Math.abs(mean - (lo + hi) / 2)).toBeLessThan((hi - lo) * 0.02);
    }
  });

  it('arrivals follow the rate (Poisson: 60/min for 12 h within 1.5%)', () => {
    const expected = 60 * 60 * 12;
    expect(Math.abs(s.stats.newOrders - expected) / expected).toBeLessThan(0.015);
  });

  it('order events carry spec 004 sale objects', () => {
    for (const evs of [...orders.values()].slice(0, 2000)) for (const e of evs) Sale.strict().parse(saleView(e.data));
  });

  it('stock never goes negative and every stock.updated continues the product\'s previous level', () => {
    const level = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'stock.updated') continue;
      const id = e.data.product_id as string;
      const prev = e.data.previous_stock as number;
      const cur = e.data.current_stock as number;
      if (level.has(id)) expect(prev).toBe(level.get(id));
      expect(cur).toBeGreaterThanOrEqual(0);
      level.set(id, cur);
    }
    expect(level.size).toBeGreaterThan(5);
  });

  it('low stock raises spec 003 alerts with their fields, and replenishment follows each reorder', () => {
    const low = events.filter((e) => e.type === 'alert.low_stock');
    const reorders = events.filter((e) => e.type === 'alert.reorder_needed');
    const replenished = events.filter((e) => e.type === 'stock.replenished');
    expect(low.length).toBeGreaterThan(0);
    for (const e of low) {
      expect(Array.isArray(e.data.affected_products)).toBe(true);
      expect(['warning', 'critical']).toContain(e.data.alert_level);
    }
    for (const e of reorders) expect(e.data.recommended_quantity).toBeGreaterThan(0);
    expect(replenished.length).toBeGreaterThan(0);
    expect(reorders.length - replenished.length).toBeLessThanOrEqual(new Set(reorders.map((e) => e.data.product_id)).size);
    for (const e of events.filter((x) => x.type === 'alert.stockout_risk')) expect(e.data.days_until_stockout).toBeLessThanOrEqual(0.25);
  });

  it('dead stock: a product unsold for a day is flagged with days_since_sale and value', () => {
    // egypt-coffee has 200 products and a long Zipf tail: some sell nothing for a day at a low rate.
    const quiet = sim({ market: 'egypt-coffee', rate: 0.3 });
    const evs = quiet.advanceTo(START + 30 * HOUR);
    const dead = evs.filter((e) => e.type === 'alert.dead_stock');
    expect(dead.length).toBeGreaterThan(0);
    for (const e of dead) {
      expect(e.data.days_since_sale).toBeGreaterThanOrEqual(1);
      expect(e.data.value).toBeGreaterThan(0);
    }
  });

  it('is deterministic: same seed and start, same events; another seed differs', () => {
    const a = JSON.stringify(sim({ seed: 3 }).advanceTo(START + HOUR));
    const b = JSON.stringify(sim({ seed: 3 }).advanceTo(START + HOUR));
    const c = JSON.stringify(sim({ seed: 4 }).advanceTo(START + HOUR));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('advancing in small steps gives the same events as one big step', () => {
    const whole = sim({ seed: 5 }).advanceTo(START + HOUR);
    const stepped = sim({ seed: 5 });
    const parts: LiveEvent[] = [];
    for (let t = START; t <= START + HOUR; t += 777) parts.push(...stepped.advanceTo(t));
    parts.push(...stepped.advanceTo(START + HOUR));
    expect(JSON.stringify(parts)).toBe(JSON.stringify(whole));
  });
});

describe('live settings', () => {
  for (const [pattern, share] of [['rush_orders', 0.3], ['bulk_orders', 0.4], ['delayed_orders', 0.2]] as const) {
    it(`spec 000 scenario: ${pattern} at ${share} in one change, measured over 20k orders (±1.5 pp)`, () => {
      const s = sim({ rate: 600 });
      s.advanceTo(START + 60_000);
      s.update({ patterns: { [pattern]: share } });
      const from = START + 60_000;
      const evs = s.advanceTo(from + 35 * 60_000).filter((e) => e.type === 'order.created' && e.t > from);
      expect(evs.length).toBeGreaterThan(20_000);
      const observed = evs.filter((e) => e.data.pattern_type === pattern).length / evs.length;
      expect(Math.abs(observed - share)).toBeLessThan(0.015);
    });
  }

  it('rescales the patterns not named and keeps their proportions', () => {
    const base = { rush_orders: 0.1, bulk_orders: 0.15, regular_orders: 0.6, premium_orders: 0.1, delayed_orders: 0.05 };
    const next = mergePatterns(base, { rush_orders: 0.3 });
    expect(next.rush_orders).toBe(0.3);
    expect(PATTERN_NAMES.reduce((s, p) => s + next[p], 0)).toBeCloseTo(1, 9);
    expect(next.regular_orders / next.bulk_orders).toBeCloseTo(0.6 / 0.15, 9);
    expect(() => mergePatterns(base, { rush_orders: 0.8, bulk_orders: 0.5 })).toThrow(/more than 1/);
  });

  it('a rate change takes effect at once', () => {
    const s = sim({ rate: 10 });
    s.advanceTo(START + 10 * 60_000);
    const before = s.stats.newOrders;
    s.update({ ratePerMinute: 1000 });
    s.advanceTo(START + 20 * 60_000);
    const after = s.stats.newOrders - before;
    expect(after).toBeGreaterThan(9000);
    expect(after).toBeLessThan(11000);
  });

  it('delay mode (spec 004 --min-delay/--max-delay) spaces new orders within the bounds', () => {
    const s = sim();
    s.update({ delaySeconds: [2, 4] });
    const created = s.advanceTo(START + 2 * HOUR).filter((e) => e.type === 'order.created');
    const gaps = created.slice(2).map((e, i) => (e.t - created[i + 1].t) / 1000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeCloseTo(3, 1);
  });

  it('new lifecycle timings apply to the next transitions', () => {
    const s = sim({ rate: 120 });
    s.update({ lifecycle: { pendingToConfirmed: [1, 2] } });
    const orders = byOrder(s.advanceTo(START + HOUR));
    const gaps = [...orders.values()].filter((e) => e.length > 1 && e[1].data.status === 'confirmed').map((e) => (e[1].t - e[0].t) / 1000);
    expect(gaps.length).toBeGreaterThan(5000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1);
  });
});

describe('live forecasts and analytics (spec 003 channels)', () => {
  // Egypt is UTC+2: local midnight of 2025-02-01 is 2025-01-31T22:00Z.
  const start = Date.parse('2025-01-30T08:00:00Z');
  const s = createLiveSimulation({ scenario: getScenario('normal-ops'), marketId: 'egypt-coffee', seed: 11, startMs: start, arrivals: { mode: 'rate', ratePerMinute: 20 } });
  const events = s.advanceTo(start + 50 * HOUR);

  it('each category gets forecast.generated once, then hourly forecast.updated chaining old → new', () => {
    const byCategory = new Map<string, LiveEvent[]>();
    for (const e of events.filter((x) => x.type.startsWith('forecast.'))) byCategory.set(e.data.category as string, [...(byCategory.get(e.data.category as string) ?? []), e]);
    expect(byCategory.size).toBe(new Set(s.world.dims.products.map((p) => p.category)).size);
    for (const [, evs] of byCategory) {
      expect(evs[0].type).toBe('forecast.generated');
      expect(evs[0].data).toMatchObject({ horizon: '24h' });
      expect(evs.slice(1).every((e) => e.type === 'forecast.updated')).toBe(true);
      for (let i = 1; i < evs.length; i++) {
        expect(evs[i].t - evs[i - 1].t).toBe(HOUR);
        expect(evs[i].data.old_forecast).toBe(i === 1 ? evs[0].data.predicted_demand : evs[i - 1].data.new_forecast);
      }
    }
  });

  it('the daily summary at local midnight counts that day\'s orders and revenue', () => {
    const summaries = events.filter((e) => e.type === 'analytics.daily_summary');
    expect(summaries.map((e) => e.data.date)).toEqual(['2025-01-30', '2025-01-31']);
    const dayStart = Date.parse('2025-01-30T22:00:00Z');
    const dayEnd = Date.parse('2025-01-31T22:00:00Z');
    const created = events.filter((e) => e.type === 'order.created' && e.t >= dayStart && e.t < dayEnd);
    const full = summaries[1];
    expect(full.t).toBe(dayEnd);
    expect(full.data.orders).toBe(created.length);
    const revenue = created.reduce((sum, e) => sum + Math.round((e.data.total_amount as number) * 100), 0) / 100;
    expect(full.data.revenue).toBeCloseTo(revenue, 2);
    expect((full.data.top_products as unknown[]).length).toBe(5);
  });

  it('models report their accuracy daily, and a month boundary brings the monthly report', () => {
    const retrained = events.filter((e) => e.type === 'model.retrained');
    expect(retrained.length).toBeGreaterThan(0);
    // At a steady rate, one-hour-ahead errors are Poisson noise: the busiest category stays well under 25%.
    const best = Math.min(...retrained.map((e) => (e.data.metrics as { mape: number }).mape));
    expect(best).toBeLessThan(0.25);
    const monthly = events.filter((e) => e.type === 'analytics.monthly_report');
    expect(monthly).toHaveLength(1);
    expect(monthly[0].data.month).toBe('2025-01');
    expect(monthly[0].t).toBe(Date.parse('2025-01-31T22:00:00Z'));
  });
});

describe('live backorders (stock short of demand)', () => {
  // A rate ten times what the shelves were sized for, mostly bulk orders: many lines wait for stock.
  const s = sim({ market: 'egypt-coffee', rate: 30, seed: 21 });
  const events = [...s.advanceTo(START + 10 * 60_000)];
  s.update({ ratePerMinute: 300, patterns: { bulk_orders: 0.4 } });
  for (const e of s.advanceTo(START + 6 * HOUR)) events.push(e);
  const orders = byOrder(events);

  it('exercises backorders at all', () => {
    expect(events.filter((e) => e.type === 'stock.updated' && e.data.movement_type === 'backorder_filled').length).toBeGreaterThan(1000);
  });

  it('no transition comes before its minimum, even for orders held for stock', () => {
    const minimum: Record<string, number> = { confirmed: 10, processing: 15, shipped: 20 };
    let checked = 0;
    for (const [, evs] of orders) {
      for (let i = 1; i < evs.length; i++) {
        const status = evs[i].data.status as string;
        if (!(status in minimum)) continue;
        expect((evs[i].t - evs[i - 1].t) / 1000, `${evs[i].data.order_id} → ${status}`).toBeGreaterThanOrEqual(minimum[status] - 0.001);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });

  it('a cancelled order gives back every unit it took, including lines filled from a backorder', () => {
    const taken = new Map<string, number>();
    const returned = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'stock.updated' || !e.data.order_id) continue;
      const id = e.data.order_id as string;
      const delta = (e.data.current_stock as number) - (e.data.previous_stock as number);
      if (e.data.movement_type === 'return') returned.set(id, (returned.get(id) ?? 0) + delta);
      else taken.set(id, (taken.get(id) ?? 0) - delta);
    }
    let cancelledWithStock = 0;
    for (const [id, evs] of orders) {
      if (evs.at(-1)!.type !== 'order.cancelled') continue;
      expect(returned.get(id) ?? 0, id).toBe(taken.get(id) ?? 0);
      if ((taken.get(id) ?? 0) > 0) cancelledWithStock++;
    }
    expect(cancelledWithStock).toBeGreaterThan(10);
    expect(s.stats.backordered).toBeGreaterThanOrEqual(0);
    expect(s.stats.active).toBe(s.stats.newOrders - s.stats.shipped - s.stats.cancelled);
  });
});
