/**
 * `GET /metrics`: Prometheus text exposition (prom-client), beside the JSON `/api/metrics`
 * that the web app reads (unchanged). One registry per server, so several servers in one
 * process (tests) do not share counters. Everything the hub, the transports, Kafka, Redis,
 * the store and the jobs already count is read at scrape time; HTTP requests are counted
 * as they are answered; the process's own (event-loop lag, memory, GC) come from
 * prom-client's default collectors.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { META_SCHEMA } from '../../store/schema.js';
import { replayStats } from '../replay.js';
import type { ServerState } from '../state.js';

export function prometheusRoutes(app: FastifyInstance, state: ServerState): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const requests = new Counter({ name: 'orderstream_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'orderstream_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL: ids and garbage paths must not become labels.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'orderstream_hub_events_published',
    help: 'Events published by the hub since start, per channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      for (const [channel, n] of Object.entries(state.hub.published)) this.set({ channel }, n);
    },
  });
  new Gauge({ name: 'orderstream_hub_last_seq', help: 'The last sequence number issued', registers: [registry], collect() { this.set(state.hub.lastSeq); } });
  new Gauge({ name: 'orderstream_hub_history_size', help: 'Events held for resuming clients', registers: [registry], collect() { this.set(state.hub.history.size); } });
  new Gauge({
    name: 'orderstream_stream_clients',
    help: 'Connected stream clients, per transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      this.set({ transport: 'websocket' }, state.ws?.clients() ?? 0);
      this.set({ transport: 'sse' }, state.sse?.clients() ?? 0);
    },
  });
  new Gauge({
    name: 'orderstream_stream_subscribers',
    help: 'Stream clients subscribed to each channel, per transport',
    labelNames: ['transport', 'channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [transport, t] of [['websocket', state.ws], ['sse', state.sse]] as const) {
        for (const [channel, n] of Object.entries(t?.channelStats() ?? {})) this.set({ transport, channel }, n);
      }
    },
  });
  new Gauge({ name: 'orderstream_stream_clients_max', help: 'The connection cap (STREAM_MAX_CLIENTS)', registers: [registry], collect() { this.set(state.config.limits.maxClients); } });
  new Gauge({ name: 'orderstream_replays_active', help: 'Resuming clients being sent history now', registers: [registry], collect() { this.set(replayStats.active); } });
  new Gauge({ name: 'orderstream_replay_events_sent', help: 'History events sent to resuming clients (this process)', registers: [registry], collect() { this.set(replayStats.events); } });

  new Gauge({
    name: 'orderstream_outbox_unpublished',
    help: 'Events committed to the outbox and not yet published',
    registers: [registry],
    async collect() {
      if (!state.store) return this.set(0);
      if (state.databaseBusy()) return this.set(state.readiness?.outboxLag.rows ?? 0); // the query would wait for the demo dataset's load
      try {
        const { rows } = await state.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${META_SCHEMA}.outbox WHERE seq IS NULL`);
        this.set(rows[0].n);
      } catch {
        this.set(state.readiness?.outboxLag.rows ?? 0);
      }
    },
  });
  new Gauge({ name: 'orderstream_change_feed_lag_seconds', help: 'Delay of the last row change reaching the hub', registers: [registry], collect() { this.set((state.changeFeed?.report().lag_ms ?? 0) / 1000); } });
  new Gauge({ name: 'orderstream_change_feed_up', help: '1 when the change feed is listening', registers: [registry], collect() { this.set(state.changeFeed?.report().state === 'listening' ? 1 : 0); } });
  new Gauge({ name: 'orderstream_database_remigrations', help: 'Times the database was found without its tables and migrated again', registers: [registry], collect() { this.set(state.readiness?.remigrations ?? 0); } });

  new Gauge({ name: 'orderstream_kafka_up', help: '1 when Kafka is connected (0 when down or disabled)', registers: [registry], collect() { this.set(state.kafka?.state === 'connected' ? 1 : 0); } });
  new Gauge({ name: 'orderstream_kafka_queue', help: 'Events waiting for Kafka (the fallback queue)', registers: [registry], collect() { this.set(state.kafka?.queued ?? 0); } });
  new Gauge({ name: 'orderstream_kafka_delivered', help: 'Events Kafka acknowledged', registers: [registry], collect() { this.set(state.kafka?.delivered ?? 0); } });
  new Gauge({ name: 'orderstream_kafka_dropped', help: 'Events dropped because the fallback queue was full', registers: [registry], collect() { this.set(state.kafka?.dropped ?? 0); } });
  new Gauge({ name: 'orderstream_redis_up', help: '1 when the Redis fan-out is connected', registers: [registry], collect() { this.set(state.redis?.state === 'connected' ? 1 : 0); } });
  new Gauge({
    name: 'orderstream_redis_messages',
    help: 'Redis fan-out messages, by direction (published, received, failed)',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      this.set({ direction: 'published' }, state.redis?.published ?? 0);
      this.set({ direction: 'received' }, state.redis?.received ?? 0);
      this.set({ direction: 'failed' }, state.redis?.failed ?? 0);
    },
  });
  new Gauge({ name: 'orderstream_jobs_running', help: '1 while a generation job runs', registers: [registry], collect() { this.set(state.jobs?.busy ? 1 : 0); } });
  new Gauge({ name: 'orderstream_simulation_active_orders', help: 'Orders in flight in the live simulation', registers: [registry], collect() { this.set(state.clock?.sim.stats.active ?? 0); } });
  new Gauge({ name: 'orderstream_simulation_held', help: '1 while the simulation clock is held (store away or behind, or at its cap)', registers: [registry], collect() { this.set((state.clock?.held.length ?? 0) > 0 || state.clock?.sim.capped ? 1 : 0); } });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['health'] } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(text);
  });
  return registry;
}
