/**
 * One simulated day, the unit of work: orders arrive and reserve stock, the warehouse is
 * replenished overnight, and each order then lives out its timeline (which may run weeks
 * past the day), producing every fact record it causes. A day depends only on the World
 * and its DayPlan, so any worker can simulate any day and get the same bytes.
 */
import type { OrderRecord, OrderStatus } from '../domain/entities.js';
import type { Rng } from '../random/rng.js';
import { DayContext } from './day-context.js';
import { planTimeline, type Timeline } from './lifecycle.js';
import { simulateVisits } from './maintenance.js';
import { draftOrders, orderItemRecordsOf, orderRecordOf, type OrderDraft } from './orders.js';
import { refund, settle } from './settlement.js';
import { StockLedger } from './stock.js';
import { DAY_MS, HOUR_MS, iso, localWeekday } from './time.js';
import type { DayPlan, World } from './world.js';

export function simulateDay(world: World, plan: DayPlan, withEvents: boolean): DayContext {
  const ctx = new DayContext(world, plan, withEvents);
  if (plan.burst) {
    const { startHour, hours, factor } = plan.burst;
    ctx.label('order_burst', 'days', plan.date, plan.startMs + startHour * HOUR_MS, 'injected', null, `${factor}× the order rate for ${hours} h from ${startHour}:00 local`);
  } else if (plan.spread) {
    ctx.label('order_spread', 'days', plan.date, plan.startMs, 'injected', null, 'orders spread evenly over all 24 hours');
  }
  const drafts = draftOrders(world, plan, ctx.stream('orders'));
  const ledger = new StockLedger(ctx);
  const admin = ctx.stream('stock');
  for (const d of drafts) reserveStock(ctx, ledger, d, admin);
  const life = ctx.stream('lifecycle');
  const timelines = drafts.map((d) => planTimeline(world, d, plan.startMs, life, world.scenario.lifecycle));
  // The night's replenishment fills the backorders of orders that were not cancelled meanwhile.
  const cancelled = new Set(drafts.filter((_, i) => timelines[i].cancelledAt !== null).map((d) => d.id));
  ledger.closeDay(plan.startMs + DAY_MS - 1000, cancelled);

  const money = ctx.stream('payments');
  drafts.forEach((d, i) => recordOrder(ctx, ledger, d, timelines[i], life, money));
  simulateVisits(ctx, ctx.stream('maintenance'));
  simulateLogins(ctx, ctx.stream('logins'));
  return ctx;
}

function reserveStock(ctx: DayContext, ledger: StockLedger, d: OrderDraft, rng: Rng): void {
  let emergent = false;
  d.lines.forEach((line, k) => {
    if (k === 0 && d.anomaly === 'stockout') {
      const at = Math.max(ctx.plan.startMs, d.t0 - 1000); // never before the day: the event merge relies on it
      ledger.failPick(line.productIndex, line.quantity, at, d.id);
      line.backordered = true;
      const manager = rng.pick(ctx.world.dims.usersByRole.manager.length ? ctx.world.dims.usersByRole.manager : ctx.world.dims.users);
      ctx.audit(at, { type: 'user', userId: manager.user_id }, 'inventory.adjusted', 'products', line.product.product_id, { reason: 'damaged_on_pick', order_id: d.id });
      ctx.label('stockout', 'orders', d.id, d.t0, 'injected', d.id, `${line.product.product_id} unavailable: picked units damaged`);
      return;
    }
    line.backordered = !ledger.allocate(line.productIndex, line.quantity, d.t0, d.id);
    emergent ||= line.backordered;
  });
  if (emergent && d.anomaly !== 'stockout') ctx.label('stockout', 'orders', d.id, d.t0, 'emergent', d.id, "demand exceeded the day's stock");
}

const ORDER_EVENT: Partial<Record<OrderStatus, 'order.created' | 'order.cancelled' | 'order.delivered'>> = {
  pending: 'order.created',
  cancelled: 'order.cancelled',
  delivered: 'order.delivered',
};

function recordOrder(ctx: DayContext, ledger: StockLedger, d: OrderDraft, tl: Timeline, life: Rng, money: Rng): void {
  const { world } = ctx;
  const { market } = world;
  const digits = d.id.slice(4);
  const history = tl.history.filter((h) => ctx.happened(h.at));
  const status = history[history.length - 1].status;
  const shipped = tl.shippedAt !== null && ctx.happened(tl.shippedAt);
  const tracking = life.digits(market.orders.trackingPattern);
  const carrier = life.pick(market.orders.carriers);
  const first = d.lines[0];
  const c = d.customer;
  const order = orderRecordOf(world, d, {
    status,
    history: history.map((h) => ({ status: h.status, at: iso(h.at) })),
    expectedMs: tl.expectedMs,
    deliveredAt: tl.deliveredAt !== null && ctx.happened(tl.deliveredAt) ? iso(tl.deliveredAt) : null,
    trackingNumber: shipped ? tracking : null,
    cancellationReason: status === 'cancelled' ? tl.cancellationReason : null,
    updatedAt: iso(history[history.length - 1].at),
  });
  ctx.records.orders.push(order);
  ctx.records.order_items.push(...orderItemRecordsOf(d, status));

  d.lines.forEach((l, i) => {
    const itemId = `${d.id}-${i + 1}`;
    if (l.discountPct > 0) {
      ctx.records.discounts.push({
        discount_id: `DSC-${digits}-${i + 1}`,
        order_id: d.id,
        order_item_id: itemId,
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
      carrier,
      tracking_number: tracking,
      delivery_region: c.delivery_region,
      status: delivered ? 'delivered' : failed ? 'failed' : 'in_transit',
      shipped_at: iso(tl.shippedAt!),
      expected_delivery: iso(tl.expectedMs),
      delivered_at: order.delivered_at,
      attempts: attempts.length,
      failure_reason: lastFailure?.reason ?? null,
      attempt_log: attempts.map((a) => ({ at: iso(a.at), outcome: a.ok ? 'delivered' : 'failed', reason: a.reason })),
    });
    for (const a of attempts) if (!a.ok) ctx.emit(a.at, 'shipment.failed', { order_id: d.id, tracking_number: tracking, reason: a.reason });
  }

  labelTimeline(ctx, d, tl);
  auditOrder(ctx, d, tl, life);
  if (ctx.events) emitOrderEvents(ctx, order, tl);

  const { payment, paidAt } = settle(ctx, d, tl, money);
  const allocated = d.lines.filter((l) => !l.backordered);
  if (tl.cancelledAt !== null) {
    for (const l of allocated) ledger.recordReturn(l.product.product_id, l.quantity, tl.cancelledAt, d.id, 'order_cancelled');
    if (paidAt !== null) refund(ctx, d, payment, tl.cancelledAt + 10 * 60_000, d.totalCents, 'order_cancelled', true, money);
  }
  if (tl.failedAt !== null) {
    for (const l of d.lines) ledger.recordReturn(l.product.product_id, l.quantity, tl.failedAt + DAY_MS, d.id, 'delivery_failed');
    if (paidAt !== null) refund(ctx, d, payment, tl.failedAt + HOUR_MS, d.totalCents, 'delivery_failed', true, money);
  }
  if (d.anomaly === 'refund' && tl.deliveredAt !== null && paidAt !== null) {
    // A return is requested after delivery, and refunded only once there is a payment to refund.
    const requestedAt = Math.max(tl.deliveredAt + money.int(1, 14) * DAY_MS + Math.floor(money.next() * DAY_MS), paidAt + HOUR_MS);
    const whole = money.chance(0.4) || d.lines.length === 1;
    const line = d.lines.reduce((a, b) => (b.lineCents - b.discountCents > a.lineCents - a.discountCents ? b : a));
    const cents = whole ? d.totalCents : Math.min(d.totalCents, line.lineCents - line.discountCents);
    const approve = money.chance(world.scenario.refunds.approvalRate);
    const result = refund(ctx, d, payment, requestedAt, cents, money.pick(market.orders.refundReasons), approve, money);
    ctx.label('refund', 'refunds', result.refundId, requestedAt, 'injected', d.id, `${whole ? 'full' : 'partial'} refund requested`);
    if (result.approvedAt !== null) {
      for (const l of whole ? d.lines : [line]) ledger.recordReturn(l.product.product_id, l.quantity, result.approvedAt, d.id, 'customer_return');
    }
  }
}

function labelTimeline(ctx: DayContext, d: OrderDraft, tl: Timeline): void {
  if (d.anomaly === 'cancellation' && tl.cancelledAt !== null) {
    ctx.label('cancellation', 'orders', d.id, tl.cancelledAt, 'injected', d.id, tl.cancellationReason ?? '');
  } else if (tl.cancelledAt !== null) {
    ctx.label('cancellation', 'orders', d.id, tl.cancelledAt, 'emergent', d.id, tl.cancellationReason ?? '');
  }
  if (d.anomaly === 'delivery_delay') ctx.label('delivery_delay', 'shipments', `SHP-${d.id.slice(4)}`, tl.expectedMs, 'injected', d.id, 'missed the promised date');
  else if (tl.emergentDelay) ctx.label('delivery_delay', 'shipments', `SHP-${d.id.slice(4)}`, tl.expectedMs, 'emergent', d.id, 'missed the promised date after a backorder');
  if (tl.failedAt !== null) ctx.label('delivery_failure', 'shipments', `SHP-${d.id.slice(4)}`, tl.failedAt, 'injected', d.id, `${tl.attempts.length} failed attempts`);
}

function auditOrder(ctx: DayContext, d: OrderDraft, tl: Timeline, rng: Rng): void {
  const { dims } = ctx.world;
  const creator = d.company
    ? { type: 'user' as const, userId: d.company.account_manager_id }
    : { type: 'customer' as const, userId: null, ip: ctx.ip(rng) };
  ctx.audit(d.t0, creator, 'order.created', 'orders', d.id, { total_amount: d.totalCents / 100, items: d.lines.length });
  const support = dims.usersByRole.support.length ? dims.usersByRole.support : dims.users;
  if (tl.cancelledAt !== null) {
    ctx.audit(tl.cancelledAt, { type: 'user', userId: rng.pick(support).user_id }, 'order.cancelled', 'orders', d.id, { reason: tl.cancellationReason });
  }
  if (tl.failedAt !== null) ctx.audit(tl.failedAt, { type: 'user', userId: rng.pick(support).user_id }, 'order.failed', 'orders', d.id, { attempts: tl.attempts.length });
}

function emitOrderEvents(ctx: DayContext, order: OrderRecord, tl: Timeline): void {
  const sale = {
    order_id: order.order_id,
    product_id: order.product_id,
    product_name: order.product_name,
    quantity: order.quantity,
    price: order.price,
    total: order.total,
    customer_id: order.customer_id,
    customer_email: order.customer_email,
    payment_method: order.payment_method,
    shipping_address: order.shipping_address,
    total_amount: order.total_amount,
    pattern_type: order.pattern_type,
    priority: order.priority,
  };
  for (const h of tl.history) {
    const type = ORDER_EVENT[h.status] ?? 'order.updated';
    const extra = h.status === 'cancelled' ? { reason: tl.cancellationReason } : h.status === 'delivered' ? { delivery_date: iso(h.at) } : {};
    ctx.emit(h.at, type, { ...sale, timestamp: iso(h.at), status: h.status, ...extra });
  }
}

function simulateLogins(ctx: DayContext, rng: Rng): void {
  const { world, plan } = ctx;
  const weight = world.weekdayWeights[localWeekday(plan.startMs, world.offset)];
  const p = Math.min(1, 0.8 * weight);
  for (const u of world.dims.users) {
    if (!u.active || !rng.chance(p)) continue;
    const at = plan.startMs + 8 * HOUR_MS + Math.floor(rng.next() * 2.5 * HOUR_MS);
    ctx.audit(at, { type: 'user', userId: u.user_id, ip: ctx.ip(rng) }, 'user.login', 'users', u.user_id, {});
  }
}
