/**
 * Demand forecasts: per category (or product) what sold, what the planner forecast the day
 * before, and its current forecast, from the store; retraining on request from the running
 * simulation's planner.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../domain/api.js';
import { ForecastList, ForecastQuery, ForecastView, RetrainAnswer } from '../../domain/intelligence-api.js';
import { getMarket } from '../../catalog/index.js';
import { iso } from '../../simulation/time.js';
import { RuleViolation } from '../../store/queries/errors.js';
import { forecastView, latestForecasts, productCategory, storedCategories } from '../../store/queries/forecasts.js';
import { answer, dbGate } from '../db-breaker.js';
import type { ServerState } from '../state.js';
import { dataMarket } from './analytics.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

export function forecastsRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gate = dbGate(app, state);

  r.get(
    '/api/forecasts',
    { schema: { summary: "Every category's latest forecast, and its model's accuracy at the last retraining", tags: ['forecasts'], response: { 200: ForecastList, ...errors } } },
    (_request, reply) =>
      answer(reply, async () => {
        const { market, latest, categories } = await gate.read(async (db) => ({ market: await dataMarket(db, state), latest: await latestForecasts(db), categories: await storedCategories(db) }));
        const planner = state.clock?.sim.planner;
        return {
          market,
          categories: categories.map((category) => ({
            category,
            predicted_demand: latest.get(category)?.predicted_demand ?? null,
            made_at: latest.get(category)?.made_at ?? null,
            metrics: planner?.lastMetrics.get(category) ?? null,
          })),
        };
      }),
  );

  r.get(
    '/api/forecasts/view',
    {
      schema: {
        summary: 'A category (?category=) or a product (?product_id=): units sold per day, the day-ahead forecasts with their 95% interval, and the current forecast',
        tags: ['forecasts'],
        querystring: ForecastQuery,
        response: { 200: ForecastView, ...errors },
      },
    },
    (request, reply) =>
      answer(reply, async () => {
        const { category, product_id, days } = request.query;
        if (!category === !product_id) throw new RuleViolation('bad_request', 'name one of category or product_id', {});
        return gate.read(async (db) => {
          const market = getMarket(await dataMarket(db, state));
          const categories = await storedCategories(db);
          if (category && !categories.includes(category)) throw new RuleViolation('bad_request', `unknown category ${category}; the categories are: ${categories.join(', ')}`, { category });
          if (product_id && (await productCategory(db, product_id)) === null) throw new RuleViolation('bad_request', `unknown product ${product_id}: no such row in products`, { product_id });
          return forecastView(db, { category: category ?? null, productId: product_id ?? null, days, offsetMinutes: market.utcOffsetMinutes });
        });
      }),
  );

  r.post(
    '/api/forecasts/retrain',
    { schema: { summary: "Train the running simulation's demand models again now (model.retrained, forecast.generated, new reorder points)", tags: ['forecasts'], response: { 200: RetrainAnswer, ...errors } } },
    async (_request, reply) => {
      const clock = state.clock;
      if (!clock) return reply.code(409).send({ error: 'simulation_disabled', message: 'retraining needs the live simulation: this server runs without one' });
      const result = clock.act((sim) => sim.act({ kind: 'retrain' }));
      const retrained = 'retrained' in result ? result.retrained : [];
      if (!retrained.length) return reply.code(409).send({ error: 'not_enough_history', message: 'the planner trains on at least 28 days of sales; the simulation has fewer so far' });
      return { retrained, at: iso(clock.sim.now) };
    },
  );
}
