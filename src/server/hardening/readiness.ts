/**
 * Health that tells the truth. `/health` stays the liveness check (the process answers;
 * its body says what is degraded). `/health/ready` says whether this server can do its
 * work now: database reachable with its schema, Kafka and Redis connected when enabled,
 * the change feed listening, the outbox keeping up, the demo dataset of a first start loaded;
 * 503 with a reason for each that is not.
 *
 * A database dropped and recreated empty (or whose schemas were dropped) is migrated again
 * as soon as a request or the readiness check meets the missing tables, instead of
 * answering 500 forever.
 */
import type { FastifyInstance } from 'fastify';
import { demoProgressText } from '../../domain/demo-progress.js';
import { migrate } from '../../store/migrate.js';
import { META_SCHEMA, MOCK_SCHEMA } from '../../store/schema.js';
import type { ServerState } from '../state.js';

/** PostgreSQL's codes for a table or schema that is not there. */
const MISSING = new Set(['42P01', '3F000']);

export function isMissingRelation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && MISSING.has(String((err as { code?: unknown }).code));
}

/** Outbox rows committed but not published beyond which the server is not ready. */
const OUTBOX_LAG_LIMIT = 10_000;

export interface ComponentReport {
  status: 'ok' | 'disabled' | 'failing';
  reason?: string;
  [detail: string]: unknown;
}

export class Readiness {
  private migrating: Promise<void> | null = null;
  /** Times the schema was found missing and migrated again. */
  remigrations = 0;
  /** The last outbox lag measured (rows, seconds of the oldest), for the metrics. */
  outboxLag = { rows: 0, oldest_seconds: 0 };

  constructor(
    private readonly state: ServerState,
    private readonly log: (message: string) => void,
  ) {}

  /** Migrates the store again (once at a time): its tables are gone. */
  remigrate(): Promise<void> {
    const store = this.state.store;
    if (!store) return Promise.resolve();
    return (this.migrating ??= (async () => {
      try {
        const applied = await migrate(store);
        this.remigrations++;
        this.log(`database: its tables were gone (dropped or recreated); migrated again (${applied.length} migrations)`);
      } catch (err) {
        this.log(`database: could not migrate it again: ${(err as Error).message}`);
      } finally {
        this.migrating = null;
      }
    })());
  }

  private async database(timeoutMs: number): Promise<ComponentReport> {
    const store = this.state.store;
    if (!store) return { status: 'disabled' };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const probe = store.query<{ meta: string | null; mock: string | null }>(`SELECT to_regclass('${META_SCHEMA}.schema_migrations')::text AS meta, to_regclass('${MOCK_SCHEMA}.orders')::text AS mock`);
      const { rows } = await Promise.race([probe, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      const latency_ms = Math.round((performance.now() - started) * 100) / 100;
      if (rows[0].meta === null || rows[0].mock === null) {
        void this.remigrate();
        return { status: 'failing', reason: 'the database has no orderstream tables (recreated or dropped?); migrating it again', latency_ms };
      }
      return { status: 'ok', backend: store.backend, latency_ms };
    } catch (err) {
      return { status: 'failing', reason: `database unreachable: ${(err as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  private async outbox(timeoutMs: number): Promise<ComponentReport> {
    const store = this.state.store;
    if (!store) return { status: 'disabled' };
    let timer: NodeJS.Timeout | undefined;
    try {
      const query = store.query<{ n: number; oldest: number | null }>(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS oldest FROM ${META_SCHEMA}.outbox WHERE seq IS NULL`,
      );
      const { rows } = await Promise.race([query, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      this.outboxLag = { rows: rows[0].n, oldest_seconds: Math.round((rows[0].oldest ?? 0) * 10) / 10 };
      const report = { unpublished: this.outboxLag.rows, oldest_seconds: this.outboxLag.oldest_seconds };
      if (this.outboxLag.rows > OUTBOX_LAG_LIMIT) return { status: 'failing', reason: `${this.outboxLag.rows} committed events not yet published (more than ${OUTBOX_LAG_LIMIT})`, ...report };
      return { status: 'ok', ...report };
    } catch (err) {
      return { status: 'failing', reason: `cannot read the outbox: ${(err as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async check(): Promise<{ status: 'ready' | 'not_ready'; reasons: string[]; components: Record<string, ComponentReport>; timestamp: string }> {
    const s = this.state;
    // On the embedded database the demo dataset's load holds the only connection: a probe would just wait for it.
    const busyWith = s.databaseBusyWith();
    const busy: ComponentReport = { status: 'failing', reason: `busy ${busyWith} (the embedded database runs one transaction at a time); it answers when the load commits` };
    const [database, outbox] = busyWith ? [busy, { status: 'ok' as const, unpublished: this.outboxLag.rows, oldest_seconds: this.outboxLag.oldest_seconds, note: `not read while ${busyWith.replace(/^loading/, 'it loads')}` }] : await Promise.all([this.database(2000), this.outbox(2000)]);
    const kafka: ComponentReport = !s.kafka
      ? { status: 'disabled' }
      : s.kafka.state === 'connected'
        ? { status: 'ok', queued: s.kafka.queued }
        : { status: 'failing', reason: `Kafka is ${s.kafka.state}${s.kafka.lastError ? `: ${s.kafka.lastError}` : ''}; ${s.kafka.queued} events wait in the fallback queue`, queued: s.kafka.queued };
    const redis: ComponentReport = !s.redis
      ? { status: 'disabled' }
      : s.redis.state === 'connected'
        ? { status: 'ok' }
        : { status: 'failing', reason: `Redis is ${s.redis.state}${s.redis.lastError ? `: ${s.redis.lastError}` : ''}` };
    const feed = s.changeFeed?.report();
    const changeFeed: ComponentReport = !feed
      ? { status: 'disabled' }
      : feed.state === 'listening'
        ? { status: 'ok', lag_ms: feed.lag_ms }
        : { status: 'failing', reason: `the change feed is ${feed.state}${feed.last_error ? `: ${feed.last_error}` : ''}`, lag_ms: feed.lag_ms };
    const held = s.clock?.held ?? [];
    const simulation: ComponentReport = !s.clock ? { status: 'disabled' } : held.length ? { status: 'failing', reason: `the simulation is held: ${held.join('; ')}` } : { status: 'ok' };
    const loading = s.demo?.report();
    const demoData: ComponentReport = !loading
      ? { status: 'disabled' }
      : loading.state === 'loaded'
        ? { status: 'ok', rows: loading.rows }
        : loading.state === 'loading'
          ? { status: 'failing', reason: `loading the demo dataset: ${demoProgressText(loading)}; the stream and pages work meanwhile`, ...loading }
          : // The server serves on (the stream, the pages); what it lacks is said here and in /api/health, not by taking it out of rotation.
            { status: 'ok', state: 'failed', note: `the demo dataset could not be loaded (${loading.reason}); the simulation streams without the store`, rows: loading.rows };
    const shutdown: ComponentReport = s.draining ? { status: 'failing', reason: 'shutting down' } : { status: 'ok' };
    const components = { database, demo_data: demoData, kafka, redis, change_feed: changeFeed, outbox, simulation, shutdown };
    const reasons = Object.entries(components).flatMap(([name, c]) => (c.status === 'failing' ? [`${name}: ${c.reason}`] : []));
    return { status: reasons.length ? 'not_ready' : 'ready', reasons, components, timestamp: new Date().toISOString() };
  }
}

export function readinessRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/health/ready', { schema: { summary: 'Readiness: database (and its schema), the demo dataset of a first start, Kafka, Redis, change feed, outbox lag, simulation; 503 with reasons when not ready', tags: ['health'] } }, async (_request, reply) => {
    const report = await readiness.check();
    return reply.code(report.status === 'ready' ? 200 : 503).send(report);
  });
}
