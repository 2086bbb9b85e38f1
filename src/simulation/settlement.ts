/**
 * Money after the order: when a payment falls due and is paid (card at checkout, bank
 * transfer within days, cash on delivery, company invoices on net terms or in one monthly
 * bulk payment), late and overdue payments, and the refund an order may lead to (after a
 * cancellation or a failed delivery, or a customer's return with its approval workflow).
 *
 * A plan, not records: it draws everything from the order's own stream in a fixed order,
 * whatever the branch, so it is a pure function of the order and its timeline, and causal
 * like the timeline (see lifecycle.ts).
 */
import { logNormal } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import type { Timeline } from './lifecycle.js';
import type { OrderDraft } from './orders.js';
import { DAY_MS, HOUR_MS, localDate } from './time.js';
import type { World } from './world.js';

const TERMS_DAYS = { prepaid: 0, net_15: 15, net_30: 30, net_60: 60 } as const;

export type RefundKind = 'order_cancelled' | 'delivery_failed' | 'customer_return';

export interface RefundPlan {
  refundId: string;
  kind: RefundKind;
  requestedAt: number;
  resolvedAt: number;
  cents: number;
  reason: string;
  approved: boolean;
  managerId: string;
  rejectionReason: string;
  /** Lines whose goods come back to the shelf when a customer's return is approved. */
  returnedLines: number[];
}

export interface SettlementPlan {
  paymentId: string;
  dueAt: number;
  /** When the payment is made; null if never (voided, overdue for good, not yet invoiced). */
  paidAt: number | null;
  batchId: string | null;
  voided: boolean;
  /** A day past due and still unpaid: when payment.overdue fires, or null. */
  overdueAt: number | null;
  /** The injected anomaly this payment shows, for the ground-truth labels. */
  anomaly: { kind: 'overdue_payment' | 'payment_delay'; detail: string } | null;
  /** Whom a payment received by hand (transfer, bulk, cash) is recorded by. */
  clerkId: string;
  recordedByHand: boolean;
  refund: RefundPlan | null;
}

/** The company's statement day on or after `t` (10:00 local). */
function nextCycleDate(world: World, t: number, cycleDay: number): number {
  const offset = world.offset * 60_000;
  const local = new Date(t + offset);
  let due = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), cycleDay, 10) - offset;
  if (due < t) due = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, cycleDay, 10) - offset;
  return due;
}

export function planSettlement(world: World, draft: OrderDraft, tl: Timeline): SettlementPlan {
  const { market } = world;
  const rng = Rng.derive(world.config.seed, 'money', draft.index);
  // Every draw, always, in this order.
  const termsShare = rng.range(0.3, 0.95);
  const transferMs = HOUR_MS + Math.floor(rng.next() * 47 * HOUR_MS);
  const checkoutMs = rng.int(5, 90) * 1000;
  const lateDays = logNormal(rng, 7, 0.6);
  const salesClerk = rng.pick(world.dims.usersByRole.sales.length ? world.dims.usersByRole.sales : world.dims.users).user_id;
  const returnAfterMs = rng.int(1, 14) * DAY_MS + Math.floor(rng.next() * DAY_MS);
  const wholeReturn = rng.chance(0.4);
  const approveReturn = rng.chance(world.scenario.refunds.approvalRate);
  const returnReason = rng.pick(market.orders.refundReasons);
  const resolveMs = HOUR_MS + Math.floor(rng.next() * 4 * DAY_MS);
  const managers = world.dims.usersByRole.manager.length ? world.dims.usersByRole.manager : world.dims.usersByRole.admin;
  const managerId = rng.pick(managers.length ? managers : world.dims.users).user_id;
  const rejectionReason = rng.pick(market.orders.refundRejectionReasons);

  const digits = draft.id.slice(4);
  const company = draft.company;
  const closedAt = tl.cancelledAt ?? tl.failedAt;
  let dueAt: number;
  let paidAt: number | null;
  let batchId: string | null = null;
  const onDelivery = market.orders.payOnDeliveryMethods.includes(draft.method);

  if (onDelivery) {
    dueAt = tl.deliveredAt ?? tl.expectedMs;
    paidAt = tl.deliveredAt;
  } else if (company && company.payment_terms !== 'prepaid') {
    const invoiceAt = tl.shippedAt ?? draft.t0;
    dueAt = invoiceAt + TERMS_DAYS[company.payment_terms] * DAY_MS;
    if (company.payment_cycle === 'monthly' && company.payment_cycle_day) {
      dueAt = nextCycleDate(world, dueAt, company.payment_cycle_day);
      paidAt = dueAt;
      batchId = `BATCH-${company.company_id}-${localDate(dueAt, world.offset).slice(0, 7).replace('-', '')}`;
    } else {
      paidAt = invoiceAt + Math.floor(termsShare * (dueAt - invoiceAt));
    }
    if (tl.shippedAt === null) paidAt = null; // never invoiced (yet)
  } else if (draft.method === 'bank_transfer') {
    dueAt = draft.t0 + 3 * DAY_MS;
    paidAt = draft.t0 + transferMs;
  } else {
    dueAt = draft.t0;
    paidAt = draft.t0 + checkoutMs;
  }

  let anomaly: SettlementPlan['anomaly'] = null;
  if (draft.overdue && paidAt !== null) {
    paidAt = null;
    anomaly = { kind: 'overdue_payment', detail: 'unpaid past due date' };
  } else if (draft.anomaly === 'payment_delay' && paidAt !== null) {
    paidAt = dueAt + Math.max(DAY_MS, Math.round(lateDays * DAY_MS));
    anomaly = { kind: 'payment_delay', detail: `paid ${Math.floor((paidAt - dueAt) / DAY_MS)} days late` };
  }
  if (anomaly) batchId = null;
  // An order closed before it was paid is never paid.
  const voided = closedAt !== null && (paidAt === null || paidAt > closedAt);
  if (voided) {
    paidAt = null;
    batchId = null;
    if (anomaly?.kind === 'payment_delay') anomaly = null;
  }
  // Overdue is a moment: a day past a due date that is fixed (invoiced, delivered for cash on
  // delivery), still unpaid and not closed by then — whatever happens later.
  const fixedDue = onDelivery ? tl.deliveredAt !== null : company && company.payment_terms !== 'prepaid' ? tl.shippedAt !== null : true;
  const overdueAt = fixedDue && (paidAt === null || paidAt > dueAt + DAY_MS) && (closedAt === null || dueAt + DAY_MS < closedAt) ? dueAt + DAY_MS : null;
  if (anomaly?.kind === 'overdue_payment' && overdueAt === null) anomaly = null;

  const refundOf = (kind: RefundKind, requestedAt: number, cents: number, reason: string, approved: boolean, returnedLines: number[]): RefundPlan => ({
    refundId: `RFD-${digits}`,
    kind,
    requestedAt,
    resolvedAt: requestedAt + resolveMs,
    cents,
    reason,
    approved,
    managerId,
    rejectionReason,
    returnedLines,
  });
  let refund: RefundPlan | null = null;
  if (paidAt !== null && tl.cancelledAt !== null) refund = refundOf('order_cancelled', tl.cancelledAt + 10 * 60_000, draft.totalCents, 'order_cancelled', true, []);
  else if (paidAt !== null && tl.failedAt !== null) refund = refundOf('delivery_failed', tl.failedAt + HOUR_MS, draft.totalCents, 'delivery_failed', true, []);
  else if (draft.anomaly === 'refund' && tl.deliveredAt !== null && paidAt !== null) {
    // A return is requested after delivery, and refunded only once there is a payment to refund.
    const requestedAt = Math.max(tl.deliveredAt + returnAfterMs, paidAt + HOUR_MS);
    const whole = wholeReturn || draft.lines.length === 1;
    let biggest = 0;
    draft.lines.forEach((l, i) => {
      const b = draft.lines[biggest];
      if (l.lineCents - l.discountCents > b.lineCents - b.discountCents) biggest = i;
    });
    const line = draft.lines[biggest];
    const cents = whole ? draft.totalCents : Math.min(draft.totalCents, line.lineCents - line.discountCents);
    refund = refundOf('customer_return', requestedAt, cents, returnReason, approveReturn, whole ? draft.lines.map((_, i) => i) : [biggest]);
  }

  return {
    paymentId: `PAY-${digits}`,
    dueAt,
    paidAt,
    batchId,
    voided,
    overdueAt,
    anomaly,
    clerkId: company ? company.account_manager_id : salesClerk,
    recordedByHand: draft.method === 'bank_transfer' || batchId !== null || onDelivery,
    refund,
  };
}
