import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, RecordingClient } from '../helpers/server.js';
import { EVENT_DATA } from '../../src/domain/events.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });
async function waitForClients(url: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const status = (await (await fetch(`${url}/stream/status`)).json()) as { websocket: { connected_clients: number } };
    if (status.websocket.connected_clients === n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${n} connected clients`);
}
const put = (url: string, body: unknown) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('REST: /stream/* and /api/simulation', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_SPEED: '30', SIMULATION_RATE: '30' });
  });
  afterAll(() => server.close());

  it('GET /stream/status reports clients per channel, Kafka and the fallback queue (spec 003 shape)', async () => {
    const a = new RecordingClient(`${server.ws}/stream/ws?channels=orders,stock`);
    const b = new RecordingClient(`${server.ws}/stream/ws?channels=alerts`);
    await Promise.all([a.opened, b.opened]);
    await waitForClients(server.url, 2);
    await a.waitFor((c) => c.events().length > 0);
    const { status, body } = await json(await fetch(`${server.url}/stream/status`));
    expect(status).toBe(200);
    expect(body.websocket.connected_clients).toBe(2);
    expect(body.websocket.channel_stats).toEqual({ orders: 1, stock: 1, alerts: 1 });
    expect(body.kafka).toMatchObject({ enabled: false, fallback_queue_size: 0 });
    expect(body.events.last_seq).toBeGreaterThan(0);
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    await Promise.all([a.close(), b.close()]);
  });

  it('POST /stream/broadcast/alert (spec 003 query form) reaches alert subscribers only', async () => {
    const alerts = new RecordingClient(`${server.ws}/stream/ws?channels=alerts`);
    const orders = new RecordingClient(`${server.ws}/stream/ws?channels=orders`);
    await Promise.all([alerts.opened, orders.opened]);
    await waitForClients(server.url, 2);
    const { status, body } = await json(await fetch(`${server.url}/stream/broadcast/alert?level=warning&title=Low%20Stock&message=Product%20X%20below%20threshold`, { method: 'POST' }));
    expect(status).toBe(200);
    expect(body.recipients).toBe(1);
    await alerts.waitFor((c) => c.events().some((e) => e.event_type === 'alert.broadcast'));
    const alert = alerts.events().find((e) => e.event_type === 'alert.broadcast')!;
    expect(alert.data).toMatchObject({ level: 'warning', title: 'Low Stock', message: 'Product X below threshold' });
    expect(alert.seq).toBe(body.seq);
    expect(orders.events().some((e) => e.event_type === 'alert.broadcast')).toBe(false);
    await Promise.all([alerts.close(), orders.close()]);
  });

  it('the JSON body form works as well as the query form', async () => {
    const c = new RecordingClient(`${server.ws}/stream/ws?channels=alerts,orders`);
    await c.opened;
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/stream/broadcast/alert', { level: 'critical', title: 'Body', message: 'from a JSON body' })).status).toBe(200);
    expect((await post('/stream/test/emit-event', { event_type: 'order.created', order_id: 'ORD-00000001' })).status).toBe(200);
    await c.waitFor((x) => x.events().some((e) => e.event_type === 'alert.broadcast') && x.events().some((e) => e.data!.order_id === 'ORD-00000001'));
    expect(c.events().find((e) => e.event_type === 'alert.broadcast')!.data).toMatchObject({ level: 'critical', title: 'Body' });
    expect(c.events().find((e) => e.data!.order_id === 'ORD-00000001')!.event_type).toBe('order.created');
    expect((await post('/stream/broadcast/alert', { level: 'critical', title: 'x', message: 'y', extra: 1 })).status).toBe(400);
    await c.close();
  });

  it('keeps answering at the highest speed: the simulation yields instead of blocking', async () => {
    await put(`${server.url}/api/simulation`, { speed: 1_000_000, ratePerMinute: 600 });
    // Requests are answered between the simulation's steps: the engine has made events
    // between one answer and the next (a loop that never yielded would answer none).
    const made: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/api/simulation`);
      expect(res.status).toBe(200);
      made.push(((await res.json()) as { stats: { events: number } }).stats.events);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 1; i < made.length; i++) expect(made[i]).toBeGreaterThan(made[i - 1]);
    await put(`${server.url}/api/simulation`, { speed: 30, ratePerMinute: 30 });
  });

  it('POST /stream/test/emit-event emits the named type on its channel', async () => {
    const c = new RecordingClient(`${server.ws}/stream/ws?channels=forecasts`);
    await c.opened;
    const { status, body } = await json(await fetch(`${server.url}/stream/test/emit-event?event_type=forecast.generated&product_id=TEST-001&message=hello`, { method: 'POST' }));
    expect(status).toBe(200);
    expect(body.channel).toBe('forecasts');
    await c.waitFor((x) => x.events().length === 1);
    const event = c.events()[0];
    // The type's example payload, valid for its type; the envelope says it is a test.
    expect(event).toMatchObject({ event_type: 'forecast.generated', test: true, note: 'hello' });
    expect(EVENT_DATA['forecast.generated'].safeParse(event.data).success).toBe(true);
    await c.close();
  });

  it('bad REST input gets 400 with a reason and changes nothing', async () => {
    const before = await json(await fetch(`${server.url}/api/simulation`));
    const cases: Array<[string, RequestInit]> = [
      ['/stream/broadcast/alert?level=panic&title=x&message=y', { method: 'POST' }],
      ['/stream/broadcast/alert?level=info', { method: 'POST' }],
      ['/stream/test/emit-event?event_type=order.exploded', { method: 'POST' }],
      ['/stream/fallback-queue?limit=-3', {}],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"speed": 0}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"speed": 2' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"patterns": {"rush_orders": 0.7, "bulk_orders": 0.6}}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"patterns": {"express": 0.5}}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"ratePerMinute": 5, "delaySeconds": [1, 2]}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"lifecycle": {"pendingToConfirmed": [30, 10]}}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"paused": "yes"}' }],
      ['/api/simulation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[]' }],
    ];
    for (const [path, init] of cases) {
      const res = await json(await fetch(`${server.url}${path}`, init));
      expect(res.status, path).toBe(400);
      expect(res.body.message.length, path).toBeGreaterThan(5);
    }
    const after = await json(await fetch(`${server.url}/api/simulation`));
    expect(after.body.patterns).toEqual(before.body.patterns);
    expect(after.body.speed).toBe(before.body.speed);
    expect((await fetch(`${server.url}/no/such/thing`)).status).toBe(404);
  });

  it('spec 000 test scenarios are one call each: rush 0.3, bulk 0.4, delayed 0.2', async () => {
    for (const [pattern, share] of [['rush_orders', 0.3], ['bulk_orders', 0.4], ['delayed_orders', 0.2]] as const) {
      const { status, body } = await json(await put(`${server.url}/api/simulation`, { patterns: { [pattern]: share } }));
      expect(status).toBe(200);
      expect(body.patterns[pattern]).toBe(share);
      expect(Object.values(body.patterns as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('rate, lifecycle timings, speed and pause change the running simulation', async () => {
    let r = await json(await put(`${server.url}/api/simulation`, { ratePerMinute: 120, lifecycle: { processingToShipped: [5, 10] }, speed: 10 }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ arrivals: { mode: 'rate', ratePerMinute: 120 }, speed: 10, lifecycle: { processingToShipped: [5, 10], pendingToConfirmed: [10, 30] } });
    r = await json(await put(`${server.url}/api/simulation`, { paused: true }));
    expect(r.body.paused).toBe(true);
    const c = new RecordingClient(`${server.ws}/stream/ws`);
    await c.opened;
    await new Promise((res) => setTimeout(res, 600));
    expect(c.events()).toEqual([]); // paused: nothing happens
    r = await json(await put(`${server.url}/api/simulation`, { paused: false }));
    await c.waitFor((x) => x.events().length > 0);
    await c.close();
  });

  it('serves an OpenAPI document at /docs', async () => {
    const { status, body } = await json(await fetch(`${server.url}/docs/json`));
    expect(status).toBe(200);
    for (const path of ['/stream/status', '/stream/broadcast/alert', '/stream/test/emit-event', '/stream/fallback-queue', '/stream/events', '/api/simulation', '/health']) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    expect(body.paths['/api/simulation'].put.requestBody).toBeDefined();
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);
  });

  it('GET /health reports each component', async () => {
    const { status, body } = await json(await fetch(`${server.url}/health`));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', components: { simulation: { status: 'running' }, kafka: { status: 'disabled' }, redis: { status: 'disabled' } } });
  });
});
