/**
 * The event contract shared by the batch event log, the live stream, Kafka and every
 * browser: spec 003's envelope, the channels, and which channel each event type travels
 * on. The payload of each type is declared in event-data.ts.
 */
import { z } from 'zod';
import { EVENT_DATA, EVENT_TYPES, RowChange, type EventData, type EventType } from './event-data.js';

export { EVENT_DATA, EVENT_TYPES, OrderEventData, RowChange, SALE_FIELDS, Sale } from './event-data.js';
export type { EventData, EventType } from './event-data.js';

/**
 * `system` carries the hub's own notices (a resume gap); every client receives it whatever
 * it subscribed to. `db` carries committed row changes, apart from the business events, so
 * a subscriber to `orders` sees each order change once.
 */
export const CHANNELS = ['all', 'orders', 'stock', 'alerts', 'forecasts', 'analytics', 'payments', 'jobs', 'db', 'system'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
export type EventChannel = Exclude<Channel, 'all'>;

/** Every event type and the channel it travels on. */
export const EVENT_CHANNELS: { readonly [T in EventType]: EventChannel } = {
  'order.created': 'orders',
  'order.updated': 'orders',
  'order.cancelled': 'orders',
  'order.delivered': 'orders',
  'shipment.failed': 'orders',
  'stock.updated': 'stock',
  'stock.low': 'stock',
  'stock.out': 'stock',
  'stock.ordered': 'stock',
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
  'stream.degraded': 'system',
  'stream.recovered': 'system',
  'db.orders.insert': 'db',
  'db.orders.update': 'db',
  'db.orders.delete': 'db',
  'db.customers.insert': 'db',
  'db.customers.update': 'db',
  'db.customers.delete': 'db',
  'db.products.insert': 'db',
  'db.products.update': 'db',
  'db.products.delete': 'db',
  'db.users.insert': 'db',
  'db.users.update': 'db',
  'db.users.delete': 'db',
};

export const channelOf = (type: EventType): EventChannel => EVENT_CHANNELS[type];

/** An event before it has an envelope: what every producer hands to a typed emit. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

const envelopeFields = {
  type: z.literal('event'),
  event_id: z.uuid(),
  timestamp: z.iso.datetime(),
  /** Set on events made by POST /stream/test/emit-event: the payload is the type's example. */
  test: z.literal(true).optional(),
  /** The note a test event was sent with. */
  note: z.string().optional(),
};

function envelopeOf<T extends EventType>(type: T) {
  return z.strictObject({ ...envelopeFields, event_type: z.literal(type), data: EVENT_DATA[type] as (typeof EVENT_DATA)[T] });
}

const envelopes = EVENT_TYPES.map((t) => envelopeOf(t)) as unknown as [ReturnType<typeof envelopeOf<EventType>>, ...Array<ReturnType<typeof envelopeOf<EventType>>>];

/** spec 003's envelope, one variant per event type (the payload checked against its type). */
export const EventEnvelope = z.discriminatedUnion('event_type', envelopes);
export type EventEnvelope = {
  [T in EventType]: { type: 'event'; event_id: string; event_type: T; timestamp: string; data: EventData<T>; test?: true; note?: string };
}[EventType];

/** What a server delivers: the envelope plus its own monotonically increasing sequence, the resume offset. */
export const SequencedEnvelope = z.discriminatedUnion(
  'event_type',
  envelopes.map((e) => e.extend({ seq: z.number().int().min(0) })) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<SequencedEnvelope>;
export type SequencedEnvelope = EventEnvelope & { seq: number };

/** The tables whose changes the change feed reports (migration 003 puts triggers on exactly these). */
export const CHANGE_TABLES = RowChange.shape.table.options;
export type ChangeTable = (typeof CHANGE_TABLES)[number];
export const CHANGE_OPS = RowChange.shape.op.options;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export const changeEventType = (table: ChangeTable, op: ChangeOp) => `db.${table}.${op}` as const satisfies EventType;

/** The entity an event is about: its Kafka key, so one entity's events stay in order on one partition. */
export function entityKey(event: DomainEvent): string | null {
  const data = event.data as Record<string, unknown>;
  // A row change is about its row; its old/new rows may name other entities too.
  if (event.type.startsWith('db.')) return String(data.row_id);
  for (const field of ['order_id', 'product_id', 'job_id', 'category', 'date', 'month', 'alert_id']) {
    const value = data[field];
    if (typeof value === 'string') return value;
  }
  // alert.low_stock names its products in a list (spec 003); the first one keys it.
  if (event.type === 'alert.low_stock') return event.data.affected_products[0].product_id;
  return event.type === 'stream.gap' ? 'stream' : null;
}
