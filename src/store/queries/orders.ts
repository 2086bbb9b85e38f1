/**
 * Orders: reads with filters and paging, creation with stock allocation, and lifecycle
 * changes. Writers run inside one transaction each and lock what they read before
 * deciding (products FOR UPDATE, the order row FOR UPDATE), so concurrent requests cannot
 * oversell or skip a lifecycle step.
 */
import {
  canTransition,
  encodeCursor,
  ORDER_TRANSITIONS,
  type CreateOrderBody,
  type OrderListQuery,
  type OrderPage,
  type OrderStatusBody,
  type OrderWithItems,
  type StatusChangeResult,
} from '../../domain/api.js';
import type { OrderItemRecord, OrderRecord, PatternName, ProductRecord } from '../../domain/entities.js';
import { orderId } from '../../domain/ids.js';
import type { ScenarioProfile } from '../../domain/scenario.js';
import { META_SCHEMA, SQL_TYPES, tableOf } from '../schema.js';
import type { Queryable } from '../store.js';
import { RuleViolation } from './errors.js';
import { addStock, lockProducts } from './products.js';
import { columnList, containsPattern, insertRecords, rowToRecord } from './records.js';

const ORDERS = tableOf('orders');
const ITEMS = tableOf('order_items');
const COLUMNS = columnList('orders');

/** Statuses an order can still leave: the ones "overdue" applies to. */
export const OPEN_STATUS_SQL = `status NOT IN ('delivered', 'cancelled', 'failed')`;

export async function listOrders(db: Queryable, q: OrderListQuery, nowMs = Date.now()): Promise<OrderPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (slot: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
  if (q.status) add((p) => `status = ${p}`, q.status);
  if (q.customer_id) add((p) => `customer_id = ${p}`, q.customer_id);
  if (q.from) add((p) => `order_date >= ${p}::timestamptz`, q.from);
  if (q.to) add((p) => `order_date < ${p}::timestamptz`, q.to);
  if (q.priority) add((p) => `priority = ${p}`, q.priority);
  if (q.region) add((p) => `region = ${p}`, q.region);
  if (q.pattern_type) add((p) => `pattern_type = ${p}`, q.pattern_type);
  if (q.search) add((p) => `(order_id ILIKE ${p} ESCAPE '\\' OR customer_id ILIKE ${p} ESCAPE '\\' OR customer_email ILIKE ${p} ESCAPE '\\')`, containsPattern(q.search));
  if (q.overdue !== undefined) {
    const late = `(${OPEN_STATUS_SQL} AND expected_delivery < $${params.push(new Date(nowMs).toISOString())}::timestamptz)`;
    where.push(q.overdue ? late : `NOT ${late}`);
  }
  const total = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${ORDERS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
  // The cursor narrows the page only; total still counts every matching order.
  if (q.cursor) {
    const date = `$${params.push(q.cursor.order_date)}::timestamptz`;
    where.push(`(order_date, order_id) < (${date}, $${params.push(q.cursor.order_id)})`);
  }
  const page = await db.query(
    `SELECT ${COLUMNS} FROM ${ORDERS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY order_date DESC, order_id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.limit, q.offset],
  );
  const items = page.rows.map((r) => rowToRecord('orders', r));
  const last = items[items.length - 1];
  return { items, total: total.rows[0].n, limit: q.limit, offset: q.offset, next_cursor: items.length === q.limit ? encodeCursor(last) : null };
}

async function itemsOf(db: Queryable, orderId: string): Promise<OrderItemRecord[]> {
  const { rows } = await db.query(`SELECT ${columnList('order_items')} FROM ${ITEMS} WHERE order_id = $1 ORDER BY line_number`, [orderId]);
  return rows.map((r) => rowToRecord('order_items', r));
}

export async function getOrder(db: Queryable, id: string): Promise<OrderWithItems | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM ${ORDERS} WHERE order_id = $1`, [id]);
  return rows.length ? { ...rowToRecord('orders', rows[0]), items: await itemsOf(db, id) } : null;
}

// ——— ids ———

/**
 * API orders number from their own range of the generator's index space (domain/ids.ts),
 * through a database sequence: no lock, no scan, and never an id a job or the live
 * simulation could also produce.
 */
async function nextOrderId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ n: number }>(`SELECT nextval('${META_SCHEMA}.api_order_index')::int AS n`);
  return orderId(rows[0].n);
}

// ——— creation ———

const cents = (money: number) => Math.round(money * 100);
const DAY_MS = 86_400_000;

/**
 * POST /api/orders inside the caller's transaction: checks the customer, locks the
 * products, refuses any line the stock cannot cover, then inserts the order and its items
 * and takes the units from stock. Returns the order and the products as they now are.
 */
export async function createOrder(
  db: Queryable,
  body: CreateOrderBody,
  patterns: ScenarioProfile['patterns'],
  now = Date.now(),
): Promise<{ order: OrderWithItems; products: ProductRecord[] }> {
  const at = new Date(now).toISOString();
  const customers = await db.query(
    `SELECT ${columnList('customers', 'c')}, co.account_manager_id
     FROM ${tableOf('customers')} c LEFT JOIN ${tableOf('companies')} co ON co.company_id = c.company_id
     WHERE c.customer_id = $1`,
    [body.customer_id],
  );
  if (!customers.rows.length) throw new RuleViolation('unknown_reference', `customer ${body.customer_id} does not exist`, { customer_id: body.customer_id });
  const customer = rowToRecord('customers', customers.rows[0]);
  const salesRep = (customers.rows[0]['account_manager_id'] as string | null) ?? null;

  const products = await lockProducts(
    db,
    body.items.map((i) => i.product_id),
  );
  const missing = body.items.filter((i) => !products.has(i.product_id)).map((i) => i.product_id);
  if (missing.length) throw new RuleViolation('unknown_reference', `no such product: ${missing.join(', ')}`, { product_ids: missing });
  const shortages = body.items
    .map((i) => ({ product: products.get(i.product_id)!, requested: i.quantity }))
    .filter((s) => s.product.stock_quantity < s.requested)
    .map((s) => ({ product_id: s.product.product_id, product_name: s.product.name, available: s.product.stock_quantity, requested: s.requested }));
  if (shortages.length) {
    const list = shortages.map((s) => `${s.product_id} (${s.product_name}): requested ${s.requested}, available ${s.available}`).join('; ');
    throw new RuleViolation('insufficient_stock', `not enough stock: ${list}`, { shortages });
  }
  const currencies = new Set([...products.values()].map((p) => p.currency));
  if (currencies.size > 1) throw new RuleViolation('mixed_currency', `the products are priced in different currencies (${[...currencies].join(', ')}); order them separately`);

  const orderId = await nextOrderId(db);
  const lines = body.items.map((item, i) => {
    const product = products.get(item.product_id)!;
    const lineCents = item.quantity * cents(product.unit_price);
    return {
      order_item_id: `${orderId}-${i + 1}`,
      order_id: orderId,
      line_number: i + 1,
      product_id: product.product_id,
      product_name: product.name,
      quantity: item.quantity,
      unit_price: product.unit_price,
      line_total: lineCents / 100,
      discount_amount: 0,
      net_total: lineCents / 100,
      fulfilment: 'allocated',
    } satisfies OrderItemRecord;
  });
  const first = products.get(body.items[0].product_id)!;
  const subtotal = lines.reduce((sum, l) => sum + cents(l.net_total), 0) / 100;
  const pattern: PatternName = body.pattern_type;
  const order: OrderRecord = {
    order_id: orderId,
    customer_id: customer.customer_id,
    customer_email: customer.email,
    company_id: customer.company_id,
    branch_id: customer.branch_id,
    sales_rep_id: salesRep,
    supplier_id: first.supplier_id,
    pattern_type: pattern,
    priority: patterns[pattern].priority,
    region: customer.region,
    delivery_region: customer.delivery_region,
    product_id: first.product_id,
    product_name: first.name,
    quantity: lines[0].quantity,
    price: first.unit_price,
    total: lines[0].line_total,
    items_count: lines.length,
    subtotal,
    discount_amount: 0,
    total_amount: subtotal,
    currency: first.currency,
    payment_method: body.payment_method,
    shipping_address: body.shipping_address ?? customer.shipping_address,
    status: 'pending',
    status_history: [{ status: 'pending', at }],
    order_date: at,
    expected_delivery: new Date(now + patterns[pattern].deliveryDays * DAY_MS).toISOString(),
    delivered_at: null,
    tracking_number: null,
    cancellation_reason: null,
    notes: body.notes,
    created_at: at,
    updated_at: at,
  };
  await insertRecords(db, 'orders', [order]);
  await insertRecords(db, 'order_items', lines);
  const updated = await addStock(
    db,
    lines.map((l) => ({ product_id: l.product_id, delta: -l.quantity })),
  );
  return { order: { ...order, items: lines }, products: updated };
}

// ——— lifecycle ———

/**
 * PUT /api/orders/:id/status inside the caller's transaction. A cancellation puts the
 * allocated units back on the shelf (as the generator does); a failed delivery does not,
 * since returned goods go to the returns bin first.
 */
export async function changeOrderStatus(
  db: Queryable,
  id: string,
  body: OrderStatusBody,
  now = Date.now(),
): Promise<StatusChangeResult & { products: ProductRecord[]; returned: Array<{ product_id: string; delta: number }> }> {
  const { rows } = await db.query<Pick<OrderRecord, 'status' | 'status_history'>>(`SELECT status, status_history FROM ${ORDERS} WHERE order_id = $1 FOR UPDATE`, [id]);
  if (!rows.length) throw new RuleViolation('not_found', `order ${id} does not exist`, { order_id: id });
  const from = rows[0].status;
  const to = body.status;
  if (!canTransition(from, to)) {
    const allowed = ORDER_TRANSITIONS[from];
    const next = allowed.length ? `it can go to: ${allowed.join(', ')}` : `"${from}" is final`;
    throw new RuleViolation('illegal_transition', `order ${id} is ${from} and cannot become ${to}; ${next}`, { order_id: id, from, to, allowed });
  }
  // A cancellation locks its products before writing, in id order like every writer here.
  let back: Array<{ product_id: string; delta: number }> = [];
  if (to === 'cancelled') {
    const allocated = await db.query<{ product_id: string; quantity: number }>(
      `SELECT product_id, quantity FROM ${ITEMS} WHERE order_id = $1 AND fulfilment = 'allocated'`,
      [id],
    );
    back = allocated.rows.map((r) => ({ product_id: r.product_id, delta: r.quantity }));
    await lockProducts(
      db,
      back.map((b) => b.product_id),
    );
  }
  // Never before the order's last step: `now` may be a simulation's clock that is behind the data
  // (a resumed run, a --start in the past, orders from a generated dataset).
  const history = rows[0].status_history;
  const lastMs = history.length ? Date.parse(history[history.length - 1].at) : Number.NEGATIVE_INFINITY;
  const at = new Date(Math.max(now, Number.isNaN(lastMs) ? Number.NEGATIVE_INFINITY : lastMs)).toISOString();
  // The whole history is written back (the row is locked, so no step can be lost): this
  // works for json and jsonb columns alike and keeps each entry's key order.
  const updated = await db.query(
    `UPDATE ${ORDERS} SET
       status = $2::text,
       status_history = $3::${SQL_TYPES.json},
       updated_at = $4::timestamptz,
       delivered_at = CASE WHEN $2::text = 'delivered' THEN $4::timestamptz ELSE delivered_at END,
       cancellation_reason = CASE WHEN $2::text = 'cancelled' THEN $5::text ELSE cancellation_reason END,
       tracking_number = COALESCE($6::text, tracking_number)
     WHERE order_id = $1
     RETURNING ${COLUMNS}`,
    [id, to, JSON.stringify([...rows[0].status_history, { status: to, at }]), at, body.cancellation_reason ?? 'customer_request', body.tracking_number ?? null],
  );
  let products: ProductRecord[] = [];
  if (to === 'cancelled') {
    await db.query(`UPDATE ${ITEMS} SET fulfilment = 'cancelled' WHERE order_id = $1`, [id]);
    products = await addStock(db, back);
  }
  return { order: rowToRecord('orders', updated.rows[0]), previous_status: from, products, returned: back };
}
