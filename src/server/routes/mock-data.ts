/** spec 002's jobs API: generate, status, scenarios, export, cleanup, toggle. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EntityName } from '../../domain/entities.js';
import { UsageError } from '../../domain/errors.js';
import { CleanupQuery, ExportRequest, GenerateJobRequest, ToggleBody } from '../../domain/jobs.js';
import { JobBusy } from '../../jobs/job-manager.js';
import { StoreNotEmpty } from '../../jobs/store-generation.js';
import { BUILT_IN_SCENARIOS } from '../../scenarios/builtin.js';
import { EXPORT_CONTENT_TYPES, exportRecords } from '../../sinks/export.js';
import { checkWrite, mockDataState, WriteRefused, writeToggle } from '../../store/guard.js';
import { cleanupMockData, scanRecords } from '../../store/records.js';
import { productCache } from '../product-cache.js';
import { MOCK_SCHEMA } from '../../store/schema.js';
import type { ServerState } from '../state.js';

const tags = ['mock-data'];

/** UsageError subclasses → the status that says what kind of refusal it is. */
export function refusal(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof WriteRefused) return reply.code(403).send({ error: `refused_${err.rule}`, message: err.message });
  if (err instanceof StoreNotEmpty || err instanceof JobBusy) return reply.code(409).send({ error: 'conflict', message: err.message });
  if (err instanceof UsageError) return reply.code(400).send({ error: 'bad_request', message: err.message });
  throw err;
}

export function mockDataRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const noStore = (reply: FastifyReply) =>
    reply.code(503).send({ error: 'store_disabled', message: 'this server runs without a database (STORE_ENABLED=false); jobs, cleanup, toggle and export need one' });

  r.post('/api/mock-data/generate', { schema: { summary: 'Start a generation job (a dry run unless config.dryRun is false)', tags, body: GenerateJobRequest } }, async (request, reply) => {
    if (!state.jobs) return noStore(reply);
    try {
      const job = await state.jobs.start(request.body);
      return reply.code(202).send({ jobId: job.jobId, status: job.status, scenario: job.scenario, workers: job.workers });
    } catch (err) {
      return refusal(reply, err);
    }
  });

  r.get('/api/mock-data/status', { schema: { summary: 'A job and its progress', tags, querystring: z.object({ jobId: z.string().min(1).max(100) }) } }, async (request, reply) => {
    if (!state.jobs) return noStore(reply);
    const job = await state.jobs.get(request.query.jobId);
    return job ?? reply.code(404).send({ error: 'not_found', message: `no job ${request.query.jobId}` });
  });

  r.get('/api/mock-data/scenarios', { schema: { summary: 'The built-in scenarios', tags } }, async () => ({
    scenarios: BUILT_IN_SCENARIOS.map((s) => ({ name: s.name, description: s.description, market: s.market, anomalyRate: s.anomalyRate, orderFactor: s.volume.orderFactor, profile: s })),
  }));

  r.post('/api/mock-data/export', { schema: { summary: 'Download one table as NDJSON, CSV or Parquet', tags, body: ExportRequest } }, async (request, reply) => {
    const store = state.store;
    if (!store) return noStore(reply);
    const { entity, format, limit } = request.body;
    const out = await exportRecords(entity as EntityName, format, scanRecords(store, entity as EntityName, limit));
    out.stream.on('close', () => void out.cleanup());
    return reply
      .header('content-type', EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${entity}.${format}"`)
      .send(out.stream);
  });

  r.get('/api/mock-data/cleanup', { schema: { summary: 'A single-use confirmation for DELETE /api/mock-data/cleanup (valid 5 minutes)', tags } }, async (_request, reply) => {
    if (!state.store) return noStore(reply);
    const issued = state.confirmations.issue();
    return { ...issued, message: `DELETE /api/mock-data/cleanup?confirm=${issued.confirm} deletes every row in ${MOCK_SCHEMA}; the confirmation works once` };
  });

  r.delete('/api/mock-data/cleanup', { schema: { summary: 'Remove all mock data: needs ?confirm=<a confirmation from GET /api/mock-data/cleanup, or the API token>', tags, querystring: CleanupQuery } }, async (request, reply) => {
    const store = state.store;
    if (!store) return noStore(reply);
    if (!state.confirmed(request.query.confirm)) {
      return reply.code(400).send({
        error: 'confirmation_required',
        message: `cleanup deletes every row in ${MOCK_SCHEMA}; GET /api/mock-data/cleanup for a single-use confirmation and repeat the call with ?confirm=<it>${request.query.confirm !== undefined ? ' (this one is unknown, used or expired)' : ''}`,
      });
    }
    if (state.jobs?.busy) return reply.code(409).send({ error: 'conflict', message: 'a generation job is running; wait for it before cleaning up' });
    try {
      await checkWrite(store, state.guardSettings(), { schema: MOCK_SCHEMA, records: 0 });
    } catch (err) {
      return refusal(reply, err);
    }
    const before = await cleanupMockData(store);
    productCache(state).clear();
    return { deleted: before, total: Object.values(before).reduce((a, b) => a + b, 0) };
  });

  r.get('/api/mock-data/toggle', { schema: { summary: 'Whether mock data writes are enabled, and why', tags } }, async (_request, reply) => {
    if (!state.store) return noStore(reply);
    return mockDataState(state.store, state.guardSettings());
  });

  r.post('/api/mock-data/toggle', { schema: { summary: 'Enable or disable mock data writes: {"enabled": true|false}', tags, body: ToggleBody } }, async (request, reply) => {
    if (!state.store) return noStore(reply);
    await writeToggle(state.store, request.body.enabled);
    const answer = await mockDataState(state.store, state.guardSettings());
    // Enabling does not reach back into a simulation that started without the store: say so rather than let the user wait.
    if (answer.enabled && state.liveStore().state === 'not_writing')
      return { ...answer, note: 'the running live simulation is not writing to the store (it started while writes were off, or a job replaced its data); restart the server for it to write' };
    return answer;
  });
}
