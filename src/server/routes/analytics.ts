/**
 * The analytics over HTTP, computed from the store: a day, a month, a range of days. JSON,
 * or CSV with `Accept: text/csv` (one row per day, the nested figures as columns).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../domain/api.js';
import { DailyAnswer, DailyQuery, MonthlyAnswer, MonthlyQuery, RangeAnswer, RangeQuery } from '../../domain/intelligence-api.js';
import { PATTERN_NAMES } from '../../domain/entities.js';
import { getMarket } from '../../catalog/index.js';
import { figuresOf, rangeFigures, type Figures } from '../../store/queries/analytics.js';
import { readDatasetInfo } from '../../store/dataset-info.js';
import { readLiveState } from '../../store/live-writer.js';
import type { Queryable } from '../../store/store.js';
import { answer, dbGate } from '../db-breaker.js';
import type { ServerState } from '../state.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** Whose local days the data is counted by: the market it was generated for. */
export async function dataMarket(db: Queryable, state: ServerState): Promise<string> {
  return (await readDatasetInfo(db))?.market ?? (await readLiveState(db))?.market ?? state.marketId;
}

const wantsCsv = (request: FastifyRequest) => /\btext\/csv\b/.test(request.headers.accept ?? '');

const CSV_COLUMNS = [
  'date',
  'orders',
  'revenue',
  'currency',
  'average_order_value',
  'delayed',
  ...['pending', 'shipped', 'delivered', 'failed', 'cancelled'].map((s) => `status_${s}`),
  ...PATTERN_NAMES.map((p) => `pattern_${p}`),
  'by_region',
  'top_products',
] as const;

const cell = (v: unknown): string => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Days as CSV: fixed columns for the fixed sets (statuses, patterns); regions and top products as JSON cells. */
export function figuresCsv(rows: ReadonlyArray<Figures & { date: string }>): string {
  const lines = rows.map((f) =>
    [
      f.date,
      f.orders,
      f.revenue.toFixed(2),
      f.currency,
      f.average_order_value.toFixed(2),
      f.delayed,
      f.by_status.pending,
      f.by_status.shipped,
      f.by_status.delivered,
      f.by_status.failed,
      f.by_status.cancelled,
      ...PATTERN_NAMES.map((p) => f.by_pattern[p] ?? 0),
      f.by_region,
      f.top_products.map((t) => `${t.product_id}:${t.units}`).join(' '),
    ]
      .map(cell)
      .join(','),
  );
  return `${CSV_COLUMNS.join(',')}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

/** The JSON answer, or (Accept: text/csv) the rows as CSV, sent here: then nothing is returned. */
function send<T>(request: FastifyRequest, reply: FastifyReply, json: T, rows: ReadonlyArray<Figures & { date: string }>, name: string): T | undefined {
  if (!wantsCsv(request)) return json;
  void reply.type('text/csv; charset=utf-8').header('content-disposition', `inline; filename="${name}.csv"`).send(figuresCsv(rows));
  return undefined;
}

export function analyticsRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gate = dbGate(app, state);
  const period = (from: string, to: string) =>
    gate.read(async (db) => {
      const market = getMarket(await dataMarket(db, state));
      return { market, q: { from, to, offsetMinutes: market.utcOffsetMinutes, currency: market.currency } };
    });

  r.get(
    '/api/analytics/daily',
    {
      schema: {
        summary: "A day's figures from the store: orders, revenue, average order value, by status, region and pattern, top products, delayed orders (Accept: text/csv for CSV)",
        tags: ['analytics'],
        querystring: DailyQuery,
        response: { 200: DailyAnswer, ...errors },
      },
    },
    (request, reply) =>
      answer(reply, async () => {
        const { date } = request.query;
        const { q } = await period(date, date);
        const figures = await gate.read((db) => figuresOf(db, q));
        const row = { date, ...figures };
        return send(request, reply, row, [row], `daily-${date}`);
      }),
  );

  r.get(
    '/api/analytics/monthly',
    { schema: { summary: "A month's figures from the store (Accept: text/csv for CSV)", tags: ['analytics'], querystring: MonthlyQuery, response: { 200: MonthlyAnswer, ...errors } } },
    (request, reply) =>
      answer(reply, async () => {
        const { month } = request.query;
        const first = `${month}-01`;
        const next = new Date(Date.parse(`${first}T00:00:00Z`));
        next.setUTCMonth(next.getUTCMonth() + 1);
        const last = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
        const { q } = await period(first, last);
        const figures = await gate.read((db) => figuresOf(db, q));
        return send(request, reply, { month, ...figures }, [{ date: month, ...figures }], `monthly-${month}`);
      }),
  );

  r.get(
    '/api/analytics/range',
    {
      schema: {
        summary: 'Every day of a range (at most 366 days) and the range as a whole, from the store (Accept: text/csv: one row per day)',
        tags: ['analytics'],
        querystring: RangeQuery,
        response: { 200: RangeAnswer, ...errors },
      },
    },
    (request, reply) =>
      answer(reply, async () => {
        const { from, to } = request.query;
        const { q, market } = await period(from, to);
        const { days, total } = await gate.read((db) => rangeFigures(db, q));
        return send(request, reply, { from, to, market: market.id, total, days }, days, `range-${from}-${to}`);
      }),
  );
}
