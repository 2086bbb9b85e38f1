/** GET /api/orders/summary: counts by status, priority, pattern and region, the overdue count and revenue, in one scan. */
import { ORDER_STATUSES, PATTERN_NAMES, PRIORITIES } from '../../domain/entities.js';
import type { OrderSummary, OrderSummaryQuery } from '../../domain/web-api.js';
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';
import { OPEN_STATUS_SQL } from './orders.js';

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export async function orderSummary(db: Queryable, q: OrderSummaryQuery, nowMs: number): Promise<OrderSummary> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.from) where.push(`order_date >= $${params.push(q.from)}::timestamptz`);
  if (q.to) where.push(`order_date < $${params.push(q.to)}::timestamptz`);
  const now = `$${params.push(new Date(nowMs).toISOString())}::timestamptz`;
  const { rows } = await db.query<{ status: string; priority: string; pattern_type: string; region: string; currency: string; n: number; overdue: number; revenue: string | number }>(
    `SELECT status, priority, pattern_type, region, currency, count(*)::integer AS n,
            (count(*) FILTER (WHERE ${OPEN_STATUS_SQL} AND expected_delivery < ${now}))::integer AS overdue,
            coalesce(sum(total_amount) FILTER (WHERE status NOT IN ('cancelled', 'failed')), 0)::float8 AS revenue
     FROM ${tableOf('orders')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     GROUP BY status, priority, pattern_type, region, currency`,
    params,
  );
  const summary: OrderSummary = {
    from: q.from ?? null,
    to: q.to ?? null,
    total: 0,
    by_status: zeros(ORDER_STATUSES),
    by_priority: zeros(PRIORITIES),
    by_pattern: zeros(PATTERN_NAMES),
    by_region: {},
    overdue: 0,
    revenue: {},
    as_of: new Date(nowMs).toISOString(),
  };
  for (const r of rows) {
    summary.total += r.n;
    summary.by_status[r.status as keyof OrderSummary['by_status']] += r.n;
    summary.by_priority[r.priority as keyof OrderSummary['by_priority']] += r.n;
    summary.by_pattern[r.pattern_type as keyof OrderSummary['by_pattern']] += r.n;
    summary.by_region[r.region] = (summary.by_region[r.region] ?? 0) + r.n;
    summary.overdue += r.overdue;
    summary.revenue[r.currency] = Math.round(((summary.revenue[r.currency] ?? 0) + Number(r.revenue)) * 100) / 100;
  }
  return summary;
}
