/** spec 001's product endpoints: list with filters, one product (through the cache), stock changes. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, ProductId, ProductListQuery, ProductPage, StockBody, StockChange } from '../../domain/api.js';
import { Product } from '../../domain/entities.js';
import { RuleViolation } from '../../store/queries/errors.js';
import { getProduct, listProducts, setStock } from '../../store/queries/products.js';
import { answer, dbGate, type DbGate } from '../db-breaker.js';
import { productCache, type ProductCache } from '../product-cache.js';
import type { ServerState } from '../state.js';
import type { BusinessEvents } from '../business-events.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** The one path that changes stock, shared with POST /api/simulate/update-stock: committed, then told as events. */
export async function changeStock(gate: DbGate, cache: ProductCache, business: BusinessEvents, id: string, body: StockBody): Promise<StockChange> {
  const change = await gate.write(1, (tx) => setStock(tx, id, body));
  cache.invalidate([id]);
  business.stockSet(change.product, change.previous_quantity);
  return change;
}

export function productsRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gate = dbGate(app, state);
  const cache = productCache(state);

  r.get(
    '/api/products',
    { schema: { summary: 'Products, by id; filter by category, low stock or part of the name', tags: ['management'], querystring: ProductListQuery, response: { 200: ProductPage, ...errors } } },
    (request, reply) =>
      answer(reply, async () => {
        const q = request.query;
        const page = await gate.read((db) => listProducts(db, q));
        return { ...page, limit: q.limit, offset: q.offset };
      }),
  );

  r.get(
    '/api/products/:id',
    { schema: { summary: 'One product (served from the product cache when it can be)', tags: ['management'], params: IdParams(ProductId), response: { 200: Product, ...errors } } },
    (request, reply) =>
      answer(reply, async () => {
        const { id } = request.params;
        const product = await cache.read(id, () => gate.read((db) => getProduct(db, id)));
        if (!product) throw new RuleViolation('not_found', `product ${id} does not exist`, { product_id: id });
        return product;
      }),
  );

  r.put(
    '/api/products/:id/stock',
    {
      schema: {
        summary: 'Set the stock level ({"stock_quantity": 40}) or change it ({"delta": -3}); never below zero',
        tags: ['management'],
        params: IdParams(ProductId),
        body: StockBody,
        response: { 200: StockChange, ...errors },
      },
    },
    (request, reply) => answer(reply, () => changeStock(gate, cache, state.business, request.params.id, request.body)),
  );
}
