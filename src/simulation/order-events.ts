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

export function orderEvents(world: World, plan: PlannedOrder): TimedEvent[] {
  const { draft: d, timeline: tl, settlement: s } = plan;
  const currency = world.market.currency;
  const out: TimedEvent[] = [];
  const summary = summaryOf(world, plan);
  for (const h of tl.history) {
    const fields = orderEventData(summary, h.status, iso(h.at));
    if (h.status === 'pending') out.push({ t: h.at, type: 'order.created', data: fields });
    else if (h.status === 'cancelled') out.push({ t: h.at, type: 'order.cancelled', data: { ...fields, reason: tl.cancellationReason ?? 'cancelled' } });
    else if (h.status === 'delivered') out.push({ t: h.at, type: 'order.delivered', data: { ...fields, delivery_date: iso(h.at) } });
    else out.push({ t: h.at, type: 'order.updated', data: fields });
  }
  tl.attempts.forEach((a, i) => {
    if (a.ok) return;
    out.push({
      t: a.at,
      type: 'shipment.failed',
      data: { order_id: d.id, shipment_id: `SHP-${d.id.slice(4)}`, carrier: tl.carrier, tracking_number: tl.tracking, attempt: i + 1, reason: a.reason ?? 'unknown' },
    });
  });
  const amount = d.totalCents / 100;
  if (s.paidAt !== null) {
    out.push({
      t: s.paidAt,
      type: 'payment.completed',
      data: { payment_id: s.paymentId, order_id: d.id, amount, currency, method: d.method as EventData<'payment.completed'>['method'], batch_id: s.batchId },
    });
  }
  if (s.overdueAt !== null) out.push({ t: s.overdueAt, type: 'payment.overdue', data: { payment_id: s.paymentId, order_id: d.id, amount, currency, due_at: iso(s.dueAt) } });
  const r = s.refund;
  if (r) {
    out.push({ t: r.requestedAt, type: 'refund.requested', data: { refund_id: r.refundId, order_id: d.id, amount: r.cents / 100, currency, reason: r.reason } });
    out.push({ t: r.resolvedAt, type: 'refund.resolved', data: { refund_id: r.refundId, order_id: d.id, status: r.approved ? 'approved' : 'rejected', amount: r.cents / 100, currency } });
  }
  // Stable: events at the same instant keep the order above (created before its payment, …).
  return out.sort((a, b) => a.t - b.t);
}
