/** Product reads and stock changes. Every stock change locks the product row first, so concurrent changes apply one after another. */
import { MAX_STOCK, type ProductListQuery, type StockBody, type StockChange } from '../../domain/api.js';
import type { ProductRecord } from '../../domain/entities.js';
import { tableOf } from '../schema.js';
import type { Queryable } from '../store.js';
import { RuleViolation } from './errors.js';
import { columnList, containsPattern, rowToRecord } from './records.js';

const PRODUCTS = tableOf('products');
const COLUMNS = columnList('products');

export async function getProduct(db: Queryable, id: string): Promise<ProductRecord | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM ${PRODUCTS} WHERE product_id = $1`, [id]);
  return rows.length ? rowToRecord('products', rows[0]) : null;
}

export async function listProducts(db: Queryable, q: ProductListQuery): Promise<{ items: ProductRecord[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (slot: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
  if (q.category !== undefined) add((p) => `category = ${p}`, q.category);
  if (q.search !== undefined) add((p) => `name ILIKE ${p} ESCAPE '\\'`, containsPattern(q.search));
  if (q.low_stock !== undefined) where.push(q.low_stock ? 'stock_quantity <= reorder_threshold' : 'stock_quantity > reorder_threshold');
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${PRODUCTS} ${filter}`, params);
  const page = await db.query(`SELECT ${COLUMNS} FROM ${PRODUCTS} ${filter} ORDER BY product_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
  return { items: page.rows.map((r) => rowToRecord('products', r)), total: total.rows[0].n };
}

/** Locks the named products (in id order, so two multi-product writers cannot deadlock) and returns them by id. */
export async function lockProducts(db: Queryable, ids: readonly string[]): Promise<Map<string, ProductRecord>> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM ${PRODUCTS} WHERE product_id = ANY($1::text[]) ORDER BY product_id FOR UPDATE`, [[...ids]]);
  return new Map(rows.map((r) => [r['product_id'] as string, rowToRecord('products', r)]));
}

/** Adds `delta` (negative takes away) to each product's stock; returns the updated products. */
export async function addStock(db: Queryable, changes: ReadonlyArray<{ product_id: string; delta: number }>): Promise<ProductRecord[]> {
  if (!changes.length) return [];
  const { rows } = await db.query(
    `UPDATE ${PRODUCTS} p SET stock_quantity = p.stock_quantity + c.delta
     FROM unnest($1::text[], $2::integer[]) AS c(product_id, delta)
     WHERE p.product_id = c.product_id
     RETURNING ${columnList('products', 'p')}`,
    [changes.map((c) => c.product_id), changes.map((c) => c.delta)],
  );
  return rows.map((r) => rowToRecord('products', r));
}

/** PUT /api/products/:id/stock: an absolute level or a change, refused if it would leave 0…MAX_STOCK. */
export async function setStock(db: Queryable, id: string, body: StockBody): Promise<StockChange> {
  const product = (await lockProducts(db, [id])).get(id);
  if (!product) throw new RuleViolation('not_found', `product ${id} does not exist`, { product_id: id });
  const previous = product.stock_quantity;
  const next = body.stock_quantity ?? previous + body.delta!;
  if (next < 0 || next > MAX_STOCK) {
    throw new RuleViolation(
      'stock_out_of_range',
      next < 0
        ? `${id} has ${previous} in stock; a change of ${body.delta} would take it below zero (at most ${-previous} can be taken)`
        : `${id} would hold ${next}, more than the limit of ${MAX_STOCK}`,
      { product_id: id, available: previous, delta: body.delta ?? next - previous },
    );
  }
  const [updated] = await addStock(db, [{ product_id: id, delta: next - previous }]);
  return { product: updated, previous_quantity: previous, delta: next - previous };
}
