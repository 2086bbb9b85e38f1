/**
 * The event contract holds for everything that emits: a simulated month of every built-in
 * scenario in both speeds, and every event the REST API makes. Each event parses with its
 * type's strict schema (the envelope is a union discriminated on event_type, so a type with
 * no schema fails too). Ids are name-based UUIDs: checked against the `uuid` package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/batch/generate.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import { eventNamespace, uuidV5 } from '../../src/domain/event-id.js';
import { CHANNELS, EVENT_CHANNELS, EVENT_DATA, EVENT_TYPES, EventEnvelope, SequencedEnvelope, type EventType } from '../../src/domain/events.js';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { createLiveSimulation } from '../../src/simulation/live.js';
import { iso } from '../../src/simulation/time.js';
import { tempDir } from '../helpers/cli.js';
import { inProcessServer } from '../helpers/server.js';

function parseEvery(envelopes: unknown[], where: string, schema: typeof EventEnvelope | typeof SequencedEnvelope = EventEnvelope): Set<EventType> {
  const seen = new Set<EventType>();
  for (const e of envelopes) {
    const parsed = schema.safeParse(e);
    if (!parsed.success) throw new Error(`${where}: ${JSON.stringify(e).slice(0, 300)}\n${parsed.error.message}`);
    seen.add(parsed.data.event_type as EventType);
  }
  return seen;
}

describe('the contract itself', () => {
  it('declares a channel for every type and an example that parses with its type\'s schema', () => {
    expect(new Set(EVENT_TYPES)).toEqual(new Set(Object.keys(EVENT_CHANNELS)));
    for (const type of EVENT_TYPES) {
      expect(CHANNELS).toContain(EVENT_CHANNELS[type]);
      expect(EVENT_DATA[type].safeParse(EVENT_EXAMPLES[type]).success, type).toBe(true);
    }
  });

  it('refuses a payload with a field the contract does not name, and an unknown type', () => {
    const base = { type: 'event', event_id: '6ba7b810-9dad-51d1-80b4-00c04fd430c8', timestamp: '2025-01-01T00:00:00.000Z' };
    expect(EventEnvelope.safeParse({ ...base, event_type: 'stock.out', data: EVENT_EXAMPLES['stock.out'] }).success).toBe(true);
    expect(EventEnvelope.safeParse({ ...base, event_type: 'stock.out', data: { ...EVENT_EXAMPLES['stock.out'], extra: 1 } }).success).toBe(false);
    expect(EventEnvelope.safeParse({ ...base, event_type: 'stock.exploded', data: {} }).success).toBe(false);
  });

  it('makes event ids RFC 9562 version-5 UUIDs (the same bytes as the uuid package)', () => {
    const ns = eventNamespace(42);
    for (const name of ['order.created\n2025-01-01T00:00:00.000Z\n{"a":1}', 'ünïcode ✓', '']) expect(uuidV5(ns, name)).toBe(uuidv5(name, new Uint8Array(ns)));
  });
});

describe('every event a simulated month emits, in both speeds', () => {
  const root = tempDir('orderstream-contract-');
  const batch = new Map<string, Set<EventType>>();
  beforeAll(async () => {
    for (const s of BUILT_IN_SCENARIOS) {
      const out = join(root, s.name);
      // The first scenario through two worker threads (as the CLI runs it with --workers 2); the others in this
      // thread, which drafts and writes the same days with the same code (run-days.ts: the output
      // is the same) without starting two threads and building a world in each (half the cost).
      const threads = s === BUILT_IN_SCENARIOS[0];
      await generate({ scenario: s, marketId: s.market, options: GenerateOptions.parse({ from: '2024-11-01', to: '2024-11-30', events: true, workers: 2 }), out }, { inThread: !threads });
      const lines = readFileSync(join(out, 'events.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
      batch.set(s.name, parseEvery(lines, `${s.name} (batch)`));
    }
  }, 300_000);

  it('batch: every event of every scenario parses strictly', () => {
    for (const s of BUILT_IN_SCENARIOS) {
      const types = batch.get(s.name)!;
      for (const t of ['order.created', 'order.updated', 'order.delivered', 'stock.updated', 'stock.replenished', 'alert.reorder_needed', 'payment.completed', 'analytics.daily_summary', 'forecast.updated'] as EventType[]) {
        expect(types, `${s.name} ${t}`).toContain(t);
      }
    }
  });

  it('live: every event of every scenario parses strictly', () => {
    for (const s of BUILT_IN_SCENARIOS) {
      const start = Date.parse('2024-11-01T00:00:00Z');
      const sim = createLiveSimulation({ scenario: s, marketId: s.market, seed: 3, startMs: start, arrivals: { mode: 'scenario' } });
      const envelopes = sim.advanceTo(start + 30 * 86_400_000).map((e) => ({ type: 'event', event_id: '6ba7b810-9dad-51d1-80b4-00c04fd430c8', event_type: e.type, timestamp: iso(e.t), data: e.data }));
      const types = parseEvery(envelopes, `${s.name} (live)`);
      for (const t of ['order.created', 'order.updated', 'order.delivered', 'stock.updated', 'stock.replenished', 'alert.reorder_needed', 'payment.completed', 'analytics.daily_summary', 'forecast.updated'] as EventType[]) {
        expect(types, `${s.name} ${t}`).toContain(t);
      }
    }
  });
});

describe('every event the REST API makes', () => {
  let server: Awaited<ReturnType<typeof inProcessServer>>;
  const published: unknown[] = [];
  beforeAll(async () => {
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', SIMULATION_RATE: '30', SIMULATION_SEED: '8', STORE_SEED_DEMO: 'false' });
    server.state.hub.addLocalSink((e) => published.push(e.envelope));
  }, 120_000);
  afterAll(() => server?.close());

  it('orders, status moves, stock changes, the demo buttons, broadcasts, test events of every type and jobs all parse strictly', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as any };
    };
    const mark = published.length;
    const customer = (await call('GET', '/api/customers?limit=1')).body.items[0];
    const product = (await call('GET', '/api/products?limit=1')).body.items[0];
    const placed = await call('POST', '/api/orders', { customer_id: customer.customer_id, items: [{ product_id: product.product_id, quantity: 1 }] });
    expect(placed.status).toBe(201);
    for (const status of ['confirmed', 'processing', 'shipped', 'delivered']) expect((await call('PUT', `/api/orders/${placed.body.order_id}/status`, { status })).status).toBe(200);
    expect((await call('PUT', `/api/products/${product.product_id}/stock`, { delta: -1 })).status).toBe(200);
    for (const action of ['new-order', 'update-stock', 'status-update']) expect((await call('POST', `/api/simulate/${action}`)).status).toBeLessThan(300);
    expect((await call('POST', '/stream/broadcast/alert?level=warning&title=T&message=M')).status).toBe(200);
    for (const type of EVENT_TYPES) expect((await call('POST', `/stream/test/emit-event?event_type=${type}`)).status, type).toBe(200);
    const job = await call('POST', '/api/mock-data/generate', { config: { startDate: '2024-01-01', endDate: '2024-01-03', dryRun: true } });
    expect(job.status).toBe(202);
    await server.state.jobs!.wait(job.body.jobId);
    const mine = published.slice(mark);
    const types = parseEvery(mine, 'REST', SequencedEnvelope);
    for (const t of ['order.created', 'order.updated', 'order.delivered', 'stock.updated', 'alert.broadcast', 'job.completed'] as EventType[]) expect(types).toContain(t);
    expect(types.size).toBe(EVENT_TYPES.length); // every type, through the test endpoint at least
  });
});
