/**
 * Money after the order: when a payment falls due and is paid (card at checkout, bank
 * transfer within days, cash on delivery, company invoices on net terms or in one monthly
 * bulk payment), late and overdue payments, and refunds with their approval workflow.
 */
import type { PaymentRecord, RefundRecord } from '../domain/entities.js';
import { logNormal } from '../random/distributions.js';
import type { Rng } from '../random/rng.js';
import type { DayContext } from './day-context.js';
import type { Timeline } from './lifecycle.js';
import type { OrderDraft } from './orders.js';
import { DAY_MS, HOUR_MS, iso, localDate } from './time.js';

const TERMS_DAYS = { prepaid: 0, net_15: 15, net_30: 30, net_60: 60 } as const;

/** The company's statement day on or after `t` (10:00 local). */
function nextCycleDate(ctx: DayContext, t: number, cycleDay: number): number {
  const offset = ctx.world.offset * 60_000;
  const local = new Date(t + offset);
  let due = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), cycleDay, 10) - offset;
  if (due < t) due = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, cycleDay, 10) - offset;
  return due;
}

export interface Settlement {
  payment: PaymentRecord;
  /** When the payment is made, even if after the as-of cut (decisions must not depend on the cut); null if never. */
  paidAt: number | null;
}

export function settle(ctx: DayContext, draft: OrderDraft, tl: Timeline, rng: Rng): Settlement {
  const { world } = ctx;
  const digits = draft.id.slice(4);
  const company = draft.company;
  const closedAt = tl.cancelledAt ?? tl.failedAt;
  let dueAt: number;
  let paidAt: number | null;
  let batchId: string | null = null;

  if (world.market.orders.payOnDeliveryMethods.includes(draft.method)) {
    dueAt = tl.deliveredAt ?? tl.expectedMs;
    paidAt = tl.deliveredAt;
  } else if (company && company.payment_terms !== 'prepaid') {
    const invoiceAt = tl.shippedAt ?? draft.t0;
    dueAt = invoiceAt + TERMS_DAYS[company.payment_terms] * DAY_MS;
    if (company.payment_cycle === 'monthly' && company.payment_cycle_day) {
      dueAt = nextCycleDate(ctx, dueAt, company.payment_cycle_day);
      paidAt = dueAt;
      batchId = `BATCH-${company.company_id}-${localDate(dueAt, world.offset).slice(0, 7).replace('-', '')}`;
    } else {
      paidAt = invoiceAt + Math.floor(rng.range(0.3, 0.95) * (dueAt - invoiceAt));
    }
    if (tl.shippedAt === null) paidAt = null; // never invoiced
  } else if (draft.method === 'bank_transfer') {
    dueAt = draft.t0 + 3 * DAY_MS;
    paidAt = draft.t0 + HOUR_MS + Math.floor(rng.next() * 47 * HOUR_MS);
  } else {
    dueAt = draft.t0;
    paidAt = draft.t0 + rng.int(5, 90) * 1000;
  }

  // An order closed before it was paid is never paid.
  const voided = closedAt !== null && (paidAt === null || paidAt > closedAt);
  if (voided) paidAt = null;
  else if (draft.overdue && paidAt !== null) {
    paidAt = null;
    batchId = null;
    ctx.label('overdue_payment', 'payments', `PAY-${digits}`, dueAt + DAY_MS, 'injected', draft.id, 'unpaid past due date');
  } else if (draft.anomaly === 'payment_delay' && paidAt !== null) {
    paidAt = dueAt + Math.max(DAY_MS, Math.round(logNormal(rng, 7, 0.6) * DAY_MS));
    batchId = null;
    ctx.label('payment_delay', 'payments', `PAY-${digits}`, dueAt + DAY_MS, 'injected', draft.id, `paid ${Math.floor((paidAt - dueAt) / DAY_MS)} days late`);
  }

  const asOf = world.asOfMs;
  const paidByNow = paidAt !== null && paidAt < asOf;
  const status: PaymentRecord['status'] = paidByNow ? 'paid' : voided ? 'void' : dueAt + DAY_MS <= asOf ? 'overdue' : 'pending';
  const lateMs = paidByNow ? paidAt! - dueAt : status === 'overdue' ? asOf - dueAt : 0;
  const payment: PaymentRecord = {
    payment_id: `PAY-${digits}`,
    order_id: draft.id,
    customer_id: draft.customer.customer_id,
    company_id: draft.customer.company_id,
    method: draft.method as PaymentRecord['method'],
    amount: draft.totalCents / 100,
    currency: world.market.currency,
    status,
    due_at: iso(dueAt),
    paid_at: paidByNow ? iso(paidAt!) : null,
    days_late: Math.max(0, Math.floor(lateMs / DAY_MS)),
    batch_id: paidByNow ? batchId : null,
  };
  // Overdue is a moment: a day past due and still unpaid, whether or not payment comes later.
  if (!voided && (paidAt === null || paidAt > dueAt + DAY_MS)) {
    ctx.emit(dueAt + DAY_MS, 'payment.overdue', { payment_id: payment.payment_id, order_id: draft.id, amount: payment.amount, due_at: payment.due_at });
  }
  const clerk = company ? company.account_manager_id : rng.pick(world.dims.usersByRole.sales).user_id; // drawn whatever the cut
  if (paidAt !== null) {
    // Emitted and audited at payment time; both drop out by themselves if that is after the cut.
    ctx.emit(paidAt, 'payment.completed', { payment_id: payment.payment_id, order_id: draft.id, amount: payment.amount, method: draft.method, batch_id: batchId });
    if (draft.method === 'bank_transfer' || batchId || world.market.orders.payOnDeliveryMethods.includes(draft.method)) {
      ctx.audit(paidAt, { type: 'user', userId: clerk }, 'payment.recorded', 'payments', payment.payment_id, { amount: payment.amount, batch_id: batchId });
    }
  }
  ctx.records.payments.push(payment);
  return { payment, paidAt };
}

/**
 * A refund request: approved by a manager or rejected with a reason. Everything about it is
 * decided whatever the as-of cut (so a later --to never renumbers earlier records); the
 * record shows it as of the cut: absent, pending, or resolved.
 */
export function refund(
  ctx: DayContext,
  draft: OrderDraft,
  payment: PaymentRecord,
  requestedAt: number,
  cents: number,
  reason: string,
  approve: boolean,
  rng: Rng,
): { refundId: string; record: RefundRecord | null; approvedAt: number | null } {
  const { world } = ctx;
  const refundId = `RFD-${draft.id.slice(4)}`;
  const resolvedAt = requestedAt + HOUR_MS + Math.floor(rng.next() * 4 * DAY_MS);
  const manager = rng.pick(world.dims.usersByRole.manager.length ? world.dims.usersByRole.manager : world.dims.usersByRole.admin);
  const rejectionReason = rng.pick(world.market.orders.refundRejectionReasons);
  const outcome = approve ? 'approved' : 'rejected';
  ctx.emit(requestedAt, 'refund.requested', { refund_id: refundId, order_id: draft.id, amount: cents / 100, reason });
  ctx.emit(resolvedAt, 'refund.resolved', { refund_id: refundId, order_id: draft.id, status: outcome, amount: cents / 100 });
  ctx.audit(resolvedAt, { type: 'user', userId: manager.user_id }, approve ? 'refund.approved' : 'refund.rejected', 'refunds', refundId, {
    amount: cents / 100,
    reason: approve ? reason : rejectionReason,
  });
  const approvedAt = approve ? resolvedAt : null;
  if (!ctx.happened(requestedAt)) return { refundId, record: null, approvedAt };
  const resolved = ctx.happened(resolvedAt);
  const record: RefundRecord = {
    refund_id: refundId,
    order_id: draft.id,
    payment_id: payment.payment_id,
    amount: cents / 100,
    reason,
    status: resolved ? outcome : 'pending',
    requested_at: iso(requestedAt),
    resolved_at: resolved ? iso(resolvedAt) : null,
    resolved_by: resolved ? manager.user_id : null,
    rejection_reason: resolved && !approve ? rejectionReason : null,
  };
  ctx.records.refunds.push(record);
  return { refundId, record, approvedAt };
}
