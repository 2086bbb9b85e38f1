/**
 * Issue 13's reproductions 1, 2 and 6 as tests: one request cannot take the server down
 * (a job is bounded by the cores and a memory budget; speed × rate is capped; denormals,
 * non-finite numbers and NUL bytes get a 400 naming the field), replay is sliced and does
 * not block, and the stream transports have a connection cap with a reason.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayStats } from '../../src/server/replay.js';
import { inProcessServer, RecordingClient, waitUntil } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;
const json = (method: string, b: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: typeof b === 'string' ? b : JSON.stringify(b) });
const rssBytes = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const GB = 1024 ** 3;

describe('reproduction 1: one generation request cannot exhaust the machine', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false' });
  }, 120_000);
  afterAll(async () => server?.close());

  it('the dry run of a year at ×200 on 64 workers runs on at most the cores, bounded in memory, one job at a time, while /health answers', async () => {
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=jobs`);
    await client.opened;
    const res = await fetch(`${server.url}/api/mock-data/generate`, json('POST', { config: { startDate: '2024-01-01', endDate: '2024-12-31', volumeMultiplier: 200, dryRun: true, workers: 64 } }));
    expect(res.status).toBe(202);
    const started = (await res.json()) as { jobId: string; workers: number };
    try {
      expect(started.workers).toBeGreaterThanOrEqual(1);
      expect(started.workers).toBeLessThanOrEqual(availableParallelism());
      // One job at a time: the next is refused while this one runs.
      const second = await fetch(`${server.url}/api/mock-data/generate`, json('POST', { config: { dryRun: true } }));
      expect(second.status).toBe(409);
      expect(((await second.json()) as { message: string }).message).toMatch(/still running/);
      // Progress goes on; the server answers and stays under 2 GB at every report.
      let peak = rssBytes();
      for (let reports = 1; reports <= 4; reports++) {
        await client.waitFor((c) => c.events().filter((e) => e.event_type === 'job.progress').length >= reports, 120_000);
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
        peak = Math.max(peak, rssBytes());
        expect(peak).toBeLessThan(2 * GB);
      }
      const status = (await (await fetch(`${server.url}/api/mock-data/status?jobId=${started.jobId}`)).json()) as { status: string; workers: number };
      expect(['generating', 'completed']).toContain(status.status);
    } finally {
      // Stopped whatever failed above: a job left running would fail the next test with a 409.
      await client.close();
      server.state.jobs!.cancel(started.jobId);
      await server.state.jobs!.wait(started.jobId);
    }
  }, 300_000);

  it('a job whose world cannot fit the memory budget is refused up front with a 400 naming volumeMultiplier, and nothing starts', async () => {
    const before = rssBytes();
    const res = await fetch(`${server.url}/api/mock-data/generate`, json('POST', { config: { startDate: '2024-01-01', endDate: '2024-01-02', volumeMultiplier: 10_000, dryRun: true, workers: 64 } }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/config\.volumeMultiplier/);
    expect(body.message).toMatch(/JOB_MAX_MEMORY_MB/);
    expect(server.state.jobs!.busy).toBe(false);
    // The refusal built no world of 6 million customers (that alone is gigabytes).
    expect(rssBytes() - before).toBeLessThan(0.5 * GB);
  });
});

describe('reproduction 2 and 6: numbers must be finite and sane, text must be text', () => {
  let server: Server;
  beforeAll(async () => {
    // A database behind the routes (a NUL byte that got past validation would be its error, whatever
    // the tables hold), without the 30 days of demo history a first start loads: no test here reads
    // it, and loading it is most of this server's start (about 8 CPU seconds).
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_SEED_DEMO: 'false', SIMULATION_RATE: '30', SIMULATION_MAX_ORDERS_PER_SECOND: '20' });
  }, 120_000);
  afterAll(async () => server?.close());
  const view = async () => (await (await fetch(`${server.url}/api/simulation`)).json()) as { speed: number; ordersPerMinute: number; arrivals: unknown; lifecycle: unknown };

  it('PUT {"speed":1000000,"ratePerMinute":6000000} is accepted with the speed lowered to what the engine may simulate, and says so', async () => {
    const res = await fetch(`${server.url}/api/simulation`, json('PUT', { speed: 1_000_000, ratePerMinute: 6_000_000 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { speed: number; ordersPerMinute: number; limited: { requested_speed: number; max_orders_per_second: number; message: string } };
    expect(body.limited.requested_speed).toBe(1_000_000);
    expect(body.limited.max_orders_per_second).toBe(20);
    expect(body.limited.message).toMatch(/SIMULATION_MAX_ORDERS_PER_SECOND/);
    expect(body.ordersPerMinute).toBe(6_000_000);
    expect((body.speed * body.ordersPerMinute) / 60).toBeLessThanOrEqual(20 * (1 + 1e-9));
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // A setting within the cap is taken as asked.
    const calm = (await (await fetch(`${server.url}/api/simulation`, json('PUT', { speed: 2, ratePerMinute: 30 }))).json()) as { speed: number; limited?: unknown };
    expect(calm.speed).toBe(2);
    expect(calm.limited).toBeUndefined();
  });

  it('a speed the cap lowered comes back once the rate no longer needs it lowered; a speed named later replaces it', async () => {
    const put = async (body: object) => (await (await fetch(`${server.url}/api/simulation`, json('PUT', body))).json()) as { speed: number; limited?: { requested_speed: number } };
    expect((await put({ speed: 3, ratePerMinute: 30 })).speed).toBe(3);
    const fast = await put({ ratePerMinute: 100_000 });
    expect(fast.limited?.requested_speed).toBe(3);
    expect(fast.speed).toBeCloseTo((20 * 60) / 100_000, 9);
    const calm = await put({ ratePerMinute: 30 });
    expect(calm.speed).toBe(3);
    expect(calm.limited).toBeUndefined();
    // A change refused (400) changes nothing, the speed it would have restored included.
    await put({ ratePerMinute: 100_000 });
    const refused = await fetch(`${server.url}/api/simulation`, json('PUT', { ratePerMinute: 30, patterns: { rush_orders: 0.8, bulk_orders: 0.5 } }));
    expect(refused.status).toBe(400);
    expect((await put({ ratePerMinute: 30 })).speed).toBe(3);
    // Named while held down, the new speed is the one asked for from then on.
    await put({ ratePerMinute: 100_000 });
    expect((await put({ speed: 1 })).limited?.requested_speed).toBe(1);
    expect((await put({ ratePerMinute: 30 })).speed).toBe(1);
    expect((await put({ ratePerMinute: 60 })).speed).toBe(1);
  });

  it('denormals, overflow to Infinity and NUL bytes get a 400 naming the field, and change nothing', async () => {
    const before = await view();
    const cases: Array<[string, string, RegExp]> = [
      ['/api/simulation', '{"speed":1e-320}', /body\.speed/],
      ['/api/simulation', '{"delaySeconds":[0,1e-320]}', /body\.delaySeconds\.1/],
      ['/api/simulation', '{"speed":1e400}', /body\.speed/],
      ['/api/simulation', '{"lifecycle":{"pendingToConfirmed":[1,-1e-310]}}', /body\.lifecycle\.pendingToConfirmed\.1/],
      ['/api/simulation', '{"patterns":{"rush_orders":5e-324}}', /body\.patterns\.rush_orders/],
    ];
    for (const [path, body, field] of cases) {
      const res = await fetch(`${server.url}${path}`, json('PUT', body));
      expect(res.status, body).toBe(400);
      const answer = (await res.json()) as { error: string; message: string; issues: Array<{ field: string }> };
      expect(answer.error).toBe('bad_request');
      expect(answer.message, body).toMatch(field);
      expect(answer.message).toMatch(/finite|denormal|number/);
    }
    const after = await view();
    expect(after.speed).toBe(before.speed);
    expect(after.arrivals).toEqual(before.arrivals);
    expect(after.lifecycle).toEqual(before.lifecycle);
  });

  it('a NUL byte or an unpaired surrogate in a query, a body or a path is a 400 naming the field, never a database error', async () => {
    const search = await fetch(`${server.url}/api/products?search=%00`);
    expect(search.status).toBe(400);
    expect(((await search.json()) as { message: string }).message).toMatch(/querystring\.search: must not contain NUL/);
    const notes = await fetch(`${server.url}/api/orders`, json('POST', { customer_id: 'CUST-000001', items: [{ product_id: 'P-1', quantity: 1 }], notes: 'a\u0000b' }));
    expect(notes.status).toBe(400);
    expect(((await notes.json()) as { message: string }).message).toMatch(/body\.notes: must not contain NUL/);
    const surrogate = await fetch(`${server.url}/api/orders`, json('POST', '{"customer_id":"CUST-000001","items":[],"notes":"\\ud800"}'));
    expect(surrogate.status).toBe(400);
    expect(((await surrogate.json()) as { message: string }).message).toMatch(/body\.notes: must be valid Unicode/);
    const path = await fetch(`${server.url}/api/orders/ORD-%00`);
    expect(path.status).toBe(400);
    expect(((await path.json()) as { message: string }).message).toMatch(/params\.id/);
    const key = await fetch(`${server.url}/stream/broadcast/alert`, json('POST', '{"title":"t","message":"m","a\\u0000":1}'));
    expect(key.status).toBe(400);
  });
});

describe('reproduction 6: replay in slices, connection cap', () => {
  it('a replay from since=0 goes out in slices and waits for the reader: the server answers meanwhile, and the client gets every event once, in order', async () => {
    const server = await inProcessServer({ SIMULATION_ENABLED: 'false', STREAM_HISTORY_SIZE: '20000', STREAM_REPLAY_SLICE: '100', WS_MAX_BUFFERED_BYTES: '65536' });
    try {
      for (let i = 0; i < 5000; i++) server.state.hub.publish({ event_type: 'alert.broadcast', data: { alert_id: `a-${i}`, level: 'info', title: `t${i}`, message: 'x'.repeat(200) } });
      server.state.hub.flush();
      const last = server.state.hub.lastSeq;
      const client = new RecordingClient(`${server.ws}/stream/ws?channels=alerts&since=0`);
      await client.opened;
      // The reader stops reading: the replay must wait for it rather than buffer 5,000 events.
      const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      raw.pause();
      await waitUntil(() => replayStats.active > 0, 10_000, 'the replay to start');
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(replayStats.active).toBeGreaterThan(0); // still replaying, yet the request was answered
      raw.resume();
      await client.waitFor((c) => c.events().filter((e) => e.seq! <= last).length === 5000, 60_000);
      // Live events after the replay follow, with no duplicate.
      server.state.hub.publish({ event_type: 'alert.broadcast', data: { alert_id: 'live', level: 'info', title: 'live', message: 'after' } });
      await client.waitFor((c) => c.events().some((e) => e.data?.alert_id === 'live'));
      const seqs = client.events().map((e) => e.seq!);
      expect(seqs).toHaveLength(5001);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
      await client.close();
    } finally {
      await server.close();
    }
  }, 120_000);

  it('beyond STREAM_MAX_CLIENTS a WebSocket is closed with 1013 and a reason, an SSE request answered 503 with one', async () => {
    const server = await inProcessServer({ SIMULATION_ENABLED: 'false', STREAM_MAX_CLIENTS: '2' });
    try {
      const a = new RecordingClient(`${server.ws}/stream/ws`);
      const b = new RecordingClient(`${server.ws}/stream/ws`);
      await Promise.all([a.opened, b.opened]);
      await waitUntil(() => server.state.ws!.clients() === 2);
      const c = new RecordingClient(`${server.ws}/stream/ws`);
      await c.waitFor((x) => x.closed !== null);
      expect(c.closed!.code).toBe(1013);
      expect(c.closed!.reason).toMatch(/too many clients.*STREAM_MAX_CLIENTS/);
      const sse = await fetch(`${server.url}/stream/events`);
      expect(sse.status).toBe(503);
      expect(((await sse.json()) as { message: string }).message).toMatch(/STREAM_MAX_CLIENTS/);
      // A place freed is a place taken.
      await a.close();
      await waitUntil(() => server.state.ws!.clients() === 1);
      const d = new RecordingClient(`${server.ws}/stream/ws`);
      await d.waitFor((x) => x.frames.some((f) => f.type === 'connected'));
      expect(d.closed).toBeNull();
      await Promise.all([b.close(), d.close()]);
    } finally {
      await server.close();
    }
  });
});
