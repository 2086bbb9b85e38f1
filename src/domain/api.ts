/**
 * spec 001's management API: the order lifecycle it allows, and the bodies, query strings
 * and responses of /api/orders, /api/products, /api/simulate/*, /api/metrics and
 * /api/health. Declared once; the routes validate with these, the OpenAPI document is
 * generated from them and the tests parse responses with them.
 */
import { z } from 'zod';
import { DEMO_PHASES } from './demo-progress.js';
import { NOT_A_NUMBER, safeText } from './numbers.js';
import { Customer, Order, OrderItem, OrderStatus, PatternName, PaymentMethod, Priority, Product, ShippingAddress, type OrderStatus as Status } from './entities.js';

/**
 * The lifecycle a client may drive: each status and the statuses it may move to. The
 * forward step comes first (the simulate endpoint advances orders along it); an order is
 * cancelled only before it ships, and a delivery can fail only once it has shipped.
 */
export const ORDER_TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered', 'failed'],
  delivered: [],
  cancelled: [],
  failed: [],
};
export const FINAL_STATUSES = (Object.keys(ORDER_TRANSITIONS) as Status[]).filter((s) => ORDER_TRANSITIONS[s].length === 0);
export const canTransition = (from: Status, to: Status): boolean => ORDER_TRANSITIONS[from].includes(to);

/** Stock is an integer column; this keeps every result far from its 2^31 limit. */
export const MAX_STOCK = 1_000_000_000;
export const MAX_PAGE = 500;

// Ids reuse the entity schemas' formats, so a malformed id is refused before any query.
export const OrderId = Order.shape.order_id;
export const ProductId = Product.shape.product_id;
export const CustomerId = Customer.shape.customer_id;

/** Free text: bounded, otherwise anything (quotes and all travel as query parameters). */
/** Text without NUL bytes or unpaired surrogates (see numbers.ts). */
const text = (max: number) => safeText().max(max, `at most ${max} characters`);

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const OrderLine = z.strictObject({
  product_id: ProductId,
  quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'at most 10,000 per line'),
});

export const CreateOrderBody = z
  .strictObject({
    customer_id: CustomerId,
    items: z.array(OrderLine).min(1, 'an order needs at least one item').max(50, 'at most 50 items'),
    payment_method: PaymentMethod.default('credit_card'),
    pattern_type: PatternName.default('regular_orders'),
    /** Where to ship; the customer's own address when omitted. */
    shipping_address: z.strictObject({ ...ShippingAddress.shape, street: text(200), city: text(100), state: text(100) }).optional(),
    notes: text(500).default(''),
  })
  .refine((b) => new Set(b.items.map((i) => i.product_id)).size === b.items.length, {
    message: 'each product may appear once; add the quantities together',
    path: ['items'],
  });
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

export const OrderStatusBody = z
  .strictObject({
    status: OrderStatus,
    /** Only with status cancelled. */
    cancellation_reason: text(200).min(1).optional(),
    /** Only with status shipped. */
    tracking_number: text(64).min(1).optional(),
  })
  .refine((b) => b.cancellation_reason === undefined || b.status === 'cancelled', { message: 'cancellation_reason goes only with status "cancelled"', path: ['cancellation_reason'] })
  .refine((b) => b.tracking_number === undefined || b.status === 'shipped', { message: 'tracking_number goes only with status "shipped"', path: ['tracking_number'] });
export type OrderStatusBody = z.infer<typeof OrderStatusBody>;

/** An absolute level or a change, never both. */
export const StockBody = z
  .strictObject({
    stock_quantity: z.number().int('must be a whole number').min(0, 'stock cannot be negative').max(MAX_STOCK).optional(),
    delta: z.number().int('must be a whole number').min(-MAX_STOCK).max(MAX_STOCK).optional(),
  })
  .refine((b) => (b.stock_quantity === undefined) !== (b.delta === undefined), { message: 'give either stock_quantity (the new level) or delta (a change), exactly one' });
export type StockBody = z.infer<typeof StockBody>;

export const IdParams = <T extends z.ZodType>(id: T) => z.strictObject({ id });

const limit = z.coerce.number(NOT_A_NUMBER).int('must be a whole number').min(1).max(MAX_PAGE, `at most ${MAX_PAGE}`).default(50);
const offset = z.coerce.number(NOT_A_NUMBER).int('must be a whole number').min(0).max(10_000_000).default(0);
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { message: 'an ISO date (2024-03-01) or date-time (2024-03-01T12:00:00Z)' });
const flag = z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] });

/**
 * Keyset position for "newest first" paging: the last order of a page. Offsets shift while
 * new orders arrive at the top; a cursor continues exactly after the last order seen.
 */
export interface OrderCursor {
  order_date: string;
  order_id: string;
}
export const encodeCursor = (c: OrderCursor): string => Buffer.from(`${c.order_date}|${c.order_id}`).toString('base64url');
const Cursor = z
  .string()
  .max(200)
  .transform((raw, ctx): OrderCursor => {
    const [date, id, ...rest] = Buffer.from(raw, 'base64url').toString().split('|');
    if (rest.length || !z.iso.datetime().safeParse(date).success || !OrderId.safeParse(id).success) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this server issued; use next_cursor from a previous page' });
      return z.NEVER;
    }
    return { order_date: date, order_id: id };
  });

export const OrderListQuery = z
  .strictObject({
    status: OrderStatus.optional(),
    customer_id: CustomerId.optional(),
    from: instant.optional().describe('order_date ≥ from'),
    to: instant.optional().describe('order_date < to'),
    limit,
    offset,
    cursor: Cursor.optional().describe('next_cursor of the previous page (instead of offset)'),
    // The web app's filters (issue 10).
    priority: Priority.optional(),
    region: text(100).optional(),
    pattern_type: PatternName.optional(),
    overdue: flag.optional().describe('true: open orders (not delivered, cancelled or failed) past their promised delivery, judged at the simulation\'s clock; false: the others'),
    search: text(100).optional().describe('part of the order id, customer id or customer email, any case'),
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), { message: '"from" must not be after "to"', path: ['from'] })
  .refine((q) => !(q.cursor && q.offset), { message: 'give either offset or cursor, not both', path: ['cursor'] });
export type OrderListQuery = z.infer<typeof OrderListQuery>;

export const ProductListQuery = z.strictObject({
  category: text(100).optional(),
  low_stock: flag.optional().describe('true: only products at or below their reorder threshold; false: only those above it'),
  search: text(100).optional().describe('part of the product name, any case; % and _ match themselves'),
  limit,
  offset,
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

export const OrderWithItems = Order.extend({ items: z.array(OrderItem) });
export type OrderWithItems = z.infer<typeof OrderWithItems>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export const OrderPage = page(Order).extend({ next_cursor: z.string().nullable() });
export type OrderPage = z.infer<typeof OrderPage>;
export const ProductPage = page(Product);
export type ProductPage = z.infer<typeof ProductPage>;

export const StockChange = z.object({ product: Product, previous_quantity: z.number().int(), delta: z.number().int() });
export type StockChange = z.infer<typeof StockChange>;
export const StatusChangeResult = z.object({ order: Order, previous_status: OrderStatus });
export type StatusChangeResult = z.infer<typeof StatusChangeResult>;

export const SimulatedOrder = z.object({ action: z.literal('new-order'), order: OrderWithItems });
export const SimulatedStock = StockChange.extend({ action: z.literal('update-stock') });
export const SimulatedStatus = StatusChangeResult.extend({ action: z.literal('status-update') });

export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export const BreakerState = z.enum(BREAKER_STATES);
export type BreakerState = z.infer<typeof BreakerState>;

const ms = z.number().nullable();
export const Metrics = z.object({
  events: z.object({ total: z.number().int(), per_second: z.number(), window_seconds: z.number() }),
  clients: z.object({ websocket: z.number().int(), sse: z.number().int(), total: z.number().int() }),
  database: z.object({
    backend: z.enum(['pglite', 'postgres']).nullable(),
    /** Per database operation (a query or a whole transaction) over the last operations. */
    latency_ms: z.object({ p50: ms, p99: ms, samples: z.number().int() }),
    breaker: z.object({ state: BreakerState, failures: z.number().int(), rejected: z.number().int(), opened: z.number().int() }),
  }),
  cache: z.object({ hits: z.number().int(), misses: z.number().int(), hit_ratio: z.number().nullable(), size: z.number().int(), capacity: z.number().int() }),
  http: z.object({ requests: z.number().int(), errors_4xx: z.number().int(), errors_5xx: z.number().int() }),
  uptime_seconds: z.number().int(),
  timestamp: z.iso.datetime(),
});
export type Metrics = z.infer<typeof Metrics>;

const Link = z.object({ status: z.string() });
export const ApiHealth = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  database: z.object({ status: z.enum(['ok', 'busy', 'down', 'disabled']), backend: z.enum(['pglite', 'postgres']).nullable(), latency_ms: z.number().nullable(), error: z.string().nullable(), breaker: BreakerState }),
  brokers: z.object({ kafka: Link, redis: Link }),
  /** The demo dataset of a first start ('none' when there was none to load); `database.status` is 'busy' while it (or a generation job) loads into the embedded database, which answers nothing else meanwhile: `database.error` says what with. */
  demo_data: z.object({
    state: z.enum(['none', 'loading', 'loaded', 'failed']),
    /** While loading: 'generating' (the dataset is made in memory), then 'copying' (its rows go into the database). */
    phase: z.enum(DEMO_PHASES).nullable(),
    rows: z.number().int(),
    /** 0–1 while loading (the estimate errs high), 1 once loaded. */
    progress: z.number().nullable(),
    reason: z.string().nullable(),
  }),
  /** Whether the live simulation writes its orders into the store ('none': no simulation or no store), and why not: a store holding another simulation's dataset, writes refused at the start, a job that replaced its data. */
  live_writes: z.object({ state: z.enum(['writing', 'not_writing', 'none']), reason: z.string().nullable() }),
  timestamp: z.iso.datetime(),
});
export type ApiHealth = z.infer<typeof ApiHealth>;
