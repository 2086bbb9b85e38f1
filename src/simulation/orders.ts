/**
 * What an order is: which pattern it follows (spec 000), who places it, what it contains
 * (Zipf popularity), its discounts and whether the scenario injects an anomaly into it; and
 * the rows it becomes.
 */
import type { OrderAnomalyKind } from '../domain/anomalies.js';
import type { CompanyRecord, CustomerRecord, OrderItemRecord, OrderRecord, OrderStatus, PatternName, ProductRecord } from '../domain/entities.js';
import type { AliasTable } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import { orderId } from './ids.js';
import { iso, toCents } from './time.js';
import type { World } from './world.js';

export interface DraftLine {
  productIndex: number;
  product: ProductRecord;
  quantity: number;
  /** All money in integer cents until it is written out. */
  unitCents: number;
  lineCents: number;
  discountCents: number;
  discountPct: number;
}

export interface OrderDraft {
  /** The order's global index: its number and the address of its random streams. */
  index: number;
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

function pickCustomer(world: World, pattern: PatternName, t0: number, rng: Rng): CustomerRecord {
  const customers = world.dims.customers;
  if (pattern === 'premium_orders' && world.vipCustomers) return customers[world.vipCustomers.sample(rng)];
  // Businesses order on working days; households any day (the calendar's share for the day).
  const b2b = world.b2bCustomers && (!world.b2cCustomers || rng.chance(world.b2bShareAt(t0)));
  const pool = b2b ? world.b2bCustomers! : world.b2cCustomers!;
  return customers[pool.sample(rng)];
}

/**
 * Order number `index`, arriving at `t0`: its pattern (from `patterns`, which live mode may
 * change at run time), the customer, Zipf-popular lines, discounts and any injected
 * anomaly. It draws from a stream of its own, so any thread can draft any order, in any
 * order, and get the same one: batch and live share it.
 *
 * A household's basket is not a business's: a few lines of one to three units, in the
 * smallest pack of an item (never a case or a catering pack); a business orders more lines
 * and units by the dozen. A market with price variation sells each order at its own price
 * around the list price, inside the category's range.
 */
export function draftOrder(world: World, index: number, t0: number, patterns: AliasTable<PatternName>): OrderDraft {
  const { market, scenario, dims } = world;
  const rng = Rng.derive(world.config.seed, 'order', index);
  const id = orderId(index);
  // Overdue payments and order anomalies never share an order, so both rates hold exactly.
  const overdueGivenNoAnomaly = Math.min(1, scenario.overduePaymentRate / Math.max(1e-9, 1 - scenario.anomalyRate));
  const pattern = patterns.sample(rng);
  const customer = pickCustomer(world, pattern, t0, rng);
  const business = customer.company_id !== null;
  const basket = business ? world.baskets.b2b : world.baskets.b2c;
  const [bMin, bMax] = basket.bulkFactor;
  const variation = market.orders.priceVariation;
  const nLines = Math.min(basket.lines.sample(rng), dims.products.length);
  const lines: DraftLine[] = [];
  let subtotal = 0;
  for (let l = 0; l < nLines; l++) {
    const pick = () => (business ? world.products.index(rng) : dims.retailSibling[world.products.index(rng)]);
    let idx = pick();
    for (let retry = 0; retry < 8 && lines.some((x) => x.productIndex === idx); retry++) idx = pick();
    if (lines.some((x) => x.productIndex === idx)) continue;
    const product = dims.products[idx];
    const quantity = basket.quantities.sample(rng) * (pattern === 'bulk_orders' ? rng.int(bMin, bMax) : 1);
    let unitCents = toCents(product.unit_price);
    if (variation > 0) {
      const [lo, hi] = dims.priceBounds[idx];
      unitCents = Math.min(toCents(hi), Math.max(toCents(lo), Math.round(unitCents * (1 + variation * (2 * rng.next() - 1)))));
    }
    const lineCents = quantity * unitCents;
    const discountPct = rng.chance(scenario.discounts.itemRate) ? rng.int(5, 20) : 0;
    const discountCents = Math.round((lineCents * discountPct) / 100);
    subtotal += lineCents - discountCents;
    lines.push({ productIndex: idx, product, quantity, unitCents, lineCents, discountCents, discountPct });
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
    index,
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

/** What an order's row says beyond its draft: where its lifecycle has got to. */
export interface OrderState {
  status: OrderStatus;
  history: Array<{ status: OrderStatus; at: string }>;
  expectedMs: number;
  deliveredAt: string | null;
  trackingNumber: string | null;
  cancellationReason: string | null;
  updatedAt: string;
}

/** The orders row of a draft: one builder for batch days and the live simulation's store writes. */
export function orderRecordOf(world: World, d: OrderDraft, s: OrderState): OrderRecord {
  const first = d.lines[0];
  const c = d.customer;
  return {
    order_id: d.id,
    customer_id: c.customer_id,
    customer_email: c.email,
    company_id: c.company_id,
    branch_id: c.branch_id,
    sales_rep_id: d.company ? d.company.account_manager_id : null,
    supplier_id: first.product.supplier_id,
    pattern_type: d.pattern,
    priority: world.scenario.patterns[d.pattern].priority,
    region: c.region,
    delivery_region: c.delivery_region,
    product_id: first.product.product_id,
    product_name: first.product.name,
    quantity: first.quantity,
    price: first.unitCents / 100,
    total: first.lineCents / 100,
    items_count: d.lines.length,
    subtotal: d.subtotalCents / 100,
    discount_amount: (d.orderDiscount?.cents ?? 0) / 100,
    total_amount: d.totalCents / 100,
    currency: world.market.currency,
    payment_method: d.method as OrderRecord['payment_method'],
    shipping_address: c.shipping_address,
    status: s.status,
    status_history: s.history,
    order_date: iso(d.t0),
    expected_delivery: iso(s.expectedMs),
    delivered_at: s.deliveredAt,
    tracking_number: s.trackingNumber,
    cancellation_reason: s.cancellationReason,
    notes: world.market.orders.notes[d.pattern] ?? '',
    created_at: iso(d.t0),
    updated_at: s.updatedAt,
  };
}

/** The order's lines; `waiting` marks (bit mask) the lines still waiting for stock. */
export function orderItemRecordsOf(d: OrderDraft, status: OrderStatus, waiting: number): OrderItemRecord[] {
  return d.lines.map((l, i) => ({
    order_item_id: `${d.id}-${i + 1}`,
    order_id: d.id,
    line_number: i + 1,
    product_id: l.product.product_id,
    product_name: l.product.name,
    quantity: l.quantity,
    unit_price: l.unitCents / 100,
    line_total: l.lineCents / 100,
    discount_amount: l.discountCents / 100,
    net_total: (l.lineCents - l.discountCents) / 100,
    fulfilment: status === 'cancelled' ? 'cancelled' : waiting & (1 << i) ? 'backordered' : 'allocated',
  }));
}
