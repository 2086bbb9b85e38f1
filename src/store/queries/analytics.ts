/**
 * The analytics figures of a period, computed from the tables (orders, order_items and
 * order_status_reached, the orders' status histories as rows: migration 008), by the local day of the market the data belongs to. They are
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
import { STATUS_REACHED, tableOf } from '../schema.js';
import type { Queryable } from '../store.js';

const ORDERS = tableOf('orders');
const ITEMS = tableOf('order_items');
/** Late deliveries are looked for among orders placed this long before a period (none takes longer). */
const LIFETIME_DAYS = 120;
const TOP_PRODUCTS = 5;
/** The statuses order_status_reached holds (migration 008); pending is counted from the orders placed. */
const REACHED_STATUSES = ['shipped', 'delivered', 'failed', 'cancelled'] as const;

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
}

interface PeriodRows {
  /** Orders placed per local day: revenue, and the counts per region and pattern (regions[i], patterns[i]: counts[i]). */
  placed: Array<{ day: string; cents: string; regions: string[]; patterns: string[]; counts: number[] }>;
  /** Each day's top products (day set), and every product's units over the whole period (day null). */
  units: Array<{ day: string | null; product_id: string; product_name: string; units: number }>;
  reached: Array<{ day: string; shipped: number; delivered: number; failed: number; cancelled: number }>;
  delayed: Array<{ day: string; n: number }>;
}

/**
 * The rows behind a period's figures, per local day; the period's figures are the days'
 * sums (the days partition the period), except its top products, which come ranked from the
 * database as well. One set of queries serves a range's days and its total alike (a range
 * used to run them twice). They are independent, so they go out together (a server runs
 * them side by side).
 */
async function periodRows(db: Queryable, q: PeriodQuery): Promise<PeriodRows> {
  const startMs = Date.parse(`${q.from}T00:00:00Z`) - q.offsetMinutes * 60_000;
  const endMs = Date.parse(`${q.to}T00:00:00Z`) + 86_400_000 - q.offsetMinutes * 60_000;
  const start = new Date(startMs).toISOString();
  const end = new Date(endMs).toISOString();
  const earliest = new Date(startMs - LIFETIME_DAYS * 86_400_000).toISOString();
  const offset = `make_interval(mins => ${Math.trunc(q.offsetMinutes)})`;
  // A date groups faster than its text; the text is made once per group.
  const dayOf = (column: string) => `(((${column}) AT TIME ZONE 'UTC') + ${offset})::date`;

  const [placed, units, reached, delayed] = await Promise.all([
    // One scan for the orders, revenue, regions and patterns (three cost PGlite twice as much), and
    // one row per day: on PGlite each row returned costs about as much as grouping ten (a year by
    // day, region and pattern is 4,700 rows; as arrays per day it took 30% less time).
    db.query<PeriodRows['placed'][number]>(
      `SELECT day::text AS day, (sum(amount) * 100)::bigint::text AS cents, array_agg(region) AS regions, array_agg(pattern) AS patterns, array_agg(n) AS counts
         FROM (SELECT ${dayOf('order_date')} AS day, region, pattern_type AS pattern, count(*)::int AS n, sum(total_amount) AS amount
                 FROM ${ORDERS} WHERE order_date >= $1 AND order_date < $2 GROUP BY 1, 2, 3) g
        GROUP BY day`,
      [start, end],
    ),
    // Grouping by the name too lets the database hash rather than sort the lines (a year: 46,000);
    // the second step takes each product's least name per day as before. Only each day's top
    // products leave the database: sending every product of every day (a year: 18,000 rows)
    // cost more than ranking them there. Ties go to the lower product id, as in JS (ids are ASCII).
    db.query<PeriodRows['units'][number]>(
      `WITH lines AS (
         SELECT ${dayOf('o.order_date')} AS day, i.product_id, i.product_name, sum(i.quantity)::int AS units
           FROM ${ITEMS} i JOIN ${ORDERS} o ON o.order_id = i.order_id
          WHERE o.order_date >= $1 AND o.order_date < $2 GROUP BY 1, 2, 3),
       per_day AS (SELECT day, product_id, min(product_name) AS product_name, sum(units)::int AS units FROM lines GROUP BY 1, 2)
       SELECT day::text AS day, product_id, product_name, units
         FROM (SELECT *, row_number() OVER (PARTITION BY day ORDER BY units DESC, product_id COLLATE "C") AS rank FROM per_day) ranked
        WHERE rank <= ${TOP_PRODUCTS}
       UNION ALL
       SELECT NULL, product_id, min(product_name), sum(units)::int FROM per_day GROUP BY 2`,
      [start, end],
    ),
    // Kept per history entry by triggers on orders (migration 008), so no history is parsed here.
    db.query<PeriodRows['reached'][number]>(
      `SELECT ${dayOf('reached_at')}::text AS day, ${REACHED_STATUSES.map((st) => `count(*) FILTER (WHERE status = '${st}')::int AS ${st}`).join(', ')}
         FROM ${STATUS_REACHED} WHERE reached_at >= $1 AND reached_at < $2 GROUP BY ${dayOf('reached_at')}`,
      [start, end],
    ),
    db.query<PeriodRows['delayed'][number]>(
      `SELECT ${dayOf('delivered_at')}::text AS day, count(*)::int AS n FROM ${ORDERS}
        WHERE order_date >= $3 AND order_date < $2 AND delivered_at >= $1 AND delivered_at < $2 AND status = 'delivered' AND delivered_at > expected_delivery
        GROUP BY ${dayOf('delivered_at')}`,
      [start, end, earliest],
    ),
  ]);
  return { placed: placed.rows, units: units.rows, reached: reached.rows, delayed: delayed.rows };
}

const byUnits = (a: { units: number; product_id: string }, b: { units: number; product_id: string }) =>
  b.units - a.units || (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0);

/** The figures of the rows' days (key: the day), or of the whole period (key: `whole`). */
function assemble(rows: PeriodRows, currency: string, whole: string | null): Map<string, Figures> {
  const out = new Map<string, Figures>();
  const cents = new Map<string, number>();
  const figures = (day: string) => {
    const key = whole ?? day;
    let f = out.get(key);
    if (!f) out.set(key, (f = emptyFigures(currency)));
    return f;
  };
  for (const r of rows.placed) {
    const f = figures(r.day);
    const key = whole ?? r.day;
    // Cents are whole numbers, so the sums are exact; revenue and the average come from them once.
    cents.set(key, (cents.get(key) ?? 0) + Number(r.cents));
    const patterns = f.by_pattern as Record<string, number>;
    r.counts.forEach((n, i) => {
      f.orders += n;
      f.by_region[r.regions[i]] = (f.by_region[r.regions[i]] ?? 0) + n;
      patterns[r.patterns[i]] = (patterns[r.patterns[i]] ?? 0) + n;
    });
  }
  for (const [key, c] of cents) {
    const f = out.get(key)!;
    f.by_status.pending = f.orders;
    f.revenue = c / 100;
    f.average_order_value = f.orders ? Math.round(c / f.orders) / 100 : 0;
  }
  const top = new Map<string, PeriodRows['units']>();
  for (const r of rows.units) {
    if ((r.day === null) !== (whole !== null)) continue;
    const key = whole ?? r.day!;
    const list = top.get(key);
    if (list) list.push(r);
    else top.set(key, [r]);
  }
  for (const [key, list] of top) {
    list.sort(byUnits);
    figures(key).top_products = list.slice(0, TOP_PRODUCTS).map((r) => ({ product_id: r.product_id, product_name: r.product_name, units: r.units }));
  }
  for (const r of rows.reached) {
    const f = figures(r.day);
    for (const st of REACHED_STATUSES) f.by_status[st] += r[st];
  }
  for (const r of rows.delayed) figures(r.day).delayed += r.n;
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
export async function figuresOf(db: Queryable, q: PeriodQuery): Promise<Figures> {
  return assemble(await periodRows(db, q), q.currency, q.from).get(q.from) ?? emptyFigures(q.currency);
}

/** Every day of the period and the period as a whole, from one set of queries. */
export async function rangeFigures(db: Queryable, q: PeriodQuery): Promise<{ days: Array<Figures & { date: string }>; total: Figures }> {
  const rows = await periodRows(db, q);
  const byDay = assemble(rows, q.currency, null);
  return {
    days: datesBetween(q.from, q.to).map((date) => ({ date, ...(byDay.get(date) ?? emptyFigures(q.currency)) })),
    total: assemble(rows, q.currency, q.from).get(q.from) ?? emptyFigures(q.currency),
  };
}
