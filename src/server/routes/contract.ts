/** The event contract as an AsyncAPI 3.0 document (generated from the zod schemas), beside the OpenAPI one at /docs. */
import type { FastifyInstance } from 'fastify';
import { asyncApiDocument } from '../../domain/asyncapi.js';
import { VERSION } from '../../domain/version.js';

export function contractRoutes(app: FastifyInstance): void {
  let cached: { host: string; doc: Record<string, unknown> } | null = null;
  app.get('/asyncapi.json', { schema: { summary: 'The event contract: AsyncAPI 3.0 (channels, messages, envelope, examples)', tags: ['stream'] } }, async (request) => {
    const host = request.headers.host ?? '127.0.0.1:3001';
    if (cached?.host !== host) cached = { host, doc: asyncApiDocument(VERSION, { host, secure: request.protocol === 'https' }) };
    return cached.doc;
  });
}
