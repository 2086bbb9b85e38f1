/**
 * spec 001's GET /api/metrics (event rate, clients, database latency and breaker, product
 * cache, HTTP errors) and GET /api/health (database and broker reachability). The older
 * /health of the streaming layer stays as it is.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiHealth, Metrics } from '../../domain/api.js';
import type { EventHub } from '../../hub/hub.js';
import type { Store } from '../../store/store.js';
import { dbGate } from '../db-breaker.js';
import { productCache } from '../product-cache.js';
import type { ServerState } from '../state.js';

/** Events per second over a sliding window, from the hub's sequence sampled once a second. */
class EventRate {
  private readonly samples: Array<{ at: number; seq: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly hub: EventHub,
    private readonly windowMs = 10_000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000).unref();
  }

  private sample(): void {
    const now = Date.now();
    this.samples.push({ at: now, seq: this.hub.lastSeq });
    while (this.samples.length > 1 && now - this.samples[0].at > this.windowMs) this.samples.shift();
  }

  /** Events since the oldest sample still in the window, per second (the window is shorter just after start). */
  current(): { total: number; per_second: number; window_seconds: number } {
    const now = Date.now();
    const oldest = this.samples[0];
    const seconds = (now - oldest.at) / 1000;
    const perSecond = seconds > 0 ? (this.hub.lastSeq - oldest.seq) / seconds : 0;
    return { total: this.hub.lastSeq, per_second: Math.round(perSecond * 100) / 100, window_seconds: Math.round(seconds * 10) / 10 };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** SELECT 1 straight to the store (not through the breaker: health reports what is, not what the breaker believes). */
async function probeDatabase(store: Store, timeoutMs: number): Promise<{ ok: boolean; latency_ms: number | null; error: string | null }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.query('SELECT 1'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { ok: true, latency_ms: Math.round((performance.now() - started) * 100) / 100, error: null };
  } catch (err) {
    return { ok: false, latency_ms: null, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function metricsRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gate = dbGate(app, state);
  const cache = productCache(state);
  const events = new EventRate(state.hub);
  app.addHook('onClose', async () => events.stop());

  // Every response of the server, whichever route (or none) answered it.
  const http = { requests: 0, errors_4xx: 0, errors_5xx: 0 };
  app.addHook('onResponse', async (_request, reply) => {
    http.requests++;
    if (reply.statusCode >= 500) http.errors_5xx++;
    else if (reply.statusCode >= 400) http.errors_4xx++;
  });

  r.get('/api/metrics', { schema: { summary: 'Event rate, connected clients, database latency and breaker, product cache, HTTP errors', tags: ['health'], response: { 200: Metrics } } }, async () => {
    const websocket = state.ws?.clients() ?? 0;
    const sse = state.sse?.clients() ?? 0;
    return {
      events: events.current(),
      clients: { websocket, sse, total: websocket + sse },
      database: { backend: state.store?.backend ?? null, latency_ms: gate.latency.summary(), breaker: gate.breakerReport() },
      cache: cache.stats(),
      http: { ...http },
      uptime_seconds: Math.round((Date.now() - state.startedAt) / 1000),
      timestamp: new Date().toISOString(),
    };
  });

  r.get(
    '/api/health',
    { schema: { summary: 'Database and broker reachability: ok, degraded (a broker or the breaker is not well, or the demo dataset still loading) or down (no database; answered 503)', tags: ['health'], response: { 200: ApiHealth, 503: ApiHealth } } },
    async (_request, reply) => {
      const store = state.store;
      // Busy with one long transaction (the demo dataset's load, a job's; embedded database): a probe would only wait for it.
      const busyWith = state.databaseBusyWith();
      const busy = busyWith !== null;
      const probe = store && !busy ? await probeDatabase(store, 2000) : null;
      const database = {
        status: busy ? ('busy' as const) : !probe ? ('disabled' as const) : probe.ok ? ('ok' as const) : ('down' as const),
        backend: store?.backend ?? null,
        latency_ms: probe?.latency_ms ?? null,
        // While busy, what with (it answers nothing else meanwhile).
        error: busyWith ? `busy ${busyWith}` : (probe?.error ?? null),
        breaker: gate.breakerState,
      };
      const brokers = { kafka: { status: state.kafka?.state ?? 'disabled' }, redis: { status: state.redis?.state ?? 'disabled' } };
      const brokersOk = [brokers.kafka.status, brokers.redis.status].every((s) => s === 'disabled' || s === 'connected');
      const status = database.status === 'down' ? 'down' : brokersOk && database.breaker === 'closed' && !busy ? 'ok' : 'degraded';
      void reply.code(status === 'down' ? 503 : 200);
      const demo = state.demo?.report();
      const demo_data = !demo
        ? { state: 'none' as const, phase: null, rows: 0, progress: null, reason: null }
        : demo.state === 'failed'
          ? { state: demo.state, phase: null, rows: demo.rows, progress: null, reason: demo.reason }
          : { state: demo.state, phase: demo.state === 'loading' ? demo.phase : null, rows: demo.rows, progress: demo.progress, reason: null };
      return { status, database, brokers, demo_data, live_writes: state.liveStore(), timestamp: new Date().toISOString() } as const;
    },
  );
}
