/**
 * A simulated day written down: the rows its orders became (as of the dataset's "now"),
 * the inventory movements that happened on it, its maintenance visits and logins, the
 * audit trail, the ground-truth anomaly labels and (optionally) its events. Anything
 * stamped at or after the as-of instant has not happened yet and is left out, here, in one
 * place. A day depends only on the World, its plan, its orders' plans and its movements,
 * so any worker can write any day and get the same bytes.
 */
import type { AnomalyKind, AnomalyLabel } from '../domain/anomalies.js';
import type { Entities, FactEntity, InventoryMovementRecord } from '../domain/entities.js';
import { Rng } from '../random/rng.js';
import type { DayPlan } from './arrivals.js';
import { orderId } from './ids.js';
import { movementId, type Movement } from './ledger.js';
import { simulateVisits } from './maintenance.js';
import { orderEvents, type TimedEvent } from './order-events.js';
import type { PlannedOrder } from './order-plan.js';
import { orderItemRecordsOf, orderRecordOf } from './orders.js';
import { movementEvent } from './stock-signals.js';
import { DAY_MS, HOUR_MS, iso, localWeekday } from './time.js';
import type { World } from './world.js';

export type FactRecords = { [K in FactEntity]: Entities[K][] };

/** IP addresses from the documentation ranges (RFC 5737): never a real host. */
const IP_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'];

export class DayContext {
  readonly records: FactRecords = {
    orders: [],
    order_items: [],
    inventory_movements: [],
    shipments: [],
    payments: [],
    discounts: [],
    refunds: [],
    maintenance_visits: [],
    audit_logs: [],
  };
  readonly anomalies: AnomalyLabel[] = [];
  readonly events: TimedEvent[] | null;
  readonly ymd: string;
  private auditSeq = 0;

  constructor(
    readonly world: World,
    readonly plan: DayPlan,
    withEvents: boolean,
  ) {
    this.events = withEvents ? [] : null;
    this.ymd = plan.date.replaceAll('-', '');
  }

  stream(name: string): Rng {
    return Rng.derive(this.world.config.seed, name, this.plan.index);
  }

  happened(t: number): boolean {
    return t < this.world.asOfMs;
  }

  /**
   * An audit entry. Entries about an order are numbered within the order (`orderSeq`), the
   * day's others within the day (even when cut off), so no id depends on --to or on how
   * another order's stock turned out.
   */
  audit(
    t: number,
    actor: { type: 'user' | 'customer' | 'system'; userId: string | null; ip?: string | null },
    action: string,
    entityType: string,
    entityId: string,
    details: Record<string, string | number | boolean | null>,
    orderSeq?: { digits: string; n: number },
  ): void {
    const id = orderSeq ? `AUD-${orderSeq.digits}-${String(orderSeq.n).padStart(2, '0')}` : `AUD-${this.ymd}-${String(++this.auditSeq).padStart(6, '0')}`;
    if (!this.happened(t)) return;
    this.records.audit_logs.push({
      audit_id: id,
      actor_type: actor.type,
      user_id: actor.userId,
      action,
      entity_type: entityType,
      entity_id: entityId,
      occurred_at: iso(t),
      ip_address: actor.ip ?? null,
      details,
    });
  }

  label(kind: AnomalyKind, entity: string, id: string, t: number, cause: 'injected' | 'emergent', orderId: string | null, detail: string): void {
    if (!this.happened(t)) return;
    this.anomalies.push({ kind, entity, id, time: iso(t), cause, order_id: orderId, detail });
  }

  emit(e: TimedEvent): void {
    if (this.events && this.happened(e.t)) this.events.push(e);
  }
}

export const ipAddress = (rng: Rng): string => `${rng.pick(IP_PREFIXES)}${rng.int(1, 254)}`;

/** The day's own rows that do not come from orders or movements: bursts, visits, logins. */
export function beginDay(world: World, plan: DayPlan, withEvents: boolean): DayContext {
  const ctx = new DayContext(world, plan, withEvents);
  if (plan.burst) {
    const { startHour, hours, factor } = plan.burst;
    ctx.label('order_burst', 'days', plan.date, plan.startMs + startHour * HOUR_MS, 'injected', null, `${factor}× the order rate for ${hours} h from ${startHour}:00 local`);
  } else if (plan.spread) {
    ctx.label('order_spread', 'days', plan.date, plan.startMs, 'injected', null, 'orders spread evenly over all 24 hours');
  }
  return ctx;
}

export function endDay(ctx: DayContext): void {
  simulateVisits(ctx, ctx.stream('maintenance'));
  simulateLogins(ctx, ctx.stream('logins'));
}

/** An inventory movement's row: one builder for batch files and the live simulation's store writes. */
export function renderMovementRecord(world: World, m: Movement): InventoryMovementRecord {
  return {
    movement_id: movementId(m.ymd, m.seq),
    product_id: world.dims.products[m.product].product_id,
    movement_type: m.type,
    quantity: m.qty,
    stock_after: m.after,
    order_id: m.order >= 0 ? orderId(m.order) : null,
    reason: m.reason,
    occurred_at: iso(m.t),
  };
}

/** One inventory movement's row (and its stock.updated event). */
export function renderMovement(ctx: DayContext, m: Movement): void {
  ctx.records.inventory_movements.push(renderMovementRecord(ctx.world, m));
  ctx.emit({ t: m.t, type: 'stock.updated', data: movementEvent(ctx.world, m) });
}

/**
 * One order's rows as of the dataset's now. `waited` marks the lines that had to wait for
 * stock (bit mask).
 */
export function renderOrder(ctx: DayContext, planned: PlannedOrder, waited: number): void {
  const { world } = ctx;
  const { draft: d, timeline: tl, settlement: s, outcome } = planned;
  const digits = d.id.slice(4);
  const history = tl.history.filter((h) => ctx.happened(h.at));
  const status = history[history.length - 1].status;
  const shipped = tl.shippedAt !== null && ctx.happened(tl.shippedAt);
  const order = orderRecordOf(world, d, {
    status,
    history: history.map((h) => ({ status: h.status, at: iso(h.at) })),
    expectedMs: tl.expectedMs,
    deliveredAt: tl.deliveredAt !== null && ctx.happened(tl.deliveredAt) ? iso(tl.deliveredAt) : null,
    trackingNumber: shipped ? tl.tracking : null,
    cancellationReason: status === 'cancelled' ? tl.cancellationReason : null,
    updatedAt: iso(history[history.length - 1].at),
  });
  ctx.records.orders.push(order);
  // A line that waited is still waiting as of now unless its stock came before.
  const stillWaiting = outcome.kind === 'waiting' || (outcome.kind === 'filled' && !ctx.happened(outcome.at)) || (outcome.kind === 'gave_up' && !ctx.happened(outcome.at)) ? waited : 0;
  ctx.records.order_items.push(...orderItemRecordsOf(d, status, stillWaiting));

  d.lines.forEach((l, i) => {
    if (l.discountPct > 0) {
      ctx.records.discounts.push({
        discount_id: `DSC-${digits}-${i + 1}`,
        order_id: d.id,
        order_item_id: `${d.id}-${i + 1}`,
        scope: 'item',
        discount_type: 'percentage',
        code: null,
        value: l.discountPct,
        amount: l.discountCents / 100,
        applied_at: iso(d.t0),
      });
    }
  });
  if (d.orderDiscount) {
    ctx.records.discounts.push({
      discount_id: `DSC-${digits}-0`,
      order_id: d.id,
      order_item_id: null,
      scope: 'order',
      discount_type: d.orderDiscount.type,
      code: d.orderDiscount.code,
      value: d.orderDiscount.value,
      amount: d.orderDiscount.cents / 100,
      applied_at: iso(d.t0),
    });
  }

  if (shipped) {
    const attempts = tl.attempts.filter((a) => ctx.happened(a.at));
    const delivered = order.delivered_at !== null;
    const failed = tl.failedAt !== null && ctx.happened(tl.failedAt);
    const lastFailure = [...attempts].reverse().find((a) => !a.ok);
    ctx.records.shipments.push({
      shipment_id: `SHP-${digits}`,
      order_id: d.id,
      carrier: tl.carrier,
      tracking_number: tl.tracking,
      delivery_region: d.customer.delivery_region,
      status: delivered ? 'delivered' : failed ? 'failed' : 'in_transit',
      shipped_at: iso(tl.shippedAt!),
      expected_delivery: iso(tl.expectedMs),
      delivered_at: order.delivered_at,
      attempts: attempts.length,
      failure_reason: lastFailure?.reason ?? null,
      attempt_log: attempts.map((a) => ({ at: iso(a.at), outcome: a.ok ? 'delivered' : 'failed', reason: a.reason })),
    });
  }

  // The payment as of now: paid, void (closed unpaid), overdue (a day past due), or pending.
  const closedAt = tl.cancelledAt ?? tl.failedAt;
  const paidByNow = s.paidAt !== null && ctx.happened(s.paidAt);
  const paymentStatus = paidByNow ? 'paid' : s.voided && closedAt !== null && ctx.happened(closedAt) ? 'void' : s.overdueAt !== null && ctx.happened(s.overdueAt) ? 'overdue' : 'pending';
  const asOf = world.asOfMs;
  const lateMs = paidByNow ? s.paidAt! - s.dueAt : paymentStatus === 'overdue' ? asOf - s.dueAt : 0;
  const payment = {
    payment_id: s.paymentId,
    order_id: d.id,
    customer_id: d.customer.customer_id,
    company_id: d.customer.company_id,
    method: d.method as Entities['payments']['method'],
    amount: d.totalCents / 100,
    currency: world.market.currency,
    status: paymentStatus,
    due_at: iso(s.dueAt),
    paid_at: paidByNow ? iso(s.paidAt!) : null,
    days_late: Math.max(0, Math.floor(lateMs / DAY_MS)),
    batch_id: paidByNow ? s.batchId : null,
  } satisfies Entities['payments'];
  ctx.records.payments.push(payment);

  const r = s.refund;
  if (r && ctx.happened(r.requestedAt)) {
    const resolved = ctx.happened(r.resolvedAt);
    ctx.records.refunds.push({
      refund_id: r.refundId,
      order_id: d.id,
      payment_id: s.paymentId,
      amount: r.cents / 100,
      reason: r.reason,
      status: resolved ? (r.approved ? 'approved' : 'rejected') : 'pending',
      requested_at: iso(r.requestedAt),
      resolved_at: resolved ? iso(r.resolvedAt) : null,
      resolved_by: resolved ? r.managerId : null,
      rejection_reason: resolved && !r.approved ? r.rejectionReason : null,
    });
  }

  labelOrder(ctx, planned, waited);
  auditOrder(ctx, planned);
  if (ctx.events) for (const e of orderEvents(world, planned)) ctx.emit(e);
}

function labelOrder(ctx: DayContext, planned: PlannedOrder, waited: number): void {
  const { draft: d, timeline: tl, settlement: s } = planned;
  const shipment = `SHP-${d.id.slice(4)}`;
  if (d.anomaly === 'stockout') {
    ctx.label('stockout', 'orders', d.id, d.t0, 'injected', d.id, `${d.lines[0].product.product_id}: picked units damaged and written off`);
  } else if (waited) {
    ctx.label('stockout', 'orders', d.id, d.t0, 'emergent', d.id, 'demand exceeded the stock on hand');
  }
  if (tl.cancelledAt !== null) ctx.label('cancellation', 'orders', d.id, tl.cancelledAt, d.anomaly === 'cancellation' && tl.cancellationReason !== 'out_of_stock' ? 'injected' : 'emergent', d.id, tl.cancellationReason ?? '');
  if (d.anomaly === 'delivery_delay' && tl.shippedAt !== null) ctx.label('delivery_delay', 'shipments', shipment, tl.expectedMs, 'injected', d.id, 'missed the promised date');
  else if (tl.emergentDelay) ctx.label('delivery_delay', 'shipments', shipment, tl.expectedMs, 'emergent', d.id, 'missed the promised date after a backorder');
  if (tl.failedAt !== null) ctx.label('delivery_failure', 'shipments', shipment, tl.failedAt, 'injected', d.id, `${tl.attempts.length} failed attempts`);
  if (s.anomaly) ctx.label(s.anomaly.kind, 'payments', s.paymentId, s.dueAt + DAY_MS, 'injected', d.id, s.anomaly.detail);
  if (s.refund && s.refund.kind === 'customer_return') {
    ctx.label('refund', 'refunds', s.refund.refundId, s.refund.requestedAt, 'injected', d.id, `${s.refund.returnedLines.length === d.lines.length ? 'full' : 'partial'} refund requested`);
  }
}

function auditOrder(ctx: DayContext, planned: PlannedOrder): void {
  const { draft: d, timeline: tl, settlement: s } = planned;
  const { dims } = ctx.world;
  const rng = Rng.derive(ctx.world.config.seed, 'audit', d.index);
  const ip = ipAddress(rng);
  const support = dims.usersByRole.support.length ? dims.usersByRole.support : dims.users;
  const supportId = rng.pick(support).user_id;
  const managers = dims.usersByRole.manager.length ? dims.usersByRole.manager : dims.users;
  const managerId = rng.pick(managers).user_id;

  const digits = d.id.slice(4);
  const creator = d.company ? { type: 'user' as const, userId: d.company.account_manager_id } : { type: 'customer' as const, userId: null, ip };
  ctx.audit(d.t0, creator, 'order.created', 'orders', d.id, { total_amount: d.totalCents / 100, items: d.lines.length }, { digits, n: 1 });
  if (d.anomaly === 'stockout') {
    ctx.audit(d.t0, { type: 'user', userId: managerId }, 'inventory.adjusted', 'products', d.lines[0].product.product_id, { reason: 'damaged_on_pick', order_id: d.id }, { digits, n: 2 });
  }
  if (tl.cancelledAt !== null) ctx.audit(tl.cancelledAt, { type: 'user', userId: supportId }, 'order.cancelled', 'orders', d.id, { reason: tl.cancellationReason }, { digits, n: 3 });
  if (tl.failedAt !== null) ctx.audit(tl.failedAt, { type: 'user', userId: supportId }, 'order.failed', 'orders', d.id, { attempts: tl.attempts.length }, { digits, n: 4 });
  if (s.paidAt !== null && s.recordedByHand) {
    ctx.audit(s.paidAt, { type: 'user', userId: s.clerkId }, 'payment.recorded', 'payments', s.paymentId, { amount: d.totalCents / 100, batch_id: s.batchId }, { digits, n: 5 });
  }
  const r = s.refund;
  if (r) {
    ctx.audit(
      r.resolvedAt,
      { type: 'user', userId: r.managerId },
      r.approved ? 'refund.approved' : 'refund.rejected',
      'refunds',
      r.refundId,
      { amount: r.cents / 100, reason: r.approved ? r.reason : r.rejectionReason },
      { digits, n: 6 },
    );
  }
}

function simulateLogins(ctx: DayContext, rng: Rng): void {
  const { world, plan } = ctx;
  const weight = world.weekdayWeights[localWeekday(plan.startMs, world.offset)];
  const p = Math.min(1, 0.8 * weight);
  for (const u of world.dims.users) {
    if (!u.active || !rng.chance(p)) continue;
    const at = plan.startMs + 8 * HOUR_MS + Math.floor(rng.next() * 2.5 * HOUR_MS);
    ctx.audit(at, { type: 'user', userId: u.user_id, ip: ipAddress(rng) }, 'user.login', 'users', u.user_id, {});
  }
}

