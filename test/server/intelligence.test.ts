/**
 * The analytics, forecast and reorder endpoints against a generated dataset in a real
 * database, on both backends: the daily summaries the engine wrote reconcile with the orders
 * table to the cent, forecasts read back as written, and every bad query gets a 400 that
 * says what is allowed. The live-only endpoints (retrain, reorder) run against a live
 * simulation on the embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DailyAnswer, ForecastList, ForecastView, MAX_RANGE_DAYS, RangeAnswer, ReorderList, ReorderPlaced, RetrainAnswer } from '../../src/domain/intelligence-api.js';
import { getMarket } from '../../src/catalog/index.js';
import { tableOf } from '../../src/store/schema.js';
import { serviceMissing } from '../helpers/services.js';
import { inProcessServer, RecordingClient, waitUntil } from '../helpers/server.js';
import { postgresCheck, type BackendName } from '../helpers/store.js';
import { startBackend, type Backend } from './management-fixtures.js';

const pgMissing = await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck);
const BACKENDS: BackendName[] = pgMissing ? ['pglite'] : ['pglite', 'postgres'];
const MARKET = 'egypt-coffee';
const FROM = '2024-01-01';
const TO = '2024-02-19';

const json = (b: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

describe.each(BACKENDS)('analytics and forecasts over HTTP on %s', (backend) => {
  let b: Backend;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${b.server.url}${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const getJson = async <T = any>(path: string) => {
    const r = await get(path);
    return { status: r.status, body: JSON.parse(r.text) as T };
  };

  beforeAll(async () => {
    b = await startBackend(backend, { MOCK_DATA_ENABLED: 'true' });
    const res = await fetch(`${b.server.url}/api/mock-data/generate`, json({ scenario: 'normal-ops', config: { market: MARKET, startDate: FROM, endDate: TO, seed: 5, dryRun: false } }));
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    let status = '';
    await waitUntil(
      async () => {
        status = ((await (await fetch(`${b.server.url}/api/mock-data/status?jobId=${jobId}`)).json()) as { status: string }).status;
        return status === 'completed' || status === 'failed';
      },
      240_000,
      'the generation job',
    );
    expect(status).toBe('completed');
  }, 300_000);
  afterAll(() => b?.close());

  it('every daily summary the engine wrote equals GET /api/analytics/daily for that day, to the cent', async () => {
    const rows = (await b.db.query<{ date: string; summary: unknown }>(`SELECT d.date::text AS date, row_to_json(d)::jsonb AS summary FROM ${tableOf('daily_summaries')} d ORDER BY date`)).rows;
    expect(rows.length).toBe(50);
    for (const row of rows) {
      const { status, body } = await getJson(`/api/analytics/daily?date=${row.date}`);
      expect(status).toBe(200);
      const answer = DailyAnswer.parse(body);
      const stored = row.summary as Record<string, any>;
      expect(answer.orders, row.date).toBe(stored.orders);
      expect(Math.round(answer.revenue * 100), row.date).toBe(Math.round(Number(stored.revenue) * 100));
      expect(answer.by_status, row.date).toEqual({ pending: stored.pending, shipped: stored.shipped, delivered: stored.delivered, failed: stored.failed, cancelled: stored.cancelled });
      expect(answer.by_pattern, row.date).toEqual(stored.by_pattern);
      expect(answer.by_region, row.date).toEqual(stored.by_region);
      expect(answer.top_products, row.date).toEqual(stored.top_products);
      expect(answer.delayed, row.date).toBe(stored.delayed);
    }
    // and the revenue is the orders table's own sum over the market's local day
    const offset = getMarket(MARKET).utcOffsetMinutes;
    const sums = await b.db.query<{ day: string; cents: string }>(
      `SELECT to_char((order_date AT TIME ZONE 'UTC') + make_interval(mins => ${offset}), 'YYYY-MM-DD') AS day, (sum(total_amount) * 100)::bigint::text AS cents FROM ${tableOf('orders')} GROUP BY 1`,
    );
    const byDay = new Map(sums.rows.map((r) => [r.day, Number(r.cents)]));
    for (const row of rows) expect(Math.round(Number((row.summary as { revenue: number }).revenue) * 100), row.date).toBe(byDay.get(row.date) ?? 0);
  });

  it('a range is its days and their total; a month is the range of its days; CSV on request', async () => {
    const range = RangeAnswer.parse((await getJson('/api/analytics/range?from=2024-01-01&to=2024-01-31')).body);
    expect(range.days).toHaveLength(31);
    expect(range.market).toBe(MARKET);
    expect(range.total.orders).toBe(range.days.reduce((n, d) => n + d.orders, 0));
    expect(Math.round(range.total.revenue * 100)).toBe(range.days.reduce((n, d) => n + Math.round(d.revenue * 100), 0));
    const { month: _, ...month } = (await getJson('/api/analytics/monthly?month=2024-01')).body;
    // One set of queries answers a range's days and its total: the total is what the month answers,
    // each day what the day answers, and the counts add up.
    expect(range.total).toEqual(month);
    const sum = (pick: (d: (typeof range.days)[number]) => Record<string, number>) => {
      const out: Record<string, number> = {};
      for (const d of range.days) for (const [k, n] of Object.entries(pick(d))) out[k] = (out[k] ?? 0) + n;
      return out;
    };
    expect(range.total.by_status).toEqual(sum((d) => d.by_status));
    expect(range.total.by_pattern).toEqual(sum((d) => d.by_pattern));
    expect(range.total.by_region).toEqual(sum((d) => d.by_region));
    expect(range.total.delayed).toBe(range.days.reduce((n, d) => n + d.delayed, 0));
    // and the month's top products are the order lines' own sums
    const offset = getMarket(MARKET).utcOffsetMinutes;
    const top = await b.db.query<{ product_id: string; product_name: string; units: number }>(
      `SELECT i.product_id, min(i.product_name) AS product_name, sum(i.quantity)::int AS units FROM ${tableOf('order_items')} i JOIN ${tableOf('orders')} o USING (order_id)
        WHERE to_char((o.order_date AT TIME ZONE 'UTC') + make_interval(mins => ${offset}), 'YYYY-MM') = '2024-01' GROUP BY 1 ORDER BY 3 DESC, i.product_id COLLATE "C" LIMIT 5`,
    );
    expect(range.total.top_products).toEqual(top.rows);
    for (const { date, ...figures } of range.days) {
      const { date: asked, ...daily } = (await getJson(`/api/analytics/daily?date=${date}`)).body;
      expect(asked).toBe(date);
      expect(figures, date).toEqual(daily);
    }

    const csv = await get('/api/analytics/range?from=2024-01-01&to=2024-01-31', { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['date', 'orders', 'revenue']);
    expect(lines).toHaveLength(32);
    expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(range.days.map((d) => d.orders));
  });

  it('a status moved through the API counts on the day it moved, in the day, the month and a range', async () => {
    const offset = getMarket(MARKET).utcOffsetMinutes;
    const { rows } = await b.db.query<{ order_id: string }>(`SELECT order_id FROM ${tableOf('orders')} WHERE status IN ('pending', 'confirmed', 'processing') ORDER BY order_id LIMIT 1`);
    expect(rows).toHaveLength(1);
    const res = await fetch(`${b.server.url}/api/orders/${rows[0].order_id}/status`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'cancelled' }) });
    expect(res.status).toBe(200);
    const { rows: moved } = await b.db.query<{ at: string }>(`SELECT status_history->-1->>'at' AS at FROM ${tableOf('orders')} WHERE order_id = $1`, [rows[0].order_id]);
    const day = new Date(Date.parse(moved[0].at) + offset * 60_000).toISOString().slice(0, 10);
    // The day's cancellations as the orders' own histories tell them (the move among them)
    const { rows: told } = await b.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${tableOf('orders')} o, json_array_elements(o.status_history) h
        WHERE h->>'status' = 'cancelled' AND to_char(((h->>'at')::timestamptz AT TIME ZONE 'UTC') + make_interval(mins => ${offset}), 'YYYY-MM-DD') = $1`,
      [day],
    );
    expect(told[0].n).toBeGreaterThanOrEqual(1);
    const daily = (await getJson(`/api/analytics/daily?date=${day}`)).body;
    expect(daily.by_status.cancelled).toBe(told[0].n);
    const range = RangeAnswer.parse((await getJson(`/api/analytics/range?from=${day}&to=${day}`)).body);
    expect(range.days[0].by_status).toEqual(daily.by_status);
    expect(range.total.by_status).toEqual(daily.by_status);
    expect((await getJson(`/api/analytics/monthly?month=${day.slice(0, 7)}`)).body.by_status.cancelled).toBeGreaterThanOrEqual(told[0].n);
  });

  it('refuses every bad analytics query with a 400 that says what is allowed', async () => {
    for (const [path, says] of [
      ['/api/analytics/daily?date=2024-02-30', /real calendar date/],
      ['/api/analytics/daily?date=yesterday', /YYYY-MM-DD/],
      ['/api/analytics/daily', /querystring\.date: date is required: a day written YYYY-MM-DD/],
      ['/api/analytics/range?from=2024-01-01', /querystring\.to: to is required/],
      ['/api/analytics/daily?date=2024-01-01&extra=1', /extra/],
      ['/api/analytics/monthly?month=2024-13', /YYYY-MM/],
      ['/api/analytics/range?from=2024-02-01&to=2024-01-01', /before from/],
      ['/api/analytics/range?from=2020-01-01&to=2024-01-01', new RegExp(`at most ${MAX_RANGE_DAYS} days`)],
      ['/api/forecasts/view?product_id=PROD-99999', /unknown product PROD-99999/],
      ['/api/forecasts/view?product_id=banana', /PROD-001/],
      ['/api/forecasts/view?category=Nope', /unknown category Nope; the categories are: /],
      ['/api/forecasts/view', /one of category or product_id/],
      ['/api/forecasts/view?category=x&days=5000', /days/],
    ] as const) {
      const { status, body } = await getJson<{ error: string; message: string }>(path);
      expect(status, path).toBe(400);
      expect(body.message, path).toMatch(says);
    }
  });

  it('forecasts read back per category: history, day-ahead forecasts with intervals, and the latest horizon', async () => {
    const list = ForecastList.parse((await getJson('/api/forecasts')).body);
    expect(list.categories.length).toBeGreaterThan(2);
    const withForecast = list.categories.filter((c) => c.predicted_demand);
    expect(withForecast.length).toBe(list.categories.length);
    const { category } = withForecast[0];
    const view = ForecastView.parse((await getJson(`/api/forecasts/view?category=${encodeURIComponent(category)}&days=60`)).body);
    expect(view.actual.length).toBeGreaterThan(40);
    // the planner starts after 28 days of sales: day-ahead forecasts cover the rest
    expect(view.day_ahead.length).toBeGreaterThan(10);
    expect(view.forecast.length).toBeGreaterThan(0);
    for (const d of [...view.day_ahead, ...view.forecast]) {
      expect(d.lower).toBeLessThanOrEqual(d.demand);
      expect(d.upper).toBeGreaterThanOrEqual(d.demand);
    }
    const product = (await b.db.query<{ product_id: string }>(`SELECT product_id FROM ${tableOf('products')} ORDER BY product_id LIMIT 1`)).rows[0].product_id;
    const one = ForecastView.parse((await getJson(`/api/forecasts/view?product_id=${product}`)).body);
    expect(one.product_id).toBe(product);
    expect(one.product_name).toBeTruthy();
  });

  it('answers 409 for retraining and reorders without a live simulation', async () => {
    expect((await fetch(`${b.server.url}/api/forecasts/retrain`, { method: 'POST' })).status).toBe(409);
    expect((await fetch(`${b.server.url}/api/inventory/reorders`)).status).toBe(409);
  });
});

describe('retraining and reorders on a live simulation', () => {
  let server: Awaited<ReturnType<typeof inProcessServer>>;
  beforeAll(async () => {
    // A fast clock so that the planner has its 28 days of history within the test (10 simulated days a second;
    // the engine may create up to 20,000 orders a second here, the default 1,000 would pace it to 28 days in 20 s).
    // 360 orders a simulated day (0.25 a minute; it was 720): still some 40 a day per category (nine) for the planner to fit.
    server = await inProcessServer({ SIMULATION_ENABLED: 'true', SIMULATION_SPEED: '864000', SIMULATION_RATE: '0.25', SIMULATION_MAX_ORDERS_PER_SECOND: '20000' });
  }, 120_000);
  afterAll(() => server?.close());
  const post = (path: string, b?: unknown) => fetch(`${server.url}${path}`, b === undefined ? { method: 'POST' } : json(b));

  it('retrains on request once the planner has history: model.retrained on the forecasts channel with MAPE beside the baseline', async () => {
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=forecasts`);
    await client.opened;
    let res = await post('/api/forecasts/retrain');
    if (res.status === 409) {
      expect(((await res.json()) as { error: string }).error).toBe('not_enough_history');
      await client.waitFor((c) => c.events().some((e) => e.event_type === 'forecast.updated'), 240_000);
      res = await post('/api/forecasts/retrain');
    }
    expect(res.status).toBe(200);
    const answer = RetrainAnswer.parse(await res.json());
    expect(answer.retrained.length).toBeGreaterThan(0);
    const byRequest = (e: { event_type?: string; data?: Record<string, unknown> }) => e.event_type === 'model.retrained' && e.data?.reason === 'request';
    await client.waitFor((c) => c.events().some(byRequest));
    const retrained = client.events().find(byRequest)!.data!;
    expect(answer.retrained).toContain(retrained.category);
    expect(retrained).toMatchObject({ reason: 'request', method: 'holt_winters' });
    expect(retrained.metrics).toHaveProperty('mape');
    expect(retrained.metrics).toHaveProperty('baseline_mape');
    client.socket.close();
  });

  it('lists reorder advice most urgent first and places a purchase order by hand', async () => {
    // 10 simulated minutes a second from here: the purchase order (a lead time of a day or more) stays on order for minutes.
    // At 2 simulated days a second, as this ran before, it could arrive before the list was read again on a busy machine.
    await server.state.clock!.update({ speed: 600 });
    const list = ReorderList.parse(await (await fetch(`${server.url}/api/inventory/reorders`)).json());
    expect(list.items.length).toBeGreaterThan(10);
    const rank = { reorder: 0, on_order: 1, ok: 2 } as const;
    for (let i = 1; i < list.items.length; i++) expect(rank[list.items[i].status]).toBeGreaterThanOrEqual(rank[list.items[i - 1].status]);
    const pick = list.items.find((a) => a.status !== 'on_order')!;
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=stock`);
    await client.opened;
    const res = await post('/api/inventory/reorders', { product_id: pick.product_id, quantity: 25 });
    expect(res.status).toBe(200);
    const placed = ReorderPlaced.parse(await res.json());
    expect(placed.product_id).toBe(pick.product_id);
    await client.waitFor((c) => c.events().some((e) => e.event_type === 'stock.ordered' && e.data?.product_id === pick.product_id));
    const after = ReorderList.parse(await (await fetch(`${server.url}/api/inventory/reorders`)).json());
    expect(after.items.find((a) => a.product_id === pick.product_id)!.status).toBe('on_order');

    for (const [body, says] of [
      [{ product_id: 'PROD-99999', quantity: 5 }, /unknown product/],
      [{ product_id: pick.product_id, quantity: 0 }, /quantity/],
      [{ product_id: pick.product_id, quantity: 1e-320 }, /quantity/],
      [{ product_id: pick.product_id, quantity: 5, supplier: 'x' }, /supplier/],
    ] as const) {
      const r = await post('/api/inventory/reorders', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(((await r.json()) as { message: string }).message).toMatch(says);
    }
    client.socket.close();
  });
});
