/** Liveness and the state of every dependency. */
import type { FastifyInstance } from 'fastify';
import type { ServerState } from '../state.js';

export function healthRoutes(app: FastifyInstance, state: ServerState): void {
  app.get('/health', { schema: { summary: 'Health of the server and its dependencies', tags: ['health'] } }, async () => state.health());
}
