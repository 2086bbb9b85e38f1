/**
 * Random rows for the simulate endpoints. The caller's seeded draw (a number in [0, 1))
 * chooses a position in a stable order (the primary key), so the same seed over the same
 * data picks the same rows.
 */
import { FINAL_STATUSES } from '../../domain/api.js';
import type { OrderStatus } from '../../domain/entities.js';

/** A uniform draw in [0, 1), from the caller's seeded generator. */
export type Draw = () => number;
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';

/** `table`, `key` and `where` are constants of this file; only `params` come from elsewhere. */
async function pickRow<R>(db: Queryable, draw: Draw, table: string, key: string, columns: string, where: string, params: unknown[]): Promise<R | null> {
  const count = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE ${where}`, params);
  const n = count.rows[0].n;
  if (!n) return null;
  const { rows } = await db.query<R>(`SELECT ${columns} FROM ${table} WHERE ${where} ORDER BY ${key} LIMIT 1 OFFSET $${params.length + 1}`, [...params, Math.min(n - 1, Math.floor(draw() * n))]);
  return rows[0] ?? null;
}

export const pickCustomer = (db: Queryable, draw: Draw) => pickRow<{ customer_id: string }>(db, draw, tableOf('customers'), 'customer_id', 'customer_id', 'true', []);

export const pickProduct = (db: Queryable, draw: Draw, inStockOnly: boolean) =>
  pickRow<{ product_id: string; stock_quantity: number }>(db, draw, tableOf('products'), 'product_id', 'product_id, stock_quantity', inStockOnly ? 'stock_quantity > 0' : 'true', []);

export const pickOpenOrder = (db: Queryable, draw: Draw) =>
  pickRow<{ order_id: string; status: OrderStatus }>(db, draw, tableOf('orders'), 'order_id', 'order_id, status', 'NOT (status = ANY($1::text[]))', [FINAL_STATUSES]);
