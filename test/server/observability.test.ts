/** Prometheus /metrics beside the JSON /api/metrics (kept as it was), and JSON request logs at LOG_LEVEL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, RecordingClient, spawnServer, waitUntil } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;

/** The value of one sample line, e.g. metric('orderstream_stream_clients{transport="websocket"}'). */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('GET /metrics', () => {
  let server: Server;
  beforeAll(async () => {
    // One day of demo history: the metrics need a store and live events, not a long history.
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_DEMO_DAYS: '1', SIMULATION_SPEED: '60', SIMULATION_RATE: '60' });
  }, 120_000);
  afterAll(async () => server?.close());

  it('exposes HTTP, hub, clients, outbox, change feed, Kafka, Redis, jobs, event-loop lag and memory in the Prometheus format', async () => {
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=orders`);
    await client.opened;
    await client.waitFor((c) => c.events().length > 0, 60_000);
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/simulation`)).status).toBe(200);
    expect((await fetch(`${server.url}/no/such/path/123`)).status).toBe(404);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'orderstream_http_requests_total{method="GET",route="/api/simulation",status="200"}')).toBeGreaterThanOrEqual(3);
    // Unknown paths are one label, not one series per URL.
    expect(sample(text, 'orderstream_http_requests_total{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/no/such/path');
    expect(sample(text, 'orderstream_stream_clients{transport="websocket"}')).toBe(1);
    expect(sample(text, 'orderstream_stream_subscribers{transport="websocket",channel="orders"}')).toBe(1);
    expect(sample(text, 'orderstream_hub_events_published{channel="orders"}')).toBeGreaterThan(0);
    expect(sample(text, 'orderstream_outbox_unpublished')).not.toBeNull();
    expect(sample(text, 'orderstream_change_feed_up')).toBe(1);
    expect(sample(text, 'orderstream_kafka_up')).toBe(0);
    expect(sample(text, 'orderstream_redis_up')).toBe(0);
    expect(sample(text, 'orderstream_jobs_running')).toBe(0);
    expect(sample(text, 'orderstream_replays_active')).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).not.toBeNull();
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^orderstream_http_request_duration_seconds_bucket\{/m);
    await client.close();
  }, 120_000);

  it('leaves GET /api/metrics (the JSON the web app reads) as it was', async () => {
    const body = (await (await fetch(`${server.url}/api/metrics`)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['cache', 'clients', 'database', 'events', 'http', 'timestamp', 'uptime_seconds']);
  });
});

describe('LOG_LEVEL', () => {
  it('writes structured JSON request logs on stdout at info', async () => {
    const server = await spawnServer(['--no-simulation'], { LOG_LEVEL: 'info' });
    let stdout = '';
    server.child.stdout!.on('data', (d) => (stdout += d));
    try {
      expect((await fetch(`${server.url}/stream/status`)).status).toBe(200);
      await waitUntil(() => stdout.includes('request completed'), 20_000, 'a request log line');
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const done = lines.find((l) => l.msg === 'request completed')!;
      expect(done).toMatchObject({ level: 30, reqId: expect.any(String), res: { statusCode: 200 } });
      expect(typeof done.responseTime).toBe('number');
    } finally {
      await server.stop();
    }
  }, 60_000);
});
