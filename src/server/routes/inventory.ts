/**
 * Reorder advice from the running simulation's warehouse: every product's stock position
 * against its policy (reorder point, order-up-to level, safety stock from the forecast),
 * the most urgent first; and a purchase order placed by hand (stock.ordered now,
 * stock.replenished after the supplier's lead time).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../domain/api.js';
import { ReorderBody, ReorderList, ReorderPlaced, type ReorderAdvice } from '../../domain/intelligence-api.js';
import type { LiveSimulation } from '../../simulation/live.js';
import { iso } from '../../simulation/time.js';
import type { ServerState } from '../state.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const NO_SIMULATION = { error: 'simulation_disabled', message: 'reorder advice comes from the live simulation’s warehouse: this server runs without one' };

/** Every product's reorder advice: reorder first, then by days of cover. */
export function reorderAdvice(sim: LiveSimulation): ReorderAdvice[] {
  const ledger = sim.ledger;
  const open = sim.openOrders;
  const rank = { reorder: 0, on_order: 1, ok: 2 } as const;
  return sim.world.dims.products
    .map((p, i): ReorderAdvice => {
      const position = ledger.position(i);
      const demand = ledger.dailyDemand[i];
      const need = Math.max(0, ledger.orderUpTo[i] - position);
      const status = open[i].length ? 'on_order' : position <= ledger.reorderPoint[i] ? 'reorder' : 'ok';
      return {
        product_id: p.product_id,
        product_name: p.name,
        category: p.category,
        supplier_id: p.supplier_id,
        on_hand: ledger.level[i],
        on_order: ledger.onOrder[i],
        owed: ledger.owed[i],
        position,
        reorder_point: ledger.reorderPoint[i],
        order_up_to: ledger.orderUpTo[i],
        safety_stock: ledger.safetyStock[i],
        daily_demand: Math.round(demand * 100) / 100,
        lead_time_days: ledger.plannedLeadDays(i),
        days_of_cover: demand > 0 ? Math.round((ledger.level[i] / demand) * 100) / 100 : null,
        recommended_quantity: need,
        status,
      };
    })
    .sort((a, b) => rank[a.status] - rank[b.status] || (a.days_of_cover ?? Infinity) - (b.days_of_cover ?? Infinity) || a.product_id.localeCompare(b.product_id));
}

export function inventoryRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/inventory/reorders',
    { schema: { summary: 'Reorder advice for every product: stock position, reorder point, order-up-to level, days of cover, the recommended quantity', tags: ['inventory'], response: { 200: ReorderList, ...errors } } },
    async (_request, reply) => {
      const clock = state.clock;
      if (!clock) return reply.code(409).send(NO_SIMULATION);
      return clock.act((sim) => ({ at: iso(sim.now), items: reorderAdvice(sim) }));
    },
  );

  r.post(
    '/api/inventory/reorders',
    {
      schema: {
        summary: 'Place a purchase order with the product’s supplier now ({"product_id": "PROD-004", "quantity": 120}; quantity defaults to the recommended one)',
        tags: ['inventory'],
        body: ReorderBody,
        response: { 200: ReorderPlaced, ...errors },
      },
    },
    async (request, reply) => {
      const clock = state.clock;
      if (!clock) return reply.code(409).send(NO_SIMULATION);
      const { product_id, quantity } = request.body;
      if (!clock.sim.stocks(product_id)) return reply.code(400).send({ error: 'bad_request', message: `unknown product ${product_id}: the simulation does not stock it` });
      const placed = clock.act((sim) => {
        const advice = reorderAdvice(sim).find((a) => a.product_id === product_id)!;
        const qty = quantity ?? Math.max(1, advice.recommended_quantity, Math.ceil(advice.daily_demand));
        const result = sim.act({ kind: 'reorder', productId: product_id, quantity: qty });
        return 'purchaseOrder' in result ? result.purchaseOrder : null;
      });
      if (!placed) return reply.code(500).send({ error: 'internal', message: 'the purchase order was not placed' });
      const supplier = clock.sim.world.dims.products.find((p) => p.product_id === product_id)!.supplier_id;
      return { purchase_order_id: placed.id, product_id, quantity: placed.qty, supplier_id: supplier, placed_at: iso(placed.placedAt), expected_arrival: iso(placed.arrivesAt) };
    },
  );
}
