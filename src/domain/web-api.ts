/**
 * The web app's extra reads (issue 10): customers with search and paging, one customer with
 * their orders, and the order summary the monitoring cards show. Declared once; the routes
 * validate with these, the OpenAPI document is generated from them and the browser app
 * imports their types.
 */
import { z } from 'zod';
import { MAX_PAGE, OrderListQuery } from './api.js';
import { NOT_A_NUMBER } from './numbers.js';
import { Customer, Order, ORDER_STATUSES, PATTERN_NAMES, PRIORITIES } from './entities.js';

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const limit = z.coerce.number(NOT_A_NUMBER).int('must be a whole number').min(1).max(MAX_PAGE, `at most ${MAX_PAGE}`).default(20);
const offset = z.coerce.number(NOT_A_NUMBER).int('must be a whole number').min(0).max(10_000_000).default(0);
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { message: 'an ISO date (2024-03-01) or date-time (2024-03-01T12:00:00Z)' });

export const CustomerListQuery = z.strictObject({
  search: text(100).optional().describe('part of the name, email or customer id, any case; % and _ match themselves'),
  region: text(100).optional(),
  limit,
  offset,
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

export const CustomerPage = z.object({ items: z.array(Customer), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export type CustomerPage = z.infer<typeof CustomerPage>;

export const CustomerOrdersQuery = z.strictObject({ limit: limit.default(50) });

export const CustomerWithOrders = Customer.extend({
  orders: z.array(Order).describe('the customer\'s newest orders first (at most `limit`)'),
  order_count: z.number().int().describe('all of the customer\'s orders'),
});
export type CustomerWithOrders = z.infer<typeof CustomerWithOrders>;

export const OrderSummaryQuery = z
  .strictObject({
    from: instant.optional().describe('order_date ≥ from'),
    to: instant.optional().describe('order_date < to'),
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), { message: '"from" must not be after "to"', path: ['from'] });
export type OrderSummaryQuery = z.infer<typeof OrderSummaryQuery>;

const count = z.number().int().min(0);
const countsOf = <const K extends readonly [string, ...string[]]>(keys: K) => z.object(Object.fromEntries(keys.map((k) => [k, count])) as { [P in K[number]]: typeof count });

export const OrderSummary = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  total: count,
  by_status: countsOf(ORDER_STATUSES),
  by_priority: countsOf(PRIORITIES),
  by_pattern: countsOf(PATTERN_NAMES),
  by_region: z.record(z.string(), count),
  /** Open orders (not delivered, cancelled or failed) whose promised delivery has passed. */
  overdue: count,
  /** Σ total_amount of the orders not cancelled or failed, per currency. */
  revenue: z.record(z.string(), z.number()),
  /** The instant "overdue" was judged at: the simulation's clock when it runs, else the server's. */
  as_of: z.iso.datetime(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

/** The server process's memory and runtime, for the dashboard (GET /api/runtime). */
export const Runtime = z.object({
  memory: z.object({ rss_bytes: z.number().int(), heap_used_bytes: z.number().int(), heap_total_bytes: z.number().int(), external_bytes: z.number().int() }),
  node: z.string(),
  uptime_seconds: z.number().int(),
  timestamp: z.iso.datetime(),
});
export type Runtime = z.infer<typeof Runtime>;

/** The market the server's data is in: its currency and the fixed UTC offset its local days and times use. */
export const MarketInfo = z.object({ id: z.string(), label: z.string(), currency: z.string(), utc_offset_minutes: z.number().int() });
export type MarketInfo = z.infer<typeof MarketInfo>;

export const CancelJobBody = z.strictObject({ jobId: z.string().min(1).max(100) });
export const CancelJobAnswer = z.object({ jobId: z.string(), cancelled: z.literal(true), message: z.string() });

export type { OrderListQuery };
