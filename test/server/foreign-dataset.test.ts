/**
 * serve onto a store that holds a dataset another world made (another market, seed or entity
 * volumes): its orders would point at ids that name other products and customers there, so it
 * streams on without writing and says why; onto a dataset its own world made, it writes through.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateOptions } from '../../src/domain/config.js';
import { generateIntoStore } from '../../src/jobs/store-generation.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { foreignDataset } from '../../src/server/dataset-match.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { guardSettingsOf } from '../../src/server/state.js';
import { World } from '../../src/simulation/world.js';
import { openStore } from '../../src/store/open.js';
import { ALL_TABLES } from '../../src/jobs/store-generation.js';
import type { Store } from '../../src/store/store.js';
import { RecordingClient, testConfig } from '../helpers/server.js';
import { openTestStore, serverStoreEnv, type BackendName, type TestStore } from '../helpers/store.js';

const START = Date.parse('2026-06-01T10:00:00Z');
const SEED = 77;

/** A dataset of egypt-coffee, normal-ops, seed 77: three days before START, as a job or `generate --no-dry-run` loads it. */
async function seedEgyptCoffee(store: Store): Promise<void> {
  const guard = guardSettingsOf(testConfig({ STORE_ENABLED: 'true', MOCK_DATA_ENABLED: 'true' }));
  await generateIntoStore(store, guard, {
    scenario: getScenario('normal-ops'),
    marketId: 'egypt-coffee',
    options: GenerateOptions.parse({ from: '2026-05-29', to: '2026-05-31', seed: SEED, workers: 1 }),
    batchSize: 5000,
    replace: true,
  });
}

const world = (marketId: string, scenario: string, seed = SEED, multiplier = 1) =>
  new World({ seed, from: '2026-06-01', to: '2026-06-01', multiplier, scenario: getScenario(scenario), marketId });

describe('foreignDataset: whether the store holds the dataset of the simulation\'s world', () => {
  let db: TestStore;
  beforeAll(async () => {
    db = (await openTestStore('pglite'))!;
    await seedEgyptCoffee(db.store);
  }, 60_000);
  afterAll(() => db?.close());

  it('accepts its own world (whatever the dates), and a scenario whose dimension tables are the same', async () => {
    expect(await foreignDataset(db.store, world('egypt-coffee', 'normal-ops'))).toBeNull();
    // peak-season changes volumes and anomalies, not which products and customers there are.
    expect(await foreignDataset(db.store, world('egypt-coffee', 'peak-season'))).toBeNull();
  });

  it('names another market, what differs and what to do', async () => {
    const message = await foreignDataset(db.store, world('us-electronics', 'peak-season'));
    expect(message).toMatch(/^the store holds an egypt-coffee dataset \(scenario normal-ops, seed 77\); this simulation is us-electronics \(scenario peak-season, seed 77\): product PROD-\d+ is "[^"]+" \(EGP [\d.]+\) in the store, "[^"]+" \(USD [\d.]+\) in this simulation/);
    expect(message).toMatch(/streams on but does not write to the store/);
    expect(message).toMatch(/--market egypt-coffee --scenario normal-ops --seed 77/);
    expect(message).toMatch(/`orderstream cleanup --confirm`/);
    expect(message).toMatch(/ORDERSTREAM_DATA_DIR/);
  });

  it('tells another seed, more companies (growth-phase) and another volume multiplier apart', async () => {
    expect(await foreignDataset(db.store, world('egypt-coffee', 'normal-ops', SEED + 1))).toMatch(
      /^the store holds an egypt-coffee dataset \(scenario normal-ops, seed 77\); this simulation is egypt-coffee \(scenario normal-ops, seed 78\): /,
    );
    expect(await foreignDataset(db.store, world('egypt-coffee', 'growth-phase'))).toMatch(/: (customer|branch|company|user) \S+ is "[^"]+" in the store, "[^"]+" in this simulation/);
    // Only the multiplier differs, which serve does not take: no advice to start it with other flags.
    const multiplied = await foreignDataset(db.store, world('egypt-coffee', 'normal-ops', SEED, 2));
    expect(multiplied).toMatch(/^the store holds an egypt-coffee dataset of this scenario and seed made at another volume multiplier \(a job's volumeMultiplier; serve simulates at 1\)/);
    expect(multiplied).toMatch(/To write through, regenerate it at multiplier 1, empty the store/);
    expect(multiplied).not.toMatch(/start with/);
  });

  it('accepts an emptied store (the simulation writes its rows)', async () => {
    await db.store.query(`TRUNCATE ${ALL_TABLES}`);
    expect(await foreignDataset(db.store, world('us-electronics', 'peak-season'))).toBeNull();
  });
});

describe.each<BackendName>(['postgres', 'pglite'])('serve onto a dataset already in the store (%s)', (backend) => {
  let db: TestStore | null = null;
  let env: Record<string, string> = {};
  let seeded = 0;
  beforeAll(async () => {
    const server = await serverStoreEnv(backend, 'foreign');
    db = server.db;
    if (!server.env) return;
    env = server.env;
    await withDb(async (s) => {
      await seedEgyptCoffee(s);
      seeded = (await counts(s)).orders;
    });
  }, 60_000);
  afterAll(() => db?.close().catch(() => undefined));

  /** A short-lived connection of the test's own (PGlite allows one process: only while the server is down). */
  const withDb = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = await openStore(backend === 'postgres' ? { databaseUrl: env.DATABASE_URL, dataDir: null } : { databaseUrl: null, dataDir: env.ORDERSTREAM_DATA_DIR });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  const counts = (s: Store) =>
    s
      .query<{ orders: number; products: number; customers: number; usd: number }>(
        `SELECT (SELECT count(*)::int FROM mock_data.orders) AS orders, (SELECT count(*)::int FROM mock_data.products) AS products,
                (SELECT count(*)::int FROM mock_data.customers) AS customers, (SELECT count(*)::int FROM mock_data.orders WHERE currency <> 'EGP') AS usd`,
      )
      .then((r) => r.rows[0]);

  /** Serves with `extra`, records 20 orders placed live (from the start, with the system channel), and stops. */
  const serveAndWatch = async (extra: Record<string, string>, logs: string[]) => {
    const startedAt = Date.now();
    const server: RunningServer = await startServer(
      testConfig({ STORE_ENABLED: 'true', SIMULATION_SPEED: '600', SIMULATION_RATE: '30', SIMULATION_SEED: String(SEED), SHUTDOWN_TIMEOUT: '60', ...env, ...extra }, (c) => {
        c.simulation.startMs = START;
      }),
      { log: (m) => logs.push(m) },
    );
    // Orders as they are published from now on; the system channel from the start (its notice came before any client could connect).
    const client = new RecordingClient(`${server.url.replace('http', 'ws')}/stream/ws?channels=orders`);
    const system = new RecordingClient(`${server.url.replace('http', 'ws')}/stream/ws?channels=system&since=0`);
    try {
      await Promise.all([client.opened, system.opened]);
      await client.waitFor((c) => c.events().filter((e) => e.event_type === 'order.created').length >= 20, 60_000);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { components: { simulation: { store: { state: string; reason: string | null } } } };
      const apiHealth = (await (await fetch(`${server.url}/api/health`)).json()) as { status: string; live_writes: { state: string; reason: string | null } };
      // The hub restores the last run's history (the replay from 0 includes it): this run's notices are the ones since it started.
      const degraded = system.events().filter((e) => e.event_type === 'stream.degraded' && Date.parse(String(e.data!.since)) >= startedAt);
      return { events: client.events(), degraded, health, apiHealth };
    } finally {
      await client.close();
      await system.close();
      await server.close();
    }
  };

  it('streams on without writing onto another market\'s dataset, and says what differs and what to do', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    expect(seeded).toBeGreaterThan(50);
    const before = await withDb(counts);
    const logs: string[] = [];
    const seen = await serveAndWatch({ SIMULATION_MARKET: 'us-electronics', SIMULATION_SCENARIO: 'peak-season' }, logs);
    const reason = /the store holds an egypt-coffee dataset \(scenario normal-ops, seed 77\); this simulation is us-electronics \(scenario peak-season, seed 77\): product PROD-\d+ is .*streams on but does not write to the store.*--market egypt-coffee.*orderstream cleanup --confirm/;
    expect(logs.join('\n')).toMatch(reason);
    expect(logs.join('\n')).not.toMatch(/writes through to the store/);
    expect(seen.degraded).toHaveLength(1);
    expect(seen.degraded[0].data).toMatchObject({ component: 'store', reason: expect.stringMatching(reason) });
    expect(seen.health.components.simulation.store).toEqual({ state: 'not_writing', reason: expect.stringMatching(reason) });
    expect(seen.apiHealth.live_writes).toEqual({ state: 'not_writing', reason: expect.stringMatching(reason) });
    // The orders streamed are in USD, and none of them is in the store; nor are the simulation's products and customers.
    const created = seen.events.filter((e) => e.event_type === 'order.created');
    expect(created.every((e) => e.data!.currency === 'USD')).toBe(true);
    await withDb(async (s) => {
      expect(await counts(s)).toEqual(before);
      const { rows } = await s.query('SELECT order_id FROM mock_data.orders WHERE order_id = ANY($1::text[])', [created.map((e) => String(e.data!.order_id))]);
      expect(rows).toEqual([]);
    });
  }, 180_000);

  it('writes through onto a dataset its own world made', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    // The seeded dataset (egypt-coffee, normal-ops, seed 77), untouched by the test before.
    const before = await withDb(counts);
    expect(before.orders).toBe(seeded);
    const logs: string[] = [];
    const seen = await serveAndWatch({ SIMULATION_MARKET: 'egypt-coffee', SIMULATION_SCENARIO: 'normal-ops' }, logs);
    expect(logs.join('\n')).toMatch(new RegExp(`the simulation writes through to the store \\(${seeded.toLocaleString('en-US')} orders there already\\)`));
    expect(logs.join('\n')).not.toMatch(/does not write to the store|failed/);
    expect(seen.degraded).toEqual([]);
    expect(seen.health.components.simulation.store).toEqual({ state: 'writing', reason: null });
    expect(seen.apiHealth.live_writes).toEqual({ state: 'writing', reason: null });
    // Published only once stored: every order seen is in the store, numbered after the dataset's.
    const created = seen.events.filter((e) => e.event_type === 'order.created').map((e) => String(e.data!.order_id));
    await withDb(async (s) => {
      const { rows } = await s.query<{ order_id: string; currency: string }>('SELECT order_id, currency FROM mock_data.orders WHERE order_id = ANY($1::text[])', [created]);
      expect(rows.length).toBe(created.length);
      expect(rows.every((r) => r.currency === 'EGP')).toBe(true);
      const after = await counts(s);
      expect(after.products).toBe(before.products);
      expect(after.customers).toBe(before.customers);
      expect(after.orders).toBeGreaterThanOrEqual(before.orders + created.length);
    });
  }, 180_000);
});
