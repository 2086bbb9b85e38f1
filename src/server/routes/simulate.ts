/**
 * spec 001's demo buttons: a random order, a random stock change, a random order moved one
 * step. They go through exactly the paths the management endpoints use (guard, locks,
 * cache invalidation). Draws come from the project's seeded PRNG, one stream per request
 * (config seed + a counter), so a server started with the same seed on the same data
 * makes the same choices.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateOrderBody, ErrorBody, ORDER_TRANSITIONS, SimulatedOrder, SimulatedStatus, SimulatedStock } from '../../domain/api.js';
import { getMarket } from '../../catalog/index.js';
import { PATTERN_NAMES, PAYMENT_METHODS, type PatternName } from '../../domain/entities.js';
import { AliasTable } from '../../random/distributions.js';
import { Rng } from '../../random/rng.js';
import { RuleViolation } from '../../store/queries/errors.js';
import { pickCustomer, pickOpenOrder, pickProduct } from '../../store/queries/pick.js';
import { answer } from '../db-breaker.js';
import type { ServerState } from '../state.js';
import { moveOrder, orderWriter, placeOrder, serverScenario } from './orders.js';
import { changeStock } from './products.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
/** Largest quantity a simulated order asks for, and largest stock change either way. */
const MAX_SIM_QUANTITY = 5;
const MAX_SIM_TAKE = 20;
const MAX_SIM_ADD = 50;

/** Tracking numbers in the market's own format, as generated orders have them. */
function trackingPattern(state: ServerState): string {
  try {
    return getMarket(state.config.simulation.market ?? serverScenario(state).market).orders.trackingPattern;
  } catch {
    return 'TRK#########'; // a market of a custom scenario file
  }
}

export function simulateRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const writer = orderWriter(app, state);
  const { gate, cache, patterns } = writer;
  const tracking = trackingPattern(state);
  let draws = 0;
  const nextRng = () => Rng.derive(state.config.simulation.seed, 'api-simulate', draws++);

  /** A pattern as often as the scenario makes it. */
  const patternTable = new AliasTable<PatternName>(PATTERN_NAMES, PATTERN_NAMES.map((p) => patterns[p].frequency));
  const pickPattern = (rng: Rng): PatternName => patternTable.sample(rng);

  r.post(
    '/api/simulate/new-order',
    { schema: { summary: 'Create an order for a random customer and a random product in stock', tags: ['simulate'], response: { 201: SimulatedOrder, ...errors } } },
    (_request, reply) =>
      answer(reply, async () => {
        const rng = nextRng();
        const { customer, product } = await gate.read(async (db) => ({ customer: await pickCustomer(db, () => rng.next()), product: await pickProduct(db, () => rng.next(), true) }));
        if (!customer) throw new RuleViolation('nothing_to_simulate', 'there are no customers to order for; load data first (orderstream generate --no-dry-run)');
        if (!product) throw new RuleViolation('nothing_to_simulate', 'no product has stock left; restock one with PUT /api/products/:id/stock');
        const body = CreateOrderBody.parse({
          customer_id: customer.customer_id,
          items: [{ product_id: product.product_id, quantity: rng.int(1, Math.min(MAX_SIM_QUANTITY, product.stock_quantity)) }],
          payment_method: rng.pick(PAYMENT_METHODS),
          pattern_type: pickPattern(rng),
        });
        const order = await placeOrder(writer, body);
        void reply.code(201);
        return { action: 'new-order' as const, order };
      }),
  );

  r.post(
    '/api/simulate/update-stock',
    { schema: { summary: 'Change the stock of a random product by a random amount (never below zero)', tags: ['simulate'], response: { 200: SimulatedStock, ...errors } } },
    (_request, reply) =>
      answer(reply, async () => {
        const rng = nextRng();
        const product = await gate.read((db) => pickProduct(db, () => rng.next(), false));
        if (!product) throw new RuleViolation('nothing_to_simulate', 'there are no products; load data first (orderstream generate --no-dry-run)');
        const delta = rng.int(-Math.min(MAX_SIM_TAKE, product.stock_quantity), MAX_SIM_ADD) || MAX_SIM_ADD;
        return { action: 'update-stock' as const, ...(await changeStock(gate, cache, state.business, product.product_id, { delta })) };
      }),
  );

  r.post(
    '/api/simulate/status-update',
    { schema: { summary: 'Move a random open order one step forward in its lifecycle', tags: ['simulate'], response: { 200: SimulatedStatus, ...errors } } },
    (_request, reply) =>
      answer(reply, async () => {
        const rng = nextRng();
        const order = await gate.read((db) => pickOpenOrder(db, () => rng.next()));
        if (!order) throw new RuleViolation('nothing_to_simulate', 'every order is delivered, cancelled or failed; create one with POST /api/orders');
        const status = ORDER_TRANSITIONS[order.status][0];
        const tracking_number = status === 'shipped' ? rng.digits(tracking) : undefined;
        return { action: 'status-update' as const, ...(await moveOrder(writer, order.order_id, { status, tracking_number })) };
      }),
  );
}
