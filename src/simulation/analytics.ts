/**
 * The `analytics` channel, in both speeds: at each local midnight the day's summary, at
 * each month's end its report. What they count, per local day:
 *
 *  - orders, revenue (their total_amount), average order value, by region and by pattern,
 *    and the top products by units: the orders placed that day;
 *  - by_status: how many orders reached each status that day (pending = placed);
 *  - delayed: orders delivered that day after the delivery date they were promised.
 *
 * Shipments, deliveries and failures are counted ahead, by day, from each order's final
 * plan (a batch run never schedules them one by one); the engine takes back what an order
 * the API takes over would have done.
 */
import { PATTERN_NAMES } from '../domain/entities.js';
import type { EventData } from '../domain/events.js';
import type { TimedEvent } from './order-events.js';
import { DAY_MS, MINUTE_MS } from './time.js';
import type { World } from './world.js';

type Emit = (e: TimedEvent) => void;

/** What an order's final plan will do on some later day (counted ahead). */
export const AHEAD = ['shipped', 'delivered', 'failed', 'delayed'] as const;
export type Ahead = (typeof AHEAD)[number];

const TOP_PRODUCTS = 5;

class Period {
  orders = 0;
  revenueCents = 0;
  readonly counts: Record<'shipped' | 'delivered' | 'failed' | 'delayed' | 'cancelled', number> = { shipped: 0, delivered: 0, failed: 0, delayed: 0, cancelled: 0 };
  readonly byRegion: Int32Array;
  readonly byPattern = new Int32Array(PATTERN_NAMES.length);
  readonly units: Float64Array;
  constructor(regions: number, products: number) {
    this.byRegion = new Int32Array(regions);
    this.units = new Float64Array(products);
  }
}

export class Analytics {
  private readonly regions: readonly string[];
  private day: Period;
  private month: Period;
  /** Counts ahead, by local day number and kind. */
  private readonly ahead = new Map<number, Int32Array>();

  constructor(private readonly world: World) {
    this.regions = world.regionNames;
    this.day = this.period();
    this.month = this.period();
  }

  private period(): Period {
    return new Period(this.regions.length, this.world.dims.products.length);
  }

  private dayNumber(t: number): number {
    return Math.floor((t + this.world.offset * MINUTE_MS) / DAY_MS);
  }

  orderPlaced(totalCents: number, region: number, pattern: number, products: ArrayLike<number>, quantities: ArrayLike<number>): void {
    for (const p of [this.day, this.month]) {
      p.orders++;
      p.revenueCents += totalCents;
      p.byRegion[region]++;
      p.byPattern[pattern]++;
      for (let k = 0; k < products.length; k++) p.units[products[k]] += quantities[k];
    }
  }

  orderCancelled(): void {
    this.day.counts.cancelled++;
    this.month.counts.cancelled++;
  }

  /** Something an order's final plan does at `at`; `n` = −1 takes it back. */
  countAhead(kind: Ahead, at: number, n = 1): void {
    const day = this.dayNumber(at);
    let counts = this.ahead.get(day);
    if (!counts) this.ahead.set(day, (counts = new Int32Array(AHEAD.length)));
    counts[AHEAD.indexOf(kind)] += n;
  }

  /** At local midnight `t`: the ended day's summary, and at a month's end its report. */
  daily(t: number, endedDate: string, startedDate: string, emit: Emit): void {
    const ended = this.dayNumber(t - 1);
    const counts = this.ahead.get(ended);
    this.ahead.delete(ended);
    if (counts)
      AHEAD.forEach((kind, k) => {
        this.day.counts[kind] += counts[k];
        this.month.counts[kind] += counts[k];
      });
    emit({ t, type: 'analytics.daily_summary', data: { date: endedDate, ...this.figures(this.day) } });
    this.day = this.period();
    if (endedDate.slice(0, 7) !== startedDate.slice(0, 7)) {
      emit({ t, type: 'analytics.monthly_report', data: { month: endedDate.slice(0, 7), ...this.figures(this.month) } });
      this.month = this.period();
    }
  }

  private figures(p: Period): Omit<EventData<'analytics.daily_summary'>, 'date'> {
    const products = this.world.dims.products;
    const top = [...p.units.entries()]
      .filter(([, units]) => units > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, TOP_PRODUCTS)
      .map(([i, units]) => ({ product_id: products[i].product_id, product_name: products[i].name, units }));
    const byRegion: Record<string, number> = {};
    this.regions.forEach((r, k) => {
      if (p.byRegion[k]) byRegion[r] = p.byRegion[k];
    });
    const byPattern = Object.fromEntries(PATTERN_NAMES.map((name, k) => [name, p.byPattern[k]])) as Record<(typeof PATTERN_NAMES)[number], number>;
    const c = p.counts;
    return {
      orders: p.orders,
      revenue: p.revenueCents / 100,
      currency: this.world.market.currency,
      average_order_value: p.orders ? Math.round(p.revenueCents / p.orders) / 100 : 0,
      delayed: c.delayed,
      by_status: { pending: p.orders, shipped: c.shipped, delivered: c.delivered, failed: c.failed, cancelled: c.cancelled },
      by_region: byRegion,
      by_pattern: byPattern,
      top_products: top,
    };
  }
}
