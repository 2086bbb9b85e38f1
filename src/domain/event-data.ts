/**
 * The payload (`data`) of every event type orderstream emits, one zod schema each. This
 * registry is the event contract: the engines, the REST routes and the jobs produce events
 * only through a typed emit keyed by it, the tests parse every emitted event with it, the
 * web app imports its types, and the AsyncAPI document at /asyncapi.json is generated from it.
 *
 * Payloads are strict: a producer cannot add a field the contract does not name. Nested
 * objects are strict too, so a consumer can rely on exactly these fields.
 */
import { z } from 'zod';
import { OrderStatus, PatternName, PaymentMethod, Priority } from './entities.js';
import { JobProgress, JobStatus, RecordCounts } from './jobs.js';

const isoTime = z.iso.datetime();
const money = z.number().multipleOf(0.01);
const count = z.number().int().min(0);
const units = z.number().int();

/** spec 004's address object, as order events carry it. */
export const SaleAddress = z.strictObject({
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zip_code: z.string().regex(/^\d{5}$/),
  country: z.string().length(3),
});

/**
 * spec 004's sale object: the twelve fields `orderstream stream` prints, in this order.
 * The order's first line stands for the order (spec 004 orders have one line).
 */
export const SALE_SHAPE = {
  order_id: z.string().regex(/^ORD-\d{8,}$/),
  timestamp: isoTime.describe('when this status was reached'),
  product_id: z.string(),
  product_name: z.string(),
  quantity: z.number().int().min(1),
  price: money.describe('unit price of the first line'),
  total: money.describe('quantity × price of the first line'),
  customer_id: z.string(),
  customer_email: z.string(),
  payment_method: PaymentMethod,
  shipping_address: SaleAddress,
  status: OrderStatus,
};
export const Sale = z.strictObject(SALE_SHAPE);
export type Sale = z.infer<typeof Sale>;
export const SALE_FIELDS = Object.keys(SALE_SHAPE) as Array<keyof Sale>;

/** What every order event carries: the sale object, then the whole order's figures. */
const ORDER_SHAPE = {
  ...SALE_SHAPE,
  items_count: z.number().int().min(1),
  total_amount: money.describe('what the customer owes for the whole order'),
  currency: z.string().length(3),
  pattern_type: PatternName,
  priority: Priority,
  region: z.string(),
  expected_delivery: isoTime.describe('the delivery promised when the order was placed'),
};
export const OrderEventData = z.strictObject(ORDER_SHAPE);
export type OrderEventData = z.infer<typeof OrderEventData>;

const productRef = { product_id: z.string(), product_name: z.string() };

export const MOVEMENT_TYPES = ['fulfilment', 'restock', 'return', 'adjustment'] as const;

const alertId = z.string().describe('stable id of this alert');

export const LowStockProduct = z.strictObject({
  ...productRef,
  current_stock: units,
  threshold: count.describe('the safety stock: below it the product is low'),
  reorder_point: z.number().int().describe('the alert clears when stock is back at this level'),
});

export const TopProduct = z.strictObject({ ...productRef, units: count });

const localDate = z.iso.date();

/** One day of a forecast: the median day (the point forecast), the expected units (what planning adds up) and the 95% interval. */
export const ForecastDay = z.strictObject({
  date: localDate,
  demand: z.number().min(0).describe('the median day: as likely to sell more as less'),
  expected: z.number().min(0).describe('expected units (the mean): what the reorder policy adds up'),
  lower: z.number().min(0),
  upper: z.number().min(0),
});
export type ForecastDay = z.infer<typeof ForecastDay>;

const forecastScope = {
  forecast_id: z.string(),
  scope: z.enum(['category', 'product']),
  category: z.string(),
  horizon: z.string().describe('how far ahead, e.g. "14d"'),
  start_date: localDate.describe('the first local day forecast'),
};

const accuracy = z.number().min(0).nullable();

/** Orders that reached each status on the day (pending: placed). */
export const StatusCounts = z.strictObject({ pending: count, shipped: count, delivered: count, failed: count, cancelled: count });

const periodFigures = {
  orders: count.describe('orders placed'),
  revenue: money.describe('their total_amount'),
  currency: z.string().length(3),
  average_order_value: money,
  delayed: count.describe('orders delivered after the delivery date they were promised'),
  by_status: StatusCounts,
  by_region: z.record(z.string(), count).describe('orders placed, per sales region'),
  by_pattern: z.record(PatternName, count).describe('orders placed, per order pattern'),
  top_products: z.array(TopProduct).describe('the five products with the most units ordered'),
};
export const PeriodFigures = z.strictObject(periodFigures);
export type PeriodFigures = z.infer<typeof PeriodFigures>;

/** Job progress as the jobs API reports it (spec 002). */
const jobFields = {
  job_id: z.string(),
  status: JobStatus,
  scenario: z.string(),
  ...JobProgress.shape,
};

/** One committed row change read from the database (see the change feed). */
export const RowChange = z.strictObject({
  table: z.enum(['orders', 'products', 'customers', 'users']),
  op: z.enum(['insert', 'update', 'delete']),
  row_id: z.string(),
  change_id: z.number().int().positive().describe('ascends in commit order: orders and deduplicates changes'),
  old: z.record(z.string(), z.unknown()).nullable().describe('the row before (null on insert)'),
  new: z.record(z.string(), z.unknown()).nullable().describe('the row after (null on delete)'),
  changed_at: isoTime,
});
export type RowChange = z.infer<typeof RowChange>;

export const EVENT_DATA = {
  'order.created': OrderEventData.describe('A new order, always pending'),
  'order.updated': OrderEventData.describe('The order moved to another status (confirmed, processing, shipped, failed)'),
  'order.cancelled': z.strictObject({ ...ORDER_SHAPE, reason: z.string() }).describe('The order was cancelled; its allocated stock goes back on the shelf'),
  'order.delivered': z.strictObject({ ...ORDER_SHAPE, delivery_date: isoTime }).describe('The customer received the order'),
  'shipment.failed': z
    .strictObject({ order_id: z.string(), shipment_id: z.string(), carrier: z.string(), tracking_number: z.string(), attempt: z.number().int().min(1), reason: z.string() })
    .describe('A delivery attempt failed'),

  'stock.updated': z
    .strictObject({
      ...productRef,
      previous_stock: units,
      current_stock: units,
      movement_id: z.string(),
      movement_type: z.enum(MOVEMENT_TYPES),
      reason: z.string().nullable(),
      order_id: z.string().nullable(),
    })
    .describe('Sellable stock changed: one event per inventory movement'),
  'stock.low': z.strictObject({ ...productRef, current_stock: units, threshold: count }).describe('Stock fell below the reorder point'),
  'stock.out': z.strictObject({ ...productRef }).describe('Stock reached zero'),
  'stock.ordered': z
    .strictObject({
      ...productRef,
      purchase_order_id: z.string(),
      quantity: z.number().int().positive(),
      supplier_id: z.string(),
      expected_arrival: isoTime,
      placed_by: z.enum(['policy', 'planner']).describe('policy: the reorder policy at its reorder point; planner: placed through the API (POST /api/inventory/reorders)'),
    })
    .describe('A purchase order went to the supplier; stock.replenished follows when it arrives'),
  'stock.replenished': z
    .strictObject({ ...productRef, quantity_added: z.number().int().positive(), new_stock: units, supplier_id: z.string(), purchase_order_id: z.string() })
    .describe("A supplier's delivery arrived"),

  'alert.low_stock': z
    .strictObject({ alert_id: alertId, alert_level: z.enum(['warning', 'critical']), affected_products: z.array(LowStockProduct).min(1) })
    .describe('Products whose stock fell below their safety stock since the last hourly check (critical: one is out of stock)'),
  'alert.reorder_needed': z
    .strictObject({
      alert_id: alertId,
      ...productRef,
      current_stock: units,
      stock_position: units.describe('on hand + on order − owed to orders waiting for stock: what the reorder point is compared with'),
      reorder_point: count,
      recommended_quantity: z.number().int().positive().describe('up to the order-up-to level'),
      supplier_id: z.string(),
      purchase_order_id: z.string(),
      expected_arrival: isoTime,
    })
    .describe('Stock position reached the reorder point: a purchase order up to the order-up-to level went to the supplier'),
  'alert.stockout_risk': z
    .strictObject({
      alert_id: alertId,
      ...productRef,
      current_stock: units,
      days_until_stockout: z.number().min(0).describe('stock on hand ÷ the forecast daily demand'),
      daily_demand: z.number().min(0).describe("the forecast's expected units a day"),
      next_delivery: isoTime.nullable().describe('when the next open purchase order arrives'),
    })
    .describe('At the forecast demand the product runs out before its next delivery arrives'),
  'alert.dead_stock': z
    .strictObject({ alert_id: alertId, ...productRef, days_since_sale: count, current_stock: units, value: money, currency: z.string().length(3) })
    .describe('A product has not sold for 30 days while units sit on the shelf'),
  'alert.broadcast': z
    .strictObject({ alert_id: alertId, level: z.enum(['info', 'warning', 'critical']), title: z.string(), message: z.string() })
    .describe('An alert sent through POST /stream/broadcast/alert'),

  'forecast.generated': z
    .strictObject({
      ...forecastScope,
      product_id: z.string().nullable(),
      product_name: z.string().nullable(),
      predicted_demand: z.number().min(0).describe('expected units over the horizon'),
      unit: z.string(),
      method: z.enum(['holt_winters', 'category_share']).describe("holt_winters: the category's own model; category_share: the product's share of its category's forecast"),
      interval: z.number().gt(0).lt(1).describe("the daily interval's coverage"),
      daily: z.array(ForecastDay),
    })
    .describe('A new forecast from a retrained model: a category, or a product'),
  'forecast.updated': z
    .strictObject({ ...forecastScope, old_forecast: z.number().min(0), new_forecast: z.number().min(0), daily: z.array(ForecastDay) })
    .describe("A category's forecast revised after a day's sales (expected units over the horizon, before and after)"),
  'model.retrained': z
    .strictObject({
      category: z.string(),
      method: z.literal('holt_winters'),
      reason: z.enum(['schedule', 'request']).describe('schedule: the weekly retraining; request: POST /api/forecasts/retrain'),
      training_days: count,
      holdout_days: count,
      metrics: z.strictObject({
        mape: accuracy.describe('on the held-out days: mean |forecast − actual| ÷ actual, days with sales'),
        mae: accuracy,
        bias: z.number().nullable().describe('mean forecast − actual (negative: forecasts low)'),
        baseline_mape: accuracy.describe('the seasonal-naive forecast (same weekday last week) on the same days'),
      }),
      parameters: z.strictObject({ alpha: z.number(), beta: z.number(), gamma: z.number(), phi: z.number() }),
    })
    .describe("A category's model trained again, with its accuracy on the last four weeks held out"),

  'analytics.daily_summary': z.strictObject({ date: localDate, ...periodFigures }).describe("The day's figures, at local midnight"),
  'analytics.monthly_report': z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), ...periodFigures }).describe("The month's figures, at its end"),

  'payment.completed': z
    .strictObject({ payment_id: z.string(), order_id: z.string(), amount: money, currency: z.string().length(3), method: PaymentMethod, batch_id: z.string().nullable() })
    .describe('A payment was received'),
  'payment.overdue': z
    .strictObject({ payment_id: z.string(), order_id: z.string(), amount: money, currency: z.string().length(3), due_at: isoTime })
    .describe('A payment is a day past due and unpaid'),
  'refund.requested': z
    .strictObject({ refund_id: z.string(), order_id: z.string(), amount: money, currency: z.string().length(3), reason: z.string() })
    .describe('A refund was requested'),
  'refund.resolved': z
    .strictObject({ refund_id: z.string(), order_id: z.string(), status: z.enum(['approved', 'rejected']), amount: money, currency: z.string().length(3) })
    .describe('A refund was approved or rejected'),

  'job.progress': z.strictObject({ ...jobFields, dry_run: z.boolean() }).describe('A generation job made progress'),
  'job.completed': z
    .strictObject({ ...jobFields, dry_run: z.boolean(), error: z.null(), result: z.strictObject({ records: z.number().int(), counts: RecordCounts, elapsedMs: z.number() }) })
    .describe('A generation job finished'),
  'job.failed': z
    .strictObject({ ...jobFields, dry_run: z.boolean(), error: z.string().nullable(), result: z.null() })
    .describe('A generation job failed or was cancelled'),

  'stream.gap': z
    .strictObject({ requested_since: z.number().int().min(0), oldest_available: z.number().int().min(0), missed: z.number().int().min(0).nullable(), message: z.string() })
    .describe('Events a resuming client asked for are no longer held'),

  'stream.degraded': z
    .strictObject({ component: z.enum(['store', 'simulation']), reason: z.string(), since: isoTime })
    .describe('Something the stream depends on is down or behind: the simulation holds its clock until it recovers'),
  'stream.recovered': z
    .strictObject({ component: z.enum(['store', 'simulation']), since: isoTime, held_ms: z.number().int().min(0) })
    .describe('It recovered: the simulation goes on from where it held'),

  'db.orders.insert': RowChange,
  'db.orders.update': RowChange,
  'db.orders.delete': RowChange,
  'db.customers.insert': RowChange,
  'db.customers.update': RowChange,
  'db.customers.delete': RowChange,
  'db.products.insert': RowChange,
  'db.products.update': RowChange,
  'db.products.delete': RowChange,
  'db.users.insert': RowChange,
  'db.users.update': RowChange,
  'db.users.delete': RowChange,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
