/**
 * The analytics figures of a period, computed from the tables (orders, order_items and the
 * order_status_history view), by the local day of the market the data belongs to. They are
 * the same figures the simulation's analytics.daily_summary events carry (simulation/
 * analytics.ts), so a day's event and this query agree to the cent on a generated dataset:
 *
 *  - orders, revenue (Σ total_amount), average order value, by_region, by_pattern and the
 *    top products by units: the orders placed in the period;
 *  - by_status: the orders that reached each status in the period (pending: placed);
 *  - delayed: orders delivered in the period after their expected delivery.
 */
import { PATTERN_NAMES } from '../../domain/entities.js';
import type { PeriodFigures } from '../../domain/event-data.js';
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';

const ORDERS = tableOf('orders');
const ITEMS = tableOf('order_items');
/** Status changes are looked for among orders placed this long before a period (none takes longer). */
const LIFETIME_DAYS = 120;
const TOP_PRODUCTS = 5;

export type Figures = PeriodFigures;

const emptyFigures = (currency: string): Figures => ({
  orders: 0,
  revenue: 0,
  currency,
  average_order_value: 0,
  delayed: 0,
  by_status: { pending: 0, shipped: 0, delivered: 0, failed: 0, cancelled: 0 },
  by_region: {},
  by_pattern: Object.fromEntries(PATTERN_NAMES.map((p) => [p, 0])) as Figures['by_pattern'],
  top_products: [],
});

export interface PeriodQuery {
  /** First and last local date of the period (inclusive). */
  from: string;
  to: string;
  /** The market's offset from UTC, in minutes. */
  offsetMinutes: number;
  currency: string;
  /** 'day': one entry per local date; 'period': one for the whole period. */
  by: 'day' | 'period';
}

/**
 * The figures per local day of [from, to], or for the whole period (key: the period's first date).
 * The queries are independent, so they go out together (a server runs them side by side);
 * each groups by a date (cheap) rather than formatted text, and the top products are ranked
 * here rather than by a window function in the database (half the time on a year).
 */
export async function periodFigures(db: Queryable, q: PeriodQuery): Promise<Map<string, Figures>> {
  const startMs = Date.parse(`${q.from}T00:00:00Z`) - q.offsetMinutes * 60_000;
  const endMs = Date.parse(`${q.to}T00:00:00Z`) + 86_400_000 - q.offsetMinutes * 60_000;
  const start = new Date(startMs).toISOString();
  const end = new Date(endMs).toISOString();
  const earliest = new Date(startMs - LIFETIME_DAYS * 86_400_000).toISOString();
  const offset = `make_interval(mins => ${Math.trunc(q.offsetMinutes)})`;
  const dayOf = (column: string) => (q.by === 'day' ? `(((${column}) AT TIME ZONE 'UTC') + ${offset})::date::text` : `'${q.from}'`);
  const inPeriod = 'order_date >= $1 AND order_date < $2';

  const [placed, regions, patterns, units, reached, delayed] = await Promise.all([
    db.query<{ day: string; orders: number; cents: string }>(
      `SELECT ${dayOf('order_date')} AS day, count(*)::int AS orders, (sum(total_amount) * 100)::bigint::text AS cents FROM ${ORDERS} WHERE ${inPeriod} GROUP BY 1`,
      [start, end],
    ),
    db.query<{ day: string; key: string; n: number }>(`SELECT ${dayOf('order_date')} AS day, region AS key, count(*)::int AS n FROM ${ORDERS} WHERE ${inPeriod} GROUP BY 1, 2 ORDER BY 1, 2`, [start, end]),
    db.query<{ day: string; key: string; n: number }>(`SELECT ${dayOf('order_date')} AS day, pattern_type AS key, count(*)::int AS n FROM ${ORDERS} WHERE ${inPeriod} GROUP BY 1, 2`, [start, end]),
    db.query<{ day: string; product_id: string; product_name: string; units: number }>(
      `SELECT ${dayOf('o.order_date')} AS day, i.product_id, min(i.product_name) AS product_name, sum(i.quantity)::int AS units
         FROM ${ITEMS} i JOIN ${ORDERS} o ON o.order_id = i.order_id WHERE o.${inPeriod.replace(' AND ', ' AND o.')} GROUP BY 1, 2`,
      [start, end],
    ),
    // Status changes live in each order's history. Orders whose last change came before the
    // period (updated_at) or that were placed too long before it cannot have one in it.
    db.query<{ day: string; status: string; n: number }>(
      `SELECT ${dayOf("(h->>'at')::timestamptz")} AS day, h->>'status' AS status, count(*)::int AS n
         FROM ${ORDERS} o CROSS JOIN LATERAL json_array_elements(o.status_history) h
        WHERE o.order_date >= $3 AND o.order_date < $2 AND o.updated_at >= $1
          AND h->>'status' IN ('shipped', 'delivered', 'failed', 'cancelled')
          AND (h->>'at')::timestamptz >= $1 AND (h->>'at')::timestamptz < $2
        GROUP BY 1, 2`,
      [start, end, earliest],
    ),
    db.query<{ day: string; n: number }>(
      `SELECT ${dayOf('delivered_at')} AS day, count(*)::int AS n FROM ${ORDERS}
        WHERE order_date >= $3 AND order_date < $2 AND delivered_at >= $1 AND delivered_at < $2 AND status = 'delivered' AND delivered_at > expected_delivery
        GROUP BY 1`,
      [start, end, earliest],
    ),
  ]);

  const out = new Map<string, Figures>();
  const figures = (day: string) => {
    let f = out.get(day);
    if (!f) out.set(day, (f = emptyFigures(q.currency)));
    return f;
  };
  for (const r of placed.rows) {
    const f = figures(r.day);
    const cents = Number(r.cents);
    f.orders = r.orders;
    f.by_status.pending = r.orders;
    f.revenue = cents / 100;
    f.average_order_value = r.orders ? Math.round(cents / r.orders) / 100 : 0;
  }
  for (const r of regions.rows) figures(r.day).by_region[r.key] = r.n;
  for (const r of patterns.rows) (figures(r.day).by_pattern as Record<string, number>)[r.key] = r.n;
  const perDay = new Map<string, typeof units.rows>();
  for (const r of units.rows) {
    const list = perDay.get(r.day);
    if (list) list.push(r);
    else perDay.set(r.day, [r]);
  }
  for (const [day, list] of perDay) {
    list.sort((a, b) => b.units - a.units || (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0));
    figures(day).top_products = list.slice(0, TOP_PRODUCTS).map((r) => ({ product_id: r.product_id, product_name: r.product_name, units: r.units }));
  }
  for (const r of reached.rows) figures(r.day).by_status[r.status as 'shipped'] = r.n;
  for (const r of delayed.rows) figures(r.day).delayed = r.n;
  // Regions in name order, whichever order the rows came in (the events list them so).
  for (const f of out.values()) f.by_region = Object.fromEntries(Object.entries(f.by_region).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return out;
}

/** Days from `from` to `to` inclusive, as local dates. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The figures of one period, zeros where nothing happened. */
export async function figuresOf(db: Queryable, q: Omit<PeriodQuery, 'by'>): Promise<Figures> {
  return (await periodFigures(db, { ...q, by: 'period' })).get(q.from) ?? emptyFigures(q.currency);
}

/** The figures of every day of the period, zeros where nothing happened. */
export async function dailyFigures(db: Queryable, q: Omit<PeriodQuery, 'by'>): Promise<Array<Figures & { date: string }>> {
  const byDay = await periodFigures(db, { ...q, by: 'day' });
  return datesBetween(q.from, q.to).map((date) => ({ date, ...(byDay.get(date) ?? emptyFigures(q.currency)) }));
}
