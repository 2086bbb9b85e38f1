/** spec 001's order endpoints: list, one order with its items, create (allocating stock), lifecycle changes. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateOrderBody, ErrorBody, IdParams, OrderId, OrderListQuery, OrderPage, OrderStatusBody, OrderWithItems, StatusChangeResult } from '../../domain/api.js';
import type { ScenarioProfile } from '../../domain/scenario.js';
import { NORMAL_OPS } from '../../scenarios/builtin.js';
import { getScenario } from '../../scenarios/resolve.js';
import { RuleViolation } from '../../store/queries/errors.js';
import { changeOrderStatus, createOrder, getOrder, listOrders } from '../../store/queries/orders.js';
import { answer, dbGate, type DbGate } from '../db-breaker.js';
import { productCache, type ProductCache } from '../product-cache.js';
import type { ServerState } from '../state.js';
import type { BusinessEvents } from '../business-events.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** The server's scenario: an order's priority and promised delivery come from its pattern there. */
export function serverScenario(state: ServerState): ScenarioProfile {
  try {
    return getScenario(state.config.simulation.scenario);
  } catch {
    return NORMAL_OPS; // a custom scenario file: its details only matter to the simulation
  }
}

export interface OrderWriter {
  gate: DbGate;
  cache: ProductCache;
  patterns: ScenarioProfile['patterns'];
  business: BusinessEvents;
  /**
   * The business's now: the simulated instant while a simulation runs (at speed 60 it is hours
   * ahead of the wall clock), so a change made through the API lands on the same timeline, and
   * the same analytics day, as the simulation's own.
   */
  now: () => number;
}

/** The one path that creates orders, shared with POST /api/simulate/new-order: committed, then told as events. */
export async function placeOrder(w: OrderWriter, body: CreateOrderBody): Promise<OrderWithItems> {
  const { order, products } = await w.gate.write(1 + body.items.length, (tx) => createOrder(tx, body, w.patterns, w.now()));
  w.cache.invalidate(products.map((p) => p.product_id));
  const taken = new Map(order.items.map((i) => [i.product_id, i.quantity]));
  w.business.orderPlaced(order, products, new Map(products.map((p) => [p.product_id, p.stock_quantity + (taken.get(p.product_id) ?? 0)])));
  return order;
}

/** The one path that moves an order along its lifecycle, shared with POST /api/simulate/status-update. */
export async function moveOrder(w: OrderWriter, id: string, body: OrderStatusBody): Promise<StatusChangeResult> {
  const { order, previous_status, products, returned } = await w.gate.write(1, (tx) => changeOrderStatus(tx, id, body, w.now()));
  w.cache.invalidate(products.map((p) => p.product_id));
  const back = new Map(returned.map((r) => [r.product_id, r.delta]));
  w.business.orderMoved(order, previous_status, products, new Map(products.map((p) => [p.product_id, p.stock_quantity - (back.get(p.product_id) ?? 0)])));
  return { order, previous_status };
}

export function orderWriter(app: FastifyInstance, state: ServerState): OrderWriter {
  return { gate: dbGate(app, state), cache: productCache(state), patterns: serverScenario(state).patterns, business: state.business, now: () => (state.clock ? Math.floor(state.clock.simNow()) : Date.now()) };
}

export function ordersRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const writer = orderWriter(app, state);
  const { gate } = writer;

  r.get(
    '/api/orders',
    {
      schema: {
        summary: 'Orders, newest first; filter by status, customer and order date; page with limit and offset or cursor',
        tags: ['management'],
        querystring: OrderListQuery,
        response: { 200: OrderPage, ...errors },
      },
    },
    (request, reply) => answer(reply, () => gate.read((db) => listOrders(db, request.query, writer.now()))),
  );

  r.get(
    '/api/orders/:id',
    { schema: { summary: 'One order with its items', tags: ['management'], params: IdParams(OrderId), response: { 200: OrderWithItems, ...errors } } },
    (request, reply) =>
      answer(reply, async () => {
        const { id } = request.params;
        const order = await gate.read((db) => getOrder(db, id));
        if (!order) throw new RuleViolation('not_found', `order ${id} does not exist`, { order_id: id });
        return order;
      }),
  );

  r.post(
    '/api/orders',
    {
      schema: {
        summary: 'Create a pending order for an existing customer; the stock of every item is taken in the same transaction or nothing happens',
        tags: ['management'],
        body: CreateOrderBody,
        response: { 201: OrderWithItems, ...errors },
      },
    },
    (request, reply) =>
      answer(reply, async () => {
        const order = await placeOrder(writer, request.body);
        void reply.code(201);
        return order;
      }),
  );

  r.put(
    '/api/orders/:id/status',
    {
      schema: {
        summary: 'Move an order one lifecycle step: pending → confirmed → processing → shipped → delivered; cancelled before shipping; failed after',
        tags: ['management'],
        params: IdParams(OrderId),
        body: OrderStatusBody,
        response: { 200: StatusChangeResult, ...errors },
      },
    },
    (request, reply) => answer(reply, () => moveOrder(writer, request.params.id, request.body)),
  );
}
