/**
 * The web app's reads (issue 10): customers (search, paging, one with their orders) and
 * the order summary behind the monitoring cards. "Overdue" is judged at the simulation's
 * clock when one runs: the orders' promised deliveries are in simulated time.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CustomerId, ErrorBody, IdParams } from '../../domain/api.js';
import { CustomerListQuery, CustomerOrdersQuery, CustomerPage, CustomerWithOrders, OrderSummary, OrderSummaryQuery, Runtime, MarketInfo, CancelJobBody, CancelJobAnswer } from '../../domain/web-api.js';
import { getMarket } from '../../catalog/index.js';
import { getCustomer, listCustomers } from '../../store/queries/customers.js';
import { RuleViolation } from '../../store/queries/errors.js';
import { orderSummary } from '../../store/queries/order-summary.js';
import { answer, dbGate } from '../db-breaker.js';
import type { ServerState } from '../state.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** The business's "now": the simulated time when a simulation runs, else the wall clock. */
export const businessNow = (state: ServerState): number => (state.clock ? Math.floor(state.clock.simNow()) : Date.now());

export function webApiRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gate = dbGate(app, state);

  r.get(
    '/api/customers',
    { schema: { summary: 'Customers by id; search by part of the name, email or id', tags: ['management'], querystring: CustomerListQuery, response: { 200: CustomerPage, ...errors } } },
    (request, reply) => answer(reply, () => gate.read((db) => listCustomers(db, request.query))),
  );

  r.get(
    '/api/customers/:id',
    {
      schema: {
        summary: 'One customer with their newest orders',
        tags: ['management'],
        params: IdParams(CustomerId),
        querystring: CustomerOrdersQuery,
        response: { 200: CustomerWithOrders, ...errors },
      },
    },
    (request, reply) =>
      answer(reply, async () => {
        const { id } = request.params;
        const customer = await gate.read((db) => getCustomer(db, id, request.query.limit));
        if (!customer) throw new RuleViolation('not_found', `customer ${id} does not exist`, { customer_id: id });
        return customer;
      }),
  );

  r.get(
    '/api/orders/summary',
    {
      schema: {
        summary: 'Order counts by status, priority, pattern and region, the overdue count and revenue, for an order-date window',
        tags: ['management'],
        querystring: OrderSummaryQuery,
        response: { 200: OrderSummary, ...errors },
      },
    },
    (request, reply) => answer(reply, () => gate.read((db) => orderSummary(db, request.query, businessNow(state)))),
  );

  r.get('/api/runtime', { schema: { summary: "The server process's memory (resident, heap) and uptime", tags: ['health'], response: { 200: Runtime } } }, async () => {
    const m = process.memoryUsage();
    return {
      memory: { rss_bytes: m.rss, heap_used_bytes: m.heapUsed, heap_total_bytes: m.heapTotal, external_bytes: m.external },
      node: process.version,
      uptime_seconds: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
    };
  });

  r.get('/api/market', { schema: { summary: "The market of the server's data: currency and the UTC offset of its local times", tags: ['management'], response: { 200: MarketInfo, ...errors } } }, async (_request, reply) => {
    try {
      const m = getMarket(state.marketId);
      return { id: m.id, label: m.label, currency: m.currency, utc_offset_minutes: m.utcOffsetMinutes };
    } catch {
      return reply.code(404).send({ error: 'not_found', message: `market ${state.marketId} is not a built-in market pack` });
    }
  });

  r.post(
    '/api/mock-data/cancel',
    { schema: { summary: 'Cancel the running generation job: its transaction rolls back and job.failed says "cancelled"', tags: ['mock-data'], body: CancelJobBody, response: { 200: CancelJobAnswer, ...errors } } },
    async (request, reply) => {
      const { jobId } = request.body;
      if (!state.jobs) return reply.code(503).send({ error: 'store_disabled', message: 'this server runs without a database (STORE_ENABLED=false): there are no jobs' });
      if (!state.jobs.cancel(jobId)) return reply.code(409).send({ error: 'not_running', message: `job ${jobId} is not running on this server (finished, unknown, or another server's)` });
      return { jobId, cancelled: true as const, message: 'the job stops at its next batch; nothing it wrote stays' };
    },
  );
}
