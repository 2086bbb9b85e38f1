/**
 * Forecasts as the store holds them (the forecasts table: every forecast the demand planner
 * made or revised) beside what actually sold (order_items by the local day of their order).
 */
import type { ForecastDay } from '../../domain/event-data.js';
import type { ForecastView } from '../../domain/intelligence-api.js';
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';

const FORECASTS = tableOf('forecasts');
const PRODUCTS = tableOf('products');
const ORDERS = tableOf('orders');
const ITEMS = tableOf('order_items');

export async function storedCategories(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ category: string }>(`SELECT DISTINCT category FROM ${PRODUCTS} ORDER BY category`);
  return rows.map((r) => r.category);
}

export async function productCategory(db: Queryable, productId: string): Promise<{ category: string; name: string } | null> {
  const { rows } = await db.query<{ category: string; name: string }>(`SELECT category, name FROM ${PRODUCTS} WHERE product_id = $1`, [productId]);
  return rows[0] ?? null;
}

/** Each category's latest forecast: its expected units over the horizon and when it was made. */
export async function latestForecasts(db: Queryable): Promise<Map<string, { predicted_demand: number; made_at: string }>> {
  const { rows } = await db.query<{ category: string; predicted_demand: number; made_at: string }>(
    `SELECT DISTINCT ON (category) category, predicted_demand, made_at FROM ${FORECASTS} WHERE scope = 'category' ORDER BY category, made_at DESC, forecast_id DESC`,
  );
  return new Map(rows.map((r) => [r.category, { predicted_demand: r.predicted_demand, made_at: r.made_at }]));
}

export interface ViewQuery {
  category: string | null;
  productId: string | null;
  /** Days of history before the latest forecast's first day. */
  days: number;
  offsetMinutes: number;
}

export async function forecastView(db: Queryable, q: ViewQuery): Promise<ForecastView> {
  const product = q.productId ? await productCategory(db, q.productId) : null;
  const category = product?.category ?? q.category!;
  const scope = q.productId ? `scope = 'product' AND product_id = $1` : `scope = 'category' AND category = $1`;
  const key = q.productId ?? category;
  const latest = (
    await db.query<{ forecast_id: string; made_at: string; method: string; start_date: string; daily: ForecastDay[] }>(
      `SELECT forecast_id, made_at, method, start_date, daily FROM ${FORECASTS} WHERE ${scope} ORDER BY made_at DESC, forecast_id DESC LIMIT 1`,
      [key],
    )
  ).rows[0];
  // "Today": the latest forecast's first day, or the day after the last order.
  const lastOrder = (await db.query<{ at: string | null }>(`SELECT max(order_date) AS at FROM ${ORDERS}`)).rows[0]?.at;
  const localToday = (ms: number) => new Date(ms + q.offsetMinutes * 60_000).toISOString().slice(0, 10);
  const today = latest?.start_date ?? (lastOrder ? localToday(Date.parse(lastOrder) + 86_400_000) : localToday(Date.now()));
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - q.days * 86_400_000).toISOString().slice(0, 10);
  const startUtc = new Date(Date.parse(`${first}T00:00:00Z`) - q.offsetMinutes * 60_000).toISOString();
  const endUtc = new Date(Date.parse(`${today}T00:00:00Z`) - q.offsetMinutes * 60_000).toISOString();
  const localDay = `to_char((o.order_date AT TIME ZONE 'UTC') + make_interval(mins => ${Math.trunc(q.offsetMinutes)}), 'YYYY-MM-DD')`;
  const sold = await db.query<{ day: string; units: number }>(
    `SELECT ${localDay} AS day, sum(i.quantity)::float8 AS units FROM ${ITEMS} i JOIN ${ORDERS} o ON o.order_id = i.order_id
      ${q.productId ? 'WHERE i.product_id = $3' : `JOIN ${PRODUCTS} p ON p.product_id = i.product_id WHERE p.category = $3`}
        AND o.order_date >= $1 AND o.order_date < $2 GROUP BY 1`,
    [startUtc, endUtc, key],
  );
  const units = new Map(sold.rows.map((r) => [r.day, r.units]));
  const actual: ForecastView['actual'] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t < Date.parse(`${today}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    actual.push({ date, units: units.get(date) ?? 0 });
  }
  // Each day's forecast from the midnight before it: the first day of the last forecast made for it.
  const ahead = await db.query<{ start_date: string; first: ForecastDay }>(
    `SELECT DISTINCT ON (start_date) start_date, daily->0 AS first FROM ${FORECASTS}
      WHERE ${scope} AND start_date >= $2 AND start_date < $3 ORDER BY start_date, made_at DESC, forecast_id DESC`,
    [key, first, today],
  );
  return {
    category,
    product_id: q.productId,
    product_name: product?.name ?? null,
    actual,
    day_ahead: ahead.rows.map((r) => (typeof r.first === 'string' ? (JSON.parse(r.first) as ForecastDay) : r.first)),
    forecast: latest ? (typeof latest.daily === 'string' ? (JSON.parse(latest.daily) as ForecastDay[]) : latest.daily) : [],
    forecast_id: latest?.forecast_id ?? null,
    made_at: latest?.made_at ?? null,
    method: latest?.method ?? null,
  };
}
