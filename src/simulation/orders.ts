/**
 * Order arrivals for one day: when each order arrives (hour-of-day curve, bursts, spread
 * days), which pattern it follows (spec 000), who places it, what it contains (Zipf
 * popularity) and whether the scenario injects an anomaly into it.
 */
import type { OrderAnomalyKind } from '../domain/anomalies.js';
import type { CompanyRecord, CustomerRecord, PatternName, ProductRecord } from '../domain/entities.js';
import type { AliasTable } from '../random/distributions.js';
import type { Rng } from '../random/rng.js';
import { orderId } from './ids.js';
import { DAY_MS, HOUR_MS, toCents } from './time.js';
import type { DayPlan, World } from './world.js';

export interface DraftLine {
  productIndex: number;
  product: ProductRecord;
  quantity: number;
  /** All money in integer cents until it is written out. */
  unitCents: number;
  lineCents: number;
  discountCents: number;
  discountPct: number;
  backordered: boolean;
}

export interface OrderDraft {
  id: string;
  t0: number;
  pattern: PatternName;
  customer: CustomerRecord;
  company: CompanyRecord | null;
  method: string;
  lines: DraftLine[];
  subtotalCents: number;
  orderDiscount: { type: 'percentage' | 'fixed'; code: string | null; value: number; cents: number } | null;
  totalCents: number;
  anomaly: OrderAnomalyKind | null;
  overdue: boolean;
}

function arrivalTimes(world: World, plan: DayPlan, rng: Rng): Float64Array {
  const times = new Float64Array(plan.count);
  const burst = plan.burst;
  let burstShare = 0;
  if (burst) {
    const window = world.hourWeights.slice(burst.startHour, burst.startHour + burst.hours).reduce((a, b) => a + b, 0) / 24;
    burstShare = ((burst.factor - 1) * window) / (1 + (burst.factor - 1) * window);
  }
  for (let i = 0; i < plan.count; i++) {
    if (plan.spread) times[i] = plan.startMs + Math.floor(rng.next() * DAY_MS);
    else {
      const hour = burst && rng.next() < burstShare ? burst.startHour + Math.floor(rng.next() * burst.hours) : world.hours.sample(rng);
      times[i] = plan.startMs + hour * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
    }
  }
  return times.sort();
}

function pickCustomer(world: World, pattern: PatternName, rng: Rng): CustomerRecord {
  const customers = world.dims.customers;
  if (pattern === 'premium_orders' && world.vipCustomers) return customers[world.vipCustomers.sample(rng)];
  const b2b = world.b2bCustomers && (!world.b2cCustomers || rng.chance(world.market.customers.b2bOrderShare));
  const pool = b2b ? world.b2bCustomers! : world.b2cCustomers!;
  return customers[pool.sample(rng)];
}

export function draftOrders(world: World, plan: DayPlan, rng: Rng): OrderDraft[] {
  const times = arrivalTimes(world, plan, rng);
  const drafts: OrderDraft[] = new Array(plan.count);
  for (let i = 0; i < plan.count; i++) drafts[i] = draftOrder(world, rng, orderId(plan.orderOffset + i), times[i], world.patterns);
  return drafts;
}

/**
 * One order: its pattern (from `patterns`, which live mode may change at run time), the
 * customer, Zipf-popular lines, discounts and any injected anomaly. Batch and live share it.
 */
export function draftOrder(world: World, rng: Rng, id: string, t0: number, patterns: AliasTable<PatternName>): OrderDraft {
  const { market, scenario, dims } = world;
  const [qMin, qMax] = market.orders.quantity;
  const [bMin, bMax] = market.orders.bulkQuantityFactor;
  // Overdue payments and order anomalies never share an order, so both rates hold exactly.
  const overdueGivenNoAnomaly = Math.min(1, scenario.overduePaymentRate / Math.max(1e-9, 1 - scenario.anomalyRate));
  const pattern = patterns.sample(rng);
  const customer = pickCustomer(world, pattern, rng);
  const nLines = Math.min(world.linesPerOrder.sample(rng), dims.products.length);
  const lines: DraftLine[] = [];
  let subtotal = 0;
  for (let l = 0; l < nLines; l++) {
    let idx = world.products.index(rng);
    for (let retry = 0; retry < 8 && lines.some((x) => x.productIndex === idx); retry++) idx = world.products.index(rng);
    if (lines.some((x) => x.productIndex === idx)) continue;
    const product = dims.products[idx];
    const quantity = rng.int(qMin, qMax) * (pattern === 'bulk_orders' ? rng.int(bMin, bMax) : 1);
    const unitCents = toCents(product.unit_price);
    const lineCents = quantity * unitCents;
    const discountPct = rng.chance(scenario.discounts.itemRate) ? rng.int(5, 20) : 0;
    const discountCents = Math.round((lineCents * discountPct) / 100);
    subtotal += lineCents - discountCents;
    lines.push({ productIndex: idx, product, quantity, unitCents, lineCents, discountCents, discountPct, backordered: false });
  }
  const orderRate = pattern === 'premium_orders' ? Math.min(1, scenario.discounts.orderRate * 2) : scenario.discounts.orderRate;
  let orderDiscount: OrderDraft['orderDiscount'] = null;
  if (rng.chance(orderRate)) {
    const code = rng.chance(0.7) ? rng.pick(market.orders.discountCodes) : null;
    if (rng.chance(0.75)) {
      const pct = rng.int(5, 15);
      orderDiscount = { type: 'percentage', code, value: pct, cents: Math.round((subtotal * pct) / 100) };
    } else {
      const fixed = Math.min(subtotal, Math.round((subtotal * rng.int(3, 10)) / 100 / 100) * 100);
      orderDiscount = { type: 'fixed', code, value: fixed / 100, cents: fixed };
    }
  }
  const anomaly = rng.chance(scenario.anomalyRate) ? world.anomalyKinds.sample(rng) : null;
  return {
    id,
    t0,
    pattern,
    customer,
    company: customer.company_id ? dims.companyById.get(customer.company_id)! : null,
    method: world.paymentMethods.sample(rng),
    lines,
    subtotalCents: subtotal,
    orderDiscount,
    totalCents: subtotal - (orderDiscount?.cents ?? 0),
    anomaly,
    overdue: anomaly === null && rng.chance(overdueGivenNoAnomaly),
  };
}
