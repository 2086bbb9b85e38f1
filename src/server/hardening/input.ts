/**
 * Every request's body, query string and path parameters, before any schema: numbers must
 * be finite and not denormal, text must hold no NUL byte and no unpaired surrogate. A 400
 * names the field, so a schema that forgot `domain/numbers.ts` cannot let one through to
 * the engine or to PostgreSQL (which answers a NUL with an error of its own).
 */
import type { FastifyInstance } from 'fastify';
import { firstInvalid } from '../../domain/numbers.js';

export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const problem =
      firstInvalid(request.params, 'params') ?? firstInvalid(request.query, 'querystring') ?? firstInvalid(request.body, 'body');
    if (!problem) return;
    return reply.code(400).send({ error: 'bad_request', message: `${problem.field}: ${problem.message}`, issues: [problem] });
  });
}
