/**
 * The event contract shared by the batch event log, the live stream, Kafka and every
 * browser: spec 003's envelope and event types, plus spec 004's sale object.
 */
import { z } from 'zod';
import { OrderStatus, PaymentMethod, ShippingAddress } from './entities.js';

/** spec 004's sale object: what `stream` prints and what order events carry. */
export const Sale = z.object({
  order_id: z.string().regex(/^ORD-\d{8,}$/),
  timestamp: z.iso.datetime(),
  product_id: z.string(),
  product_name: z.string(),
  quantity: z.number().int().min(1),
  price: z.number(),
  total: z.number(),
  customer_id: z.string(),
  customer_email: z.string(),
  payment_method: PaymentMethod,
  shipping_address: ShippingAddress,
  status: OrderStatus,
});
export type Sale = z.infer<typeof Sale>;

/** `system` carries the hub's own notices (a resume gap); every client receives it whatever it subscribed to. */
export const CHANNELS = ['all', 'orders', 'stock', 'alerts', 'forecasts', 'analytics', 'payments', 'jobs', 'system'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** Every event type and the channel it travels on. */
export const EVENT_CHANNELS = {
  'order.created': 'orders',
  'order.updated': 'orders',
  'order.cancelled': 'orders',
  'order.delivered': 'orders',
  'shipment.failed': 'orders',
  'stock.updated': 'stock',
  'stock.low': 'stock',
  'stock.out': 'stock',
  'stock.replenished': 'stock',
  'alert.low_stock': 'alerts',
  'alert.dead_stock': 'alerts',
  'alert.reorder_needed': 'alerts',
  'alert.stockout_risk': 'alerts',
  'alert.broadcast': 'alerts',
  'forecast.generated': 'forecasts',
  'forecast.updated': 'forecasts',
  'model.retrained': 'forecasts',
  'analytics.daily_summary': 'analytics',
  'analytics.monthly_report': 'analytics',
  'payment.completed': 'payments',
  'payment.overdue': 'payments',
  'refund.requested': 'payments',
  'refund.resolved': 'payments',
  'job.progress': 'jobs',
  'job.completed': 'jobs',
  'job.failed': 'jobs',
  'stream.gap': 'system',
  // The change feed: committed row changes read from mock_data.change_log (see RowChange).
  'db.orders.insert': 'orders',
  'db.orders.update': 'orders',
  'db.orders.delete': 'orders',
  'db.customers.insert': 'orders',
  'db.customers.update': 'orders',
  'db.customers.delete': 'orders',
  'db.products.insert': 'stock',
  'db.products.update': 'stock',
  'db.products.delete': 'stock',
} as const satisfies Record<string, Exclude<Channel, 'all'>>;
export type EventType = keyof typeof EVENT_CHANNELS;
export const EVENT_TYPES = Object.keys(EVENT_CHANNELS) as EventType[];

export const EventEnvelope = z.object({
  type: z.literal('event'),
  event_id: z.uuid(),
  event_type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  timestamp: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** What a server delivers: the envelope plus its own monotonically increasing sequence, the resume offset. */
export const SequencedEnvelope = EventEnvelope.extend({ seq: z.number().int().min(0) });
export type SequencedEnvelope = z.infer<typeof SequencedEnvelope>;

/** The tables whose changes the change feed reports (migration 003 puts triggers on exactly these). */
export const CHANGE_TABLES = ['orders', 'products', 'customers'] as const;
export type ChangeTable = (typeof CHANGE_TABLES)[number];
export const CHANGE_OPS = ['insert', 'update', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/**
 * One committed row change, the data of a `db.<table>.<op>` event. `old` and `new` are the
 * whole rows as PostgreSQL's to_jsonb rendered them (old is null on insert, new on delete);
 * `change_id` ascends in commit order, so it orders and deduplicates changes.
 */
export const RowChange = z.object({
  table: z.enum(CHANGE_TABLES),
  op: z.enum(CHANGE_OPS),
  row_id: z.string(),
  change_id: z.number().int().positive(),
  old: z.record(z.string(), z.unknown()).nullable(),
  new: z.record(z.string(), z.unknown()).nullable(),
  changed_at: z.iso.datetime(),
});
export type RowChange = z.infer<typeof RowChange>;

export const changeEventType = (table: ChangeTable, op: ChangeOp) => `db.${table}.${op}` as const satisfies EventType;

export const channelOf = (type: EventType): Exclude<Channel, 'all'> => EVENT_CHANNELS[type];

/** The entity an event is about: its Kafka key, so one entity's events stay in order on one partition. */
export function entityKey(type: EventType, data: Record<string, unknown>): string | null {
  // A row change is about its row; its old/new rows may name other entities too.
  if (type.startsWith('db.') && typeof data['row_id'] === 'string') return data['row_id'];
  for (const field of ['order_id', 'product_id', 'job_id', 'alert_id', 'category', 'date', 'month']) {
    const value = data[field];
    if (typeof value === 'string') return value;
  }
  // alert.low_stock names its products in a list (spec 003); the first one keys it.
  const affected = data['affected_products'];
  if (Array.isArray(affected) && typeof affected[0]?.product_id === 'string') return affected[0].product_id as string;
  return type === 'stream.gap' ? 'stream' : null;
}
