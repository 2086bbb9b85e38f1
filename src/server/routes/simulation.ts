/** Read and change the running simulation: rate, pattern mix, lifecycle timings, speed, pause. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SimulationPatch } from '../../domain/live.js';
import type { ServerState } from '../state.js';
import { limitPace } from '../hardening/pace.js';

export function simulationRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/simulation', { schema: { summary: 'Current simulation settings and statistics', tags: ['simulation'] } }, async (_request, reply) => {
    const view = state.simulationView();
    return view ?? reply.code(409).send({ error: 'simulation_disabled', message: 'this server runs without a simulation (started with --no-simulation or SIMULATION_ENABLED=false)' });
  });
  r.put(
    '/api/simulation',
    {
      schema: {
        summary: 'Change the running simulation; every field optional. {"patterns":{"rush_orders":0.3}} rescales the other patterns',
        tags: ['simulation'],
        body: SimulationPatch,
      },
    },
    async (request, reply) => {
      if (!state.clock) return reply.code(409).send({ error: 'simulation_disabled', message: 'this server runs without a simulation' });
      const { patch, limited, remember } = limitPace(state.clock.sim, request.body, state.config.limits.maxOrdersPerSecond, state.pace);
      try {
        state.clock.update(patch);
        remember();
      } catch (err) {
        if (err instanceof RangeError) return reply.code(400).send({ error: 'bad_request', message: err.message });
        throw err;
      }
      return limited ? { ...state.simulationView(), limited } : state.simulationView();
    },
  );
}
