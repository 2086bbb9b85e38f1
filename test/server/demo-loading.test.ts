/**
 * A first start serves at once and loads its demo dataset behind: the server answers and
 * reports the load's progress while it runs, the simulation goes on, and none of its events
 * is published before the rows it tells of are committed after the dataset.
 */
import pg from 'pg';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { describeZodError } from '../../src/domain/errors.js';
import { ServerEnv } from '../../src/domain/server-config.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { DemoLoading, type DemoLoadingReport } from '../../src/server/demo-loading.js';
import { demoProgressText } from '../../src/domain/demo-progress.js';
import { demoAhead, demoDaysBeforeNow, planLive } from '../../src/server/live-persistence.js';
import { storeIsNew } from '../../src/store/open.js';
import { guardSettingsOf } from '../../src/server/state.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { DAY_MS, localDate, localMidnight } from '../../src/simulation/time.js';
import { runCliInProcess, tempDir } from '../helpers/cli.js';
import { RecordingClient, testConfig, waitUntil } from '../helpers/server.js';
import { openTestStore, type BackendName, type TestStore } from '../helpers/store.js';

const START = Date.parse('2026-06-01T10:00:00Z');

describe('DemoLoading', () => {
  it('reports progress while the dataset is made, then against the estimate as it is copied, below 100% until the load commits, and logs as it passes each quarter', () => {
    const lines: string[] = [];
    const loading = new DemoLoading(1000, (m) => lines.push(m));
    expect(loading.report()).toEqual({ state: 'loading', phase: 'generating', rows: 0, estimated_rows: 1000, progress: 0 });
    loading.generated(0.6);
    loading.generated(0.4); // a late report never takes progress back
    expect(loading.report()).toEqual({ state: 'loading', phase: 'generating', rows: 0, estimated_rows: 1000, progress: 0.3 });
    loading.loaded('customers', 200);
    loading.loaded('orders', 100);
    // Making it is the first half, copying the second.
    expect(loading.report()).toEqual({ state: 'loading', phase: 'copying', rows: 300, estimated_rows: 1000, progress: 0.65 });
    loading.loaded('orders', 600); // a table's count so far, not an increment
    loading.loaded('order_items', 400);
    expect(loading.report()).toMatchObject({ state: 'loading', phase: 'copying', rows: 1200, progress: 0.99 });
    expect(lines).toEqual(['loading the demo dataset: 30% (generating it)', 'loading the demo dataset: 60% (200 rows copied)', 'loading the demo dataset: 90% (800 rows copied)']);
    // Made, not yet copying: said so, not as "0 rows copied".
    const made = new DemoLoading(1000, () => undefined);
    made.generated(1);
    expect(made.report()).toMatchObject({ phase: 'copying', rows: 0, progress: 0.5 });
    expect(demoProgressText(made.report() as DemoLoadingReport & { state: 'loading' })).toBe('50% (made, copying it in)');
    // A report after the load ended (a late callback) changes nothing and logs nothing.
    const ended = new DemoLoading(1000, (m) => lines.push(m));
    ended.failed('the server stopped before it was loaded');
    ended.generated(0.9);
    ended.loaded('orders', 900);
    expect(ended.report()).toEqual({ state: 'failed', rows: 0, reason: 'the server stopped before it was loaded' });
    expect(lines).toHaveLength(3);
    loading.done();
    expect(loading.report()).toEqual({ state: 'loaded', rows: 1200, progress: 1 });
    const failed = new DemoLoading(10, () => undefined);
    failed.failed('disk full');
    expect(failed.report()).toEqual({ state: 'failed', rows: 0, reason: 'disk full' });
  });
});

describe('the demo dataset made ahead', () => {
  it('reports its making from the plan on: below 1 while it is made, 1 once it is, also to a subscriber who comes after it is done', async () => {
    const db = (await openTestStore('pglite'))!;
    try {
      const config = testConfig({ STORE_ENABLED: 'true', STORE_DEMO_DAYS: '2', SIMULATION_SEED: '81' }, (c) => {
        c.simulation.startMs = START;
      });
      const scenario = getScenario(config.simulation.scenario);
      const plan = await planLive(db.store, guardSettingsOf(config), config, scenario, scenario.market, new AbortController().signal);
      if (!('demo' in plan) || !plan.demo) throw new Error(`no demo planned: ${JSON.stringify(plan)}`);
      const early: number[] = [];
      plan.demo.onGenerated((share) => early.push(share));
      // The load waits for the making to end: by then its end has been reported.
      await plan.demo.load(() => undefined);
      expect(early.at(-1)).toBe(1);
      expect(early.slice(0, -1).every((s) => s >= 0 && s <= 0.99)).toBe(true);
      expect(early).toEqual([...early].sort((a, b) => a - b));
      const late: number[] = [];
      plan.demo.onGenerated((share) => late.push(share));
      expect(late).toEqual([1]); // at once, without waiting for another report
    } finally {
      await db.close();
    }
  });
});

describe('the demo dataset started before the database is open (a new one)', () => {
  const config = testConfig({ STORE_ENABLED: 'true', STORE_DEMO_DAYS: '2', SIMULATION_SEED: '83' }, (c) => {
    c.simulation.startMs = START;
  });
  const scenario = getScenario(config.simulation.scenario);
  const rowsOf = async (db: TestStore) =>
    (await db.store.query<{ n: string }>(`SELECT (SELECT count(*) FROM mock_data.orders) || '/' || (SELECT count(*) FROM mock_data.order_items) || '/' || (SELECT sum(total_amount) FROM mock_data.orders) AS n`)).rows[0].n;

  it('is adopted by the plan of an empty store: the same dataset, to the cent, as one the plan makes itself', async () => {
    const [ownDb, aheadDb] = [(await openTestStore('pglite'))!, (await openTestStore('pglite'))!];
    try {
      const own = await planLive(ownDb.store, guardSettingsOf(config), config, scenario, scenario.market);
      const ahead = demoAhead(config, guardSettingsOf(config), scenario, scenario.market);
      expect(ahead).not.toBeNull();
      const adopted = await planLive(aheadDb.store, guardSettingsOf(config), config, scenario, scenario.market, undefined, ahead);
      if (!('demo' in own) || !own.demo || !('demo' in adopted) || !adopted.demo) throw new Error('no demo planned');
      expect(adopted.demo.onGenerated).toBe(ahead!.onGenerated); // this run, not one of the plan's own
      expect(adopted.startMs).toBe(ahead!.startMs);
      expect(adopted.epochMs).toBe(own.epochMs);
      await Promise.all([own.demo.load(() => undefined), adopted.demo.load(() => undefined)]);
      const mine = await rowsOf(ownDb);
      expect(mine).toMatch(/^[1-9]\d*\/[1-9]\d*\//);
      expect(await rowsOf(aheadDb)).toBe(mine);
    } finally {
      await ownDb.close();
      await aheadDb.close();
    }
  });

  it('is stopped, not loaded, when the store holds data after all; and not started where the guard would refuse it', async () => {
    const db = (await openTestStore('pglite'))!;
    try {
      const first = await planLive(db.store, guardSettingsOf(config), config, scenario, scenario.market);
      if (!('demo' in first) || !first.demo) throw new Error('no demo planned');
      await first.demo.load(() => undefined); // the store now holds a dataset
      const ahead = demoAhead(config, guardSettingsOf(config), scenario, scenario.market)!;
      const cancel = vi.spyOn(ahead, 'cancel');
      const plan = await planLive(db.store, guardSettingsOf(config), config, scenario, scenario.market, undefined, ahead);
      expect('demo' in plan && plan.demo).toBeFalsy();
      expect(cancel).toHaveBeenCalledTimes(1);
      await ahead.generated.catch(() => undefined); // stopped, or done first: either way not loaded
      expect(demoAhead(config, { envEnabled: null, maxRecords: 100 }, scenario, scenario.market)).toBeNull();
      expect(demoAhead(config, { envEnabled: false, maxRecords: 1e9 }, scenario, scenario.market)).toBeNull();
      vi.stubEnv('NODE_ENV', 'production');
      try {
        expect(demoAhead(config, guardSettingsOf(config), scenario, scenario.market)).toBeNull();
      } finally {
        vi.unstubAllEnvs();
      }
      expect(demoAhead({ ...config, store: { ...config.store, seedDemo: false } }, guardSettingsOf(config), scenario, scenario.market)).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe('a store known to be new', () => {
  it('is an embedded one whose directory holds no database yet, or one in memory; never a server by URL, never a directory with a database', () => {
    const dir = tempDir('orderstream-new-');
    expect(storeIsNew({ databaseUrl: null, dataDir: null })).toBe(true);
    expect(storeIsNew({ databaseUrl: null, dataDir: join(dir, 'absent') })).toBe(true);
    mkdirSync(join(dir, 'empty'));
    expect(storeIsNew({ databaseUrl: null, dataDir: join(dir, 'empty') })).toBe(true);
    mkdirSync(join(dir, 'made'));
    writeFileSync(join(dir, 'made', 'PG_VERSION'), '17\n');
    expect(storeIsNew({ databaseUrl: null, dataDir: join(dir, 'made') })).toBe(false);
    expect(storeIsNew({ databaseUrl: 'postgres://127.0.0.1/empty', dataDir: null })).toBe(false);
  });
});

describe.each<BackendName>(['postgres', 'pglite'])('a first start with the demo dataset loading behind (%s)', (backend) => {
  let db: TestStore | null = null;
  let server: RunningServer | null = null;
  let blocker: pg.Client | null = null;
  afterAll(async () => {
    await blocker?.query('ROLLBACK').catch(() => undefined);
    await blocker?.end().catch(() => undefined);
    await server?.close();
    await db?.close().catch(() => undefined);
  });

  it('serves at once: data routes say the dataset is loading, health does not wait for it, nothing unstored is published; then all of it with its rows', async (ctx) => {
    let env: Record<string, string> = { ORDERSTREAM_DATA_DIR: 'memory' };
    if (backend === 'postgres') {
      db = await openTestStore('postgres');
      if (!db) return ctx.skip();
      await db.store.close(); // migrated: the tables are there to lock
      env = { DATABASE_URL: db.url!, MOCK_DATA_ENABLED: 'true' };
      // The load waits on this table lock, after it has taken its own: as long as the test holds it, the server must serve meanwhile.
      blocker = new pg.Client({ connectionString: db.url! });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE mock_data.order_items IN ACCESS EXCLUSIVE MODE');
    }

    const logs: string[] = [];
    // 5 orders a simulated minute at 600x: 50 a second, the 20 this waits for within half a second of loading. At 30 (300 a
    // second) what gathered behind the load was thousands of orders to write at once after it, and on a busy machine the
    // simulation was held for that backlog past the wait for readiness. 3 days of history (not the default 30) are
    // over 1,000 rows, and still take long enough to load that the first requests find them loading.
    server = await startServer(
      testConfig({ STORE_ENABLED: 'true', STORE_DEMO_DAYS: '3', SIMULATION_SPEED: '600', SIMULATION_RATE: '5', SIMULATION_SEED: '77', ...env }, (c) => {
        c.simulation.startMs = START;
      }),
      { log: (m) => logs.push(m), loadDemoInBackground: true },
    );
    const orders = new RecordingClient(`${server.url.replace('http', 'ws')}/stream/ws?channels=orders`);
    await orders.opened;

    // Still loading (on the embedded database the load takes thousands of turns; on PostgreSQL the lock holds it).
    const [ready, health, list] = await Promise.all(['/health/ready', '/api/health', '/api/orders?limit=5'].map((url) => server!.app.inject({ url })));
    expect(ready.statusCode).toBe(503);
    expect(ready.json().components.demo_data).toMatchObject({ status: 'failing', state: 'loading' });
    expect(ready.json().reasons.join(' ')).toMatch(/loading the demo dataset: \d+%/);
    expect(health.statusCode).toBe(200);
    expect(health.json().demo_data).toMatchObject({ state: 'loading', phase: expect.stringMatching(/^(generating|copying)$/), progress: expect.any(Number) });
    expect(health.json().database.status).toBe(backend === 'pglite' ? 'busy' : 'ok');
    expect(list.statusCode).toBe(503);
    expect(list.headers['retry-after']).toBe('1');
    expect(list.json()).toMatchObject({ error: 'demo_loading', message: expect.stringMatching(/the demo dataset is loading/) });

    // The simulation runs meanwhile; what it does waits for the dataset it continues.
    const sim = server.state.clock!.sim;
    const placedBefore = sim.nextOrderIndex;
    await waitUntil(() => sim.nextOrderIndex >= placedBefore + 20, 60_000, '20 orders placed by the live simulation');
    if (blocker) {
      expect(orders.events().filter((e) => e.event_type === 'order.created')).toEqual([]);
      await blocker.query('ROLLBACK');
    }
    await waitUntil(() => orders.events().filter((e) => e.event_type === 'order.created').length >= 20, 60_000, '20 order.created events published');
    await waitUntil(async () => (await server!.app.inject({ url: '/health/ready' })).statusCode === 200, 60_000, 'ready');
    const after = (await server.app.inject({ url: '/api/health' })).json();
    expect(after.demo_data).toMatchObject({ state: 'loaded', phase: null, progress: 1, reason: null });
    expect(after.demo_data.rows).toBeGreaterThan(1000);
    expect(after.database.status).toBe('ok');
    expect(after.database.breaker).toBe('closed');
    // Served now (on a loaded machine a first read may still time out behind the simulation's catch-up write, with a 503 that says so).
    await waitUntil(async () => (await server!.app.inject({ url: '/api/orders?limit=5' })).statusCode === 200, 60_000, 'orders served');
    expect(logs.join('\n')).toMatch(/loading a demo dataset: the 3 days before now/);
    expect(logs.join('\n')).toMatch(/loaded a demo dataset: [\d,]+ rows, the 3 days before now/);

    // Every published order is in the store, after the dataset's own orders.
    const created = orders.events().filter((e) => e.event_type === 'order.created').map((e) => e.data!.order_id as string);
    const { rows } = await server.state.store!.query<{ order_id: string; seeded: boolean }>(
      `SELECT order_id, order_date < $2 AS seeded FROM mock_data.orders WHERE order_id = ANY($1::text[])`,
      [created, new Date(START).toISOString()],
    );
    expect(rows.map((r) => r.order_id).sort()).toEqual([...created].sort());
    expect(rows.every((r) => !r.seeded)).toBe(true);
    const seeded = await server.state.store!.query<{ n: number; first: number; last: number }>(
      `SELECT count(*)::int AS n, (extract(epoch FROM min(order_date)) * 1000)::float8 AS first, (extract(epoch FROM max(order_date)) * 1000)::float8 AS last
         FROM mock_data.orders WHERE order_date < $1`,
      [new Date(START).toISOString()],
    );
    expect(seeded.rows[0].n).toBeGreaterThan(100);
    // STORE_DEMO_DAYS=3: the dataset is the 3 days before the start, from the local midnight 3 days back (where the
    // simulation's replay starts too): no order before it, the first on its first day, the last on the day of the start.
    const offset = server.state.clock!.sim.world.offset;
    const epochMs = localMidnight(localDate(START - 3 * DAY_MS, offset), offset);
    expect(START - epochMs).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(START - epochMs).toBeLessThan(4 * DAY_MS);
    expect(seeded.rows[0].first).toBeGreaterThanOrEqual(epochMs);
    expect(seeded.rows[0].first).toBeLessThan(epochMs + DAY_MS);
    expect(seeded.rows[0].last).toBeGreaterThan(START - DAY_MS);
    await orders.close();
  });
});

describe('a first start without a demo dataset, serving at once (pglite)', () => {
  let server: RunningServer | null = null;
  afterAll(async () => void (await server?.close()));

  it('stores each product at the stock the simulation holds: the start-up switch to the configured arrivals is counted once', async () => {
    server = await startServer(
      testConfig({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_SEED_DEMO: 'false', SIMULATION_SPEED: '600', SIMULATION_RATE: '5', SIMULATION_SEED: '78' }, (c) => {
        c.simulation.startMs = START;
      }),
      { loadDemoInBackground: true },
    );
    const sim = server.state.clock!.sim;
    await waitUntil(() => sim.nextOrderIndex >= 20, 60_000, '20 orders placed');
    await server.app.inject({ method: 'PUT', url: '/api/simulation', payload: { paused: true } });
    // Paused, the writer drains what it holds; then every stored shelf is the simulation's.
    let mismatched: string[] = [];
    await waitUntil(
      async () => {
        const { rows } = await server!.state.store!.query<{ product_id: string; stock_quantity: number }>('SELECT product_id, stock_quantity FROM mock_data.products');
        const level = new Map(sim.world.dims.products.map((p, i) => [p.product_id, sim.ledger.level[i]]));
        mismatched = rows.filter((r) => r.stock_quantity !== level.get(r.product_id)).map((r) => `${r.product_id}: stored ${r.stock_quantity}, simulated ${level.get(r.product_id)}`);
        return rows.length === level.size && mismatched.length === 0;
      },
      30_000,
      'stored stock equal to the simulation’s',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; first mismatches: ${mismatched.slice(0, 3).join('; ')}`);
    });
  });
});

describe('STORE_DEMO_DAYS', () => {
  it('is 30 days unless set; anything but a whole number of days from 1 to 366 is refused with the range, by serve too', async () => {
    expect(testConfig().store.demoDays).toBe(30);
    expect(testConfig({ STORE_DEMO_DAYS: '1' }).store.demoDays).toBe(1);
    expect(testConfig({ STORE_DEMO_DAYS: '366' }).store.demoDays).toBe(366);
    for (const bad of ['0', '400', 'abc', '2.5', '-1', '']) {
      const parsed = ServerEnv.safeParse({ STORE_DEMO_DAYS: bad });
      expect(parsed.success, bad).toBe(false);
      expect(describeZodError(parsed.error!), bad).toBe('  • STORE_DEMO_DAYS: must be a whole number of days from 1 to 366');
    }
    // On port 0 without a simulation: were the setting taken, a server would start and the test would fail, not hang on 3001.
    const r = await runCliInProcess(['serve'], { STORE_DEMO_DAYS: '400', PORT: '0', SIMULATION_ENABLED: 'false' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/invalid server configuration \(flags or environment\):\n\s*• STORE_DEMO_DAYS: must be a whole number of days from 1 to 366/);
  });

  it('is named in the log lines, one day in the singular', () => {
    expect(demoDaysBeforeNow(30)).toBe('the 30 days before now');
    expect(demoDaysBeforeNow(3)).toBe('the 3 days before now');
    expect(demoDaysBeforeNow(1)).toBe('the day before now');
  });
});

describe('a demo dataset over MOCK_DATA_MAX_RECORDS (pglite)', () => {
  let server: RunningServer | null = null;
  afterAll(async () => void (await server?.close()));

  it('is not made at all: checked on the estimate before any row is, and the simulation runs without the store, saying why', async () => {
    const logs: string[] = [];
    server = await startServer(
      testConfig({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_DEMO_DAYS: '3', MOCK_DATA_MAX_RECORDS: '100', SIMULATION_SEED: '79' }, (c) => {
        c.simulation.startMs = START;
      }),
      { log: (m) => logs.push(m), loadDemoInBackground: true },
    );
    expect(logs.join('\n')).toMatch(/the live simulation runs without the store: .*MOCK_DATA_MAX_RECORDS/);
    expect(logs.join('\n')).not.toMatch(/loading a demo dataset/);
    expect(server.state.demo).toBeNull();
    expect(server.state.liveStore()).toEqual({ state: 'not_writing', reason: expect.stringMatching(/MOCK_DATA_MAX_RECORDS/) });
    const { rows } = await server.state.store!.query<{ n: number }>('SELECT count(*)::int AS n FROM mock_data.orders');
    expect(rows[0].n).toBe(0);
  });
});
