/**
 * The events an order's plan produces — its status changes, failed delivery attempts,
 * payments and refund — in time order. The live engine publishes them as their time comes;
 * a batch run writes them to the event log. One function for both, so they agree.
 */
import type { DomainEvent, EventData } from '../domain/events.js';
import type { OrderRecord, OrderStatus } from '../domain/entities.js';
import type { PlannedOrder } from './order-plan.js';
import { iso } from './time.js';
import type { World } from './world.js';

/** An event and the simulated instant it happens at. */
export type TimedEvent = DomainEvent & { t: number };

type OrderFields = EventData<'order.created'>;

/** What an order event says about the order: the fields its row has under the same names. */
export type OrderSummary = Pick<
  OrderRecord,
  | 'order_id'
  | 'product_id'
  | 'product_name'
  | 'quantity'
  | 'price'
  | 'total'
  | 'customer_id'
  | 'customer_email'
  | 'payment_method'
  | 'shipping_address'
  | 'items_count'
  | 'total_amount'
  | 'currency'
  | 'pattern_type'
  | 'priority'
  | 'region'
  | 'expected_delivery'
>;

/**
 * The fields every event of an order carries (spec 004's sale object, then the order's
 * figures), at a status: one builder for simulated orders and orders made through the API.
 */
export function orderEventData(o: OrderSummary, status: OrderStatus, at: string): OrderFields {
  const a = o.shipping_address;
  return {
    order_id: o.order_id,
    timestamp: at,
    product_id: o.product_id,
    product_name: o.product_name,
    quantity: o.quantity,
    price: o.price,
    total: o.total,
    customer_id: o.customer_id,
    customer_email: o.customer_email,
    payment_method: o.payment_method,
    shipping_address: { street: a.street, city: a.city, state: a.state, zip_code: a.zip_code, country: a.country },
    status,
    items_count: o.items_count,
    total_amount: o.total_amount,
    currency: o.currency,
    pattern_type: o.pattern_type,
    priority: o.priority,
    region: o.region,
    expected_delivery: o.expected_delivery,
  };
}

function summaryOf(world: World, plan: PlannedOrder): OrderSummary {
  const d = plan.draft;
  const first = d.lines[0];
  const c = d.customer;
  return {
    order_id: d.id,
    product_id: first.product.product_id,
    product_name: first.product.name,
    quantity: first.quantity,
    price: first.unitCents / 100,
    total: first.lineCents / 100,
    customer_id: c.customer_id,
    customer_email: c.email,
    payment_method: d.method as OrderFields['payment_method'],
    shipping_address: c.shipping_address,
    items_count: d.lines.length,
    total_amount: d.totalCents / 100,
    currency: world.market.currency,
    pattern_type: d.pattern,
    priority: world.scenario.patterns[d.pattern].priority,
    region: c.region,
    expected_delivery: iso(plan.timeline.expectedMs),
  };
}

/**
 * Where an order event comes from in its plan, and when it happens: the event before its
 * data is built. A live order keeps these (a few numbers each) and builds each event when
 * its time comes, instead of holding every event's data for the days it is in flight.
 */
export interface EventSlot {
  t: number;
  type: TimedEvent['type'];
  /** The status change, failed attempt, payment or refund step it comes from. */
  from: 'status' | 'attempt' | 'paid' | 'overdue' | 'refund_requested' | 'refund_resolved';
  /** The index into the timeline's history or attempts (0 for the others). */
  i: number;
}

const STATUS_EVENT = { pending: 'order.created', cancelled: 'order.cancelled', delivered: 'order.delivered' } as const;

/** The plan's events, unbuilt, in time order (events at the same instant keep the order of this list: created before its payment, …). */
export function orderEventSlots(plan: PlannedOrder): EventSlot[] {
  const { timeline: tl, settlement: s } = plan;
  const out: EventSlot[] = [];
  tl.history.forEach((h, i) => out.push({ t: h.at, type: STATUS_EVENT[h.status as keyof typeof STATUS_EVENT] ?? 'order.updated', from: 'status', i }));
  tl.attempts.forEach((a, i) => {
    if (!a.ok) out.push({ t: a.at, type: 'shipment.failed', from: 'attempt', i });
  });
  if (s.paidAt !== null) out.push({ t: s.paidAt, type: 'payment.completed', from: 'paid', i: 0 });
  if (s.overdueAt !== null) out.push({ t: s.overdueAt, type: 'payment.overdue', from: 'overdue', i: 0 });
  if (s.refund) {
    out.push({ t: s.refund.requestedAt, type: 'refund.requested', from: 'refund_requested', i: 0 });
    out.push({ t: s.refund.resolvedAt, type: 'refund.resolved', from: 'refund_resolved', i: 0 });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** One of the plan's events, built (`summary`: the order's fields, when the caller builds several). */
export function orderEventAt(world: World, plan: PlannedOrder, slot: EventSlot, summary?: OrderSummary): TimedEvent {
  const { draft: d, timeline: tl, settlement: s } = plan;
  const currency = world.market.currency;
  const amount = d.totalCents / 100;
  const t = slot.t;
  switch (slot.from) {
    case 'status': {
      const h = tl.history[slot.i];
      const fields = orderEventData(summary ?? summaryOf(world, plan), h.status, iso(h.at));
      if (h.status === 'pending') return { t, type: 'order.created', data: fields };
      if (h.status === 'cancelled') return { t, type: 'order.cancelled', data: { ...fields, reason: tl.cancellationReason ?? 'cancelled' } };
      if (h.status === 'delivered') return { t, type: 'order.delivered', data: { ...fields, delivery_date: iso(h.at) } };
      return { t, type: 'order.updated', data: fields };
    }
    case 'attempt': {
      const a = tl.attempts[slot.i];
      return {
        t,
        type: 'shipment.failed',
        data: { order_id: d.id, shipment_id: `SHP-${d.id.slice(4)}`, carrier: tl.carrier, tracking_number: tl.tracking, attempt: slot.i + 1, reason: a.reason ?? 'unknown' },
      };
    }
    case 'paid':
      return {
        t,
        type: 'payment.completed',
        data: { payment_id: s.paymentId, order_id: d.id, amount, currency, method: d.method as EventData<'payment.completed'>['method'], batch_id: s.batchId },
      };
    case 'overdue':
      return { t, type: 'payment.overdue', data: { payment_id: s.paymentId, order_id: d.id, amount, currency, due_at: iso(s.dueAt) } };
    case 'refund_requested': {
      const r = s.refund!;
      return { t, type: 'refund.requested', data: { refund_id: r.refundId, order_id: d.id, amount: r.cents / 100, currency, reason: r.reason } };
    }
    case 'refund_resolved': {
      const r = s.refund!;
      return { t, type: 'refund.resolved', data: { refund_id: r.refundId, order_id: d.id, status: r.approved ? 'approved' : 'rejected', amount: r.cents / 100, currency } };
    }
  }
}

export function orderEvents(world: World, plan: PlannedOrder): TimedEvent[] {
  const summary = summaryOf(world, plan);
  return orderEventSlots(plan).map((slot) => orderEventAt(world, plan, slot, summary));
}
