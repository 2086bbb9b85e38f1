/**
 * Reconciliation: a dataset's tables against its own event log. Every row must be the
 * state after its entity's last event — an order's status and history, a product's stock
 * (the last stock.updated, and the sum of its movements), a payment's status, a shipment's
 * outcome, a refund's resolution — and every event must be about a row that exists.
 *
 * This is the check a stream processor's test needs: the batch tables are the exact
 * expected output of consuming the live stream of the same scenario, seed and start.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EntityName, OrderRecord } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { EventEnvelope } from '../domain/events.js';

export interface Mismatch {
  entity: string;
  id: string;
  field: string;
  table: unknown;
  events: unknown;
}

export interface CheckSummary {
  check: string;
  rows: number;
  mismatches: number;
}

export interface ReconcileReport {
  dir: string;
  events: number;
  checks: CheckSummary[];
  mismatches: Mismatch[];
  /** Mismatches beyond those listed. */
  more: number;
  ok: boolean;
}

const MAX_LISTED = 50;

/** Every line of an NDJSON file (or every element of a JSON array file), one at a time. */
async function* records<T>(file: string): AsyncGenerator<T> {
  if (file.endsWith('.json')) {
    for (const r of JSON.parse(await readFile(file, 'utf8')) as T[]) yield r;
    return;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line.length) yield JSON.parse(line) as T;
}

interface OrderTrail {
  statuses: Array<{ status: string; at: string }>;
  delivered: string | null;
  fields: Record<string, unknown> | null;
}

interface PaymentTrail {
  completed: string | null;
  overdue: boolean;
}

/** The fields of an order event that its row carries under the same name. */
const ORDER_FIELDS = ['product_id', 'product_name', 'quantity', 'price', 'total', 'customer_id', 'customer_email', 'payment_method', 'items_count', 'total_amount', 'currency', 'pattern_type', 'priority', 'region', 'expected_delivery'] as const;

export async function reconcile(dir: string): Promise<ReconcileReport> {
  const manifest = await readManifest(dir);
  if (!manifest.events) throw new UsageError(`${dir} has no event log; generate it with --events (orderstream generate … --events --out ${dir})`);
  const ext = manifest.format === 'json' ? 'json' : 'ndjson';
  const file = (name: EntityName | 'events') => join(dir, `${name}.${name === 'events' ? 'ndjson' : ext}`);

  const mismatches: Mismatch[] = [];
  let more = 0;
  const checks = new Map<string, CheckSummary>();
  const check = (name: string) => {
    let c = checks.get(name);
    if (!c) checks.set(name, (c = { check: name, rows: 0, mismatches: 0 }));
    return c;
  };
  const fail = (name: string, m: Mismatch) => {
    check(name).mismatches++;
    if (mismatches.length < MAX_LISTED) mismatches.push(m);
    else more++;
  };

  // The event log, folded into each entity's expected state.
  const orders = new Map<string, OrderTrail>();
  const stock = new Map<string, number>();
  const movementEvents = new Map<string, { product_id: string; current_stock: number; previous_stock: number; movement_type: string; order_id: string | null }>();
  const payments = new Map<string, PaymentTrail>();
  const refunds = new Map<string, string | null>();
  const failedAttempts = new Map<string, number>();
  let events = 0;
  for await (const e of records<EventEnvelope>(file('events'))) {
    events++;
    switch (e.event_type) {
      case 'order.created':
      case 'order.updated':
      case 'order.cancelled':
      case 'order.delivered': {
        const trail = orders.get(e.data.order_id) ?? { statuses: [], delivered: null, fields: null };
        trail.statuses.push({ status: e.data.status, at: e.timestamp });
        if (e.event_type === 'order.delivered') trail.delivered = e.data.delivery_date;
        trail.fields ??= e.data;
        orders.set(e.data.order_id, trail);
        break;
      }
      case 'stock.updated':
        stock.set(e.data.product_id, e.data.current_stock);
        movementEvents.set(e.data.movement_id, e.data);
        break;
      case 'payment.completed':
        payments.set(e.data.payment_id, { ...(payments.get(e.data.payment_id) ?? { overdue: false }), completed: e.timestamp });
        break;
      case 'payment.overdue':
        payments.set(e.data.payment_id, { completed: null, ...payments.get(e.data.payment_id), overdue: true });
        break;
      case 'refund.requested':
        if (!refunds.has(e.data.refund_id)) refunds.set(e.data.refund_id, null);
        break;
      case 'refund.resolved':
        refunds.set(e.data.refund_id, e.data.status);
        break;
      case 'shipment.failed':
        failedAttempts.set(e.data.order_id, (failedAttempts.get(e.data.order_id) ?? 0) + 1);
        break;
      default:
        break;
    }
  }

  // Orders: status, history, timestamps and the sale fields are those of its events.
  const seenOrders = new Set<string>();
  for await (const o of records<OrderRecord>(file('orders'))) {
    const c = check('orders');
    c.rows++;
    seenOrders.add(o.order_id);
    const trail = orders.get(o.order_id);
    const bad = (field: string, table: unknown, events: unknown) => fail('orders', { entity: 'orders', id: o.order_id, field, table, events });
    if (!trail) {
      bad('events', 'a row', 'no order event');
      continue;
    }
    const history = o.status_history.map((h) => `${h.status}@${h.at}`).join(' ');
    const told = trail.statuses.map((h) => `${h.status}@${h.at}`).join(' ');
    if (history !== told) bad('status_history', history, told);
    else if (o.status !== trail.statuses.at(-1)!.status) bad('status', o.status, trail.statuses.at(-1)!.status);
    if (o.updated_at !== trail.statuses.at(-1)!.at) bad('updated_at', o.updated_at, trail.statuses.at(-1)!.at);
    if (o.order_date !== trail.statuses[0].at) bad('order_date', o.order_date, trail.statuses[0].at);
    if (o.delivered_at !== trail.delivered) bad('delivered_at', o.delivered_at, trail.delivered);
    for (const f of ORDER_FIELDS) if (JSON.stringify(o[f]) !== JSON.stringify(trail.fields![f])) bad(f, o[f], trail.fields![f]);
  }
  for (const id of orders.keys()) if (!seenOrders.has(id)) fail('orders', { entity: 'orders', id, field: 'row', table: 'no row', events: 'order events' });

  // Inventory movements: each is a stock.updated event, and per product they add up to the stock.
  const movementTotals = new Map<string, number>();
  const seenMovements = new Set<string>();
  for await (const m of records<{ movement_id: string; product_id: string; quantity: number; stock_after: number; movement_type: string; order_id: string | null }>(file('inventory_movements'))) {
    const c = check('inventory_movements');
    c.rows++;
    seenMovements.add(m.movement_id);
    const before = movementTotals.get(m.product_id) ?? 0;
    movementTotals.set(m.product_id, before + m.quantity);
    const bad = (field: string, table: unknown, events: unknown) => fail('inventory_movements', { entity: 'inventory_movements', id: m.movement_id, field, table, events });
    if (m.stock_after < 0) bad('stock_after', m.stock_after, '≥ 0');
    const e = movementEvents.get(m.movement_id);
    if (!e) bad('event', 'a row', 'no stock.updated');
    else {
      if (e.current_stock !== m.stock_after) bad('stock_after', m.stock_after, e.current_stock);
      if (e.current_stock - e.previous_stock !== m.quantity) bad('quantity', m.quantity, e.current_stock - e.previous_stock);
      if (e.product_id !== m.product_id) bad('product_id', m.product_id, e.product_id);
      if (e.movement_type !== m.movement_type) bad('movement_type', m.movement_type, e.movement_type);
      if (e.order_id !== m.order_id) bad('order_id', m.order_id, e.order_id);
    }
  }
  for (const id of movementEvents.keys()) if (!seenMovements.has(id)) fail('inventory_movements', { entity: 'inventory_movements', id, field: 'row', table: 'no row', events: 'stock.updated' });

  // Products: the stock is the last level announced, and what its movements add up to.
  for await (const p of records<{ product_id: string; stock_quantity: number }>(file('products'))) {
    check('products').rows++;
    const told = stock.get(p.product_id) ?? 0;
    if (p.stock_quantity !== told) fail('products', { entity: 'products', id: p.product_id, field: 'stock_quantity', table: p.stock_quantity, events: told });
    const summed = movementTotals.get(p.product_id) ?? 0;
    if (p.stock_quantity !== summed) fail('products', { entity: 'products', id: p.product_id, field: 'stock_quantity (sum of movements)', table: p.stock_quantity, events: summed });
  }

  // Payments: paid exactly when a payment.completed was told; overdue only after a payment.overdue.
  for await (const p of records<{ payment_id: string; order_id: string; status: string; paid_at: string | null }>(file('payments'))) {
    check('payments').rows++;
    const trail = payments.get(p.payment_id) ?? { completed: null, overdue: false };
    const bad = (field: string, table: unknown, events: unknown) => fail('payments', { entity: 'payments', id: p.payment_id, field, table, events });
    if ((p.status === 'paid') !== (trail.completed !== null)) bad('status', p.status, trail.completed ? `paid at ${trail.completed}` : 'no payment.completed');
    else if (p.status === 'paid' && p.paid_at !== trail.completed) bad('paid_at', p.paid_at, trail.completed);
    if (p.status === 'overdue' && !trail.overdue) bad('status', p.status, 'no payment.overdue');
    const last = orders.get(p.order_id)?.statuses.at(-1)?.status;
    if (p.status === 'void' && last !== 'cancelled' && last !== 'failed') bad('status', p.status, `order ${last ?? 'missing'}`);
  }

  // Shipments: delivered when the order was, failed attempts as told.
  for await (const s of records<{ shipment_id: string; order_id: string; status: string; attempt_log: Array<{ outcome: string }> }>(file('shipments'))) {
    check('shipments').rows++;
    const last = orders.get(s.order_id)?.statuses.at(-1)?.status;
    const bad = (field: string, table: unknown, events: unknown) => fail('shipments', { entity: 'shipments', id: s.shipment_id, field, table, events });
    const expected = last === 'delivered' ? 'delivered' : last === 'failed' ? 'failed' : 'in_transit';
    if (s.status !== expected) bad('status', s.status, `order ${last}`);
    const failed = s.attempt_log.filter((a) => a.outcome === 'failed').length;
    if (failed !== (failedAttempts.get(s.order_id) ?? 0)) bad('failed attempts', failed, failedAttempts.get(s.order_id) ?? 0);
  }

  // Refunds: pending until a refund.resolved, then its outcome.
  for await (const r of records<{ refund_id: string; status: string }>(file('refunds'))) {
    check('refunds').rows++;
    if (!refunds.has(r.refund_id)) fail('refunds', { entity: 'refunds', id: r.refund_id, field: 'event', table: 'a row', events: 'no refund.requested' });
    else if (r.status !== (refunds.get(r.refund_id) ?? 'pending')) fail('refunds', { entity: 'refunds', id: r.refund_id, field: 'status', table: r.status, events: refunds.get(r.refund_id) ?? 'pending' });
  }

  const list = [...checks.values()];
  return { dir, events, checks: list, mismatches, more, ok: list.every((c) => c.mismatches === 0) };
}

async function readManifest(dir: string): Promise<{ format: string; events: boolean }> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new UsageError(`${dir} is not a directory; give the directory \`orderstream generate --out\` wrote`);
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => null);
  if (text === null) throw new UsageError(`${dir} has no manifest.json: it was not written by orderstream generate --out`);
  const manifest = JSON.parse(text) as { format?: string; events?: boolean; run?: { format?: string; events?: boolean } };
  const run = manifest.run ?? manifest;
  const format = run.format ?? 'ndjson';
  if (format === 'csv') throw new UsageError(`${dir} is CSV; reconcile reads NDJSON or JSON datasets (generate with --format ndjson)`);
  return { format, events: run.events === true };
}
