import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/app.js';
import { tempDir } from '../helpers/cli.js';
import { RecordingClient, sleep, spawnServer, startServerInChild, testConfig, waitUntil, type ServerProcess } from '../helpers/server.js';
import { REDIS_URL, redisCheck, serviceMissing, tcpReachable } from '../helpers/services.js';

const missing = await serviceMissing(`Redis at ${REDIS_URL}`, redisCheck);

describe.skipIf(missing)('Redis fan-out: two server processes sharing the machine\'s Redis', () => {
  const channel = `orderstream:test:${process.pid}:${Date.now()}`;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    const env = { REDIS_CHANNEL: channel };
    // Different seeds: each server simulates its own business, so event ids never collide.
    [a, b] = await Promise.all([
      spawnServer(['--redis-url', REDIS_URL, '--seed', '1', '--speed', '60', '--rate', '60'], env),
      spawnServer(['--redis-url', REDIS_URL, '--seed', '2', '--speed', '60', '--rate', '60'], env),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('every client of either server receives every event of both, exactly once', async () => {
    const setPaused = (paused: boolean) =>
      Promise.all([a, b].map((s) => fetch(`${s.url}/api/simulation`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused }) })));
    await setPaused(true);
    const clients = [new RecordingClient(`${a.ws}/stream/ws`), new RecordingClient(`${a.ws}/stream/ws`), new RecordingClient(`${b.ws}/stream/ws`), new RecordingClient(`${b.ws}/stream/ws`)];
    await Promise.all(clients.map((c) => c.opened));
    await sleep(200);
    const before = clients.map((c) => c.events().length); // what was in flight while pausing
    await setPaused(false);
    await sleep(2500);
    // Events from the REST API fan out too.
    await fetch(`${a.url}/stream/broadcast/alert?level=info&title=from%20A&message=hello`, { method: 'POST' });
    await fetch(`${b.url}/stream/test/emit-event?event_type=stock.low&product_id=FROM-B`, { method: 'POST' });
    await setPaused(true);
    await sleep(800); // let the last published events cross Redis

    const ids = clients.map((c, i) => c.events().slice(before[i]).map((e) => e.event_id!));
    for (const list of ids) expect(new Set(list).size).toBe(list.length); // no duplicates
    expect(ids[0].length).toBeGreaterThan(200);
    const sets = ids.map((list) => new Set(list));
    for (const s of sets) expect(s).toEqual(sets[0]); // every event reached every client
    const all = clients[0].events();
    expect(all.some((e) => e.event_type === 'alert.broadcast' && e.data!.title === 'from A')).toBe(true);
    expect(all.some((e) => e.event_type === 'stock.low' && e.data!.product_id === 'FROM-B')).toBe(true);
    // Both simulations are represented (seed 1 and seed 2 produce different first order ids).
    const orderIds = new Set(all.filter((e) => e.event_type === 'order.created').map((e) => e.data!.customer_id));
    expect(orderIds.size).toBeGreaterThan(20);
    // Each server numbers its own deliveries: seq strictly increasing per connection.
    for (const c of clients) {
      const seqs = c.events().map((e) => e.seq!);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    }
    const statusA = (await (await fetch(`${a.url}/stream/status`)).json()) as { redis: { state: string; published: number; received: number } };
    expect(statusA.redis.state).toBe('connected');
    expect(statusA.redis.received).toBeGreaterThan(100);
    expect(statusA.redis.published).toBeGreaterThan(100);
    await Promise.all(clients.map((c) => c.close()));
  });
});

const redisServer = await serviceMissing('redis-server binary', () => {
  execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
});

describe.skipIf(redisServer)('Redis fan-out degrades gracefully', () => {
  it('when Redis dies each server keeps serving its own clients, and fan-out resumes when it returns', async () => {
    const port = 20000 + (process.pid % 20000);
    const start = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let redis = start();
    await waitUntil(() => tcpReachable('127.0.0.1', port).then(() => true, () => false));
    const url = `redis://127.0.0.1:${port}`;
    const [a, b] = await Promise.all([spawnServer(['--redis-url', url, '--seed', '1', '--speed', '60']), spawnServer(['--redis-url', url, '--seed', '2', '--speed', '60'])]);
    try {
      const onA = new RecordingClient(`${a.ws}/stream/ws?channels=alerts`);
      const onB = new RecordingClient(`${b.ws}/stream/ws?channels=alerts`);
      await Promise.all([onA.opened, onB.opened]);
      const alert = (s: ServerProcess, title: string) => fetch(`${s.url}/stream/broadcast/alert?title=${title}&message=m`, { method: 'POST' });
      const titles = (c: RecordingClient) => c.events().filter((e) => e.event_type === 'alert.broadcast').map((e) => e.data!.title);

      await alert(a, 'before');
      await onB.waitFor((c) => titles(c).includes('before'));

      redis.kill('SIGKILL');
      await waitUntil(async () => ((await (await fetch(`${a.url}/health`)).json()) as { status: string }).status === 'degraded');
      await alert(a, 'during');
      await onA.waitFor((c) => titles(c).includes('during')); // its own clients are still served
      const status = (await (await fetch(`${a.url}/stream/status`)).json()) as { redis: { state: string } };
      expect(status.redis.state).toBe('unavailable');

      redis = start();
      await waitUntil(async () => ((await (await fetch(`${a.url}/stream/status`)).json()) as { redis: { state: string } }).redis.state === 'connected' &&
        ((await (await fetch(`${b.url}/stream/status`)).json()) as { redis: { state: string } }).redis.state === 'connected');
      await sleep(300); // the subscriber re-subscribes on reconnect
      await alert(a, 'after');
      await onB.waitFor((c) => titles(c).includes('after'));
      expect(titles(onB).filter((t) => t === 'after')).toHaveLength(1);
      await Promise.all([onA.close(), onB.close()]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      redis.kill('SIGKILL');
    }
  });
});

// No Redis needed: nothing listens on port 1.
describe('a start that cannot reach Redis', () => {
  it('fails saying what to do, and lets go of what it had opened (the embedded database, whose lock goes with it)', async () => {
    const dataDir = join(tempDir('orderstream-redis-down-'), 'pgdata');
    const config = testConfig({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: dataDir, STORE_DEMO_DAYS: '1', REDIS_ENABLED: 'true', REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(startServer(config)).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*set REDIS_ENABLED=false/);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true); // it had been opened
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('leaves no client reconnecting: the process ends by itself', async () => {
    const { code, stderr } = await startServerInChild({ STORE_ENABLED: 'false', REDIS_ENABLED: 'true', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(code).toBe(0);
  }, 60_000);
});

describe.skipIf(missing)('a start that fails before its turn to connect to Redis', () => {
  it('connects no client on the way out: the process ends by itself', async () => {
    // An unknown scenario is found after the Redis clients are made, before they connect.
    const { code, stderr } = await startServerInChild({ STORE_ENABLED: 'false', SIMULATION_ENABLED: 'false', SIMULATION_SCENARIO: 'no-such-scenario', REDIS_ENABLED: 'true', REDIS_URL });
    expect(stderr).toMatch(/no-such-scenario/);
    expect(code).toBe(0);
  }, 60_000);
});
