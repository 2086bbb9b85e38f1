/** Customer reads for the web app: search and paging, one customer with their newest orders. */
import type { CustomerListQuery, CustomerPage, CustomerWithOrders } from '../../domain/web-api.js';
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';
import { columnList, containsPattern, rowToRecord } from './records.js';

const CUSTOMERS = tableOf('customers');

export async function listCustomers(db: Queryable, q: CustomerListQuery): Promise<CustomerPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (slot: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
  if (q.search !== undefined && q.search.trim()) {
    add((p) => `(full_name ILIKE ${p} ESCAPE '\\' OR email ILIKE ${p} ESCAPE '\\' OR customer_id ILIKE ${p} ESCAPE '\\')`, containsPattern(q.search.trim()));
  }
  if (q.region !== undefined) add((p) => `region = ${p}`, q.region);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${CUSTOMERS} ${filter}`, params);
  const page = await db.query(
    `SELECT ${columnList('customers')} FROM ${CUSTOMERS} ${filter} ORDER BY customer_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.limit, q.offset],
  );
  return { items: page.rows.map((r) => rowToRecord('customers', r)), total: total.rows[0].n, limit: q.limit, offset: q.offset };
}

export async function getCustomer(db: Queryable, id: string, orderLimit: number): Promise<CustomerWithOrders | null> {
  const { rows } = await db.query(`SELECT ${columnList('customers')} FROM ${CUSTOMERS} WHERE customer_id = $1`, [id]);
  if (!rows.length) return null;
  const orders = await db.query(
    `SELECT ${columnList('orders')} FROM ${tableOf('orders')} WHERE customer_id = $1 ORDER BY order_date DESC, order_id DESC LIMIT $2`,
    [id, orderLimit],
  );
  const n = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${tableOf('orders')} WHERE customer_id = $1`, [id]);
  return { ...rowToRecord('customers', rows[0]), orders: orders.rows.map((r) => rowToRecord('orders', r)), order_count: n.rows[0].n };
}
