/** spec 002's jobs API over HTTP, on both backends: jobs with progress on the hub, export downloads, cleanup, toggle, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobWait } from '../../src/server/job-wait.js';
import { inProcessServer, RecordingClient, waitUntil } from '../helpers/server.js';
import { openTestStore, type BackendName, type TestStore } from '../helpers/store.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;
const body = (b: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof b === 'string' ? b : JSON.stringify(b) });

describe.each<BackendName>(['pglite', 'postgres'])('/api/mock-data (%s)', (backend) => {
  let db: TestStore | null = null;
  let server: Server | null = null;
  beforeAll(async () => {
    let env: Record<string, string>;
    if (backend === 'postgres') {
      db = await openTestStore('postgres');
      if (!db) return;
      await db.store.close(); // the server opens its own
      env = { DATABASE_URL: db.url!, MOCK_DATA_ENABLED: 'true' };
    } else env = { ORDERSTREAM_DATA_DIR: 'memory' };
    server = await inProcessServer({ STORE_ENABLED: 'true', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false', ...env });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close().catch(() => undefined);
  });
  const api = (path: string, init?: RequestInit) => fetch(`${server!.url}${path}`, init);

  it('runs a job: 202 with the job id, job events on the jobs channel, status with per-entity progress', async (ctx) => {
    if (!server) return ctx.skip();
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=jobs`);
    await client.opened;
    const res = await api('/api/mock-data/generate', body({ scenario: 'normal-ops', config: { startDate: '2024-01-01', endDate: '2024-02-15', seed: 3, dryRun: false } }));
    expect(res.status).toBe(202);
    const started = (await res.json()) as { jobId: string; status: string; scenario: string };
    expect(started).toMatchObject({ status: 'started', scenario: 'normal-ops' });
    expect(started.jobId).toMatch(/^job-[0-9a-f]{12}$/);
    // While its transaction is open (seconds; this request is answered in milliseconds) the embedded database
    // runs nothing else, so a read is told at once what it waits for (it waited 3 s, then said the database
    // was unavailable, and each such timeout counted towards opening the circuit breaker).
    await waitUntil(() => server!.state.jobs?.loadingId === started.jobId, 30_000, 'the job to open its transaction');
    const during = await api('/api/orders/summary');
    const answer = (await during.json()) as { error?: string; message?: string };
    if (backend === 'pglite') {
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('5');
      expect(answer).toEqual({ error: 'database_busy', message: expect.stringContaining(`busy loading generation job ${started.jobId}`) });
      // The jobs' own routes are answered from memory meanwhile: a second job is refused as such (409), and the running one can be cancelled.
      const second = await api('/api/mock-data/generate', body({ config: { dryRun: false, replace: true } }));
      expect(second.status).toBe(409);
      expect(jobWait(server!.state, `/api/mock-data/cancel?jobId=${started.jobId}`)).toBeNull();
      expect(jobWait(server!.state, `/api/mock-data/status?jobId=${started.jobId}`)).toBeNull();
      expect(jobWait(server!.state, '/api/mock-data/export')).toMatch(/busy loading generation job/);
      const health = (await (await api('/api/health')).json()) as { database: { status: string; error: string | null } };
      expect(health.database).toMatchObject({ status: 'busy', error: `busy loading generation job ${started.jobId}` });
    } else expect(answer.error).not.toBe('database_busy');
    let status: Record<string, any> = {};
    await waitUntil(async () => {
      status = (await (await api(`/api/mock-data/status?jobId=${started.jobId}`)).json()) as Record<string, any>;
      return status.status === 'completed' || status.status === 'failed';
    }, 60_000, 'the job to finish');
    expect(status.status).toBe('completed');
    expect(status.progress).toMatchObject({ progressPercent: 100, etaSeconds: 0 });
    expect(status.progress.recordsGenerated.orders).toBeGreaterThan(1000);
    expect(status.progress.throughput).toBeGreaterThan(0);
    await client.waitFor((c) => c.events().some((e) => e.event_type === 'job.completed'));
    const done = client.events().find((e) => e.event_type === 'job.completed')!;
    expect(done.data).toMatchObject({ job_id: started.jobId, status: 'completed' });
    await client.close();

    // A second job would merge into the first: refused with the way out.
    const again = await api('/api/mock-data/generate', body({ config: { dryRun: false } }));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/replace/);
    expect((await api('/api/mock-data/status?jobId=job-000000000000')).status).toBe(404);
  }, 90_000);

  it('exports a table as a download in each format', async (ctx) => {
    if (!server) return ctx.skip();
    const nd = await api('/api/mock-data/export', body({ entity: 'products', format: 'ndjson' }));
    expect(nd.status).toBe(200);
    expect(nd.headers.get('content-disposition')).toBe('attachment; filename="products.ndjson"');
    const lines = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l) as { product_id: string });
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.map((p) => p.product_id)).toEqual([...lines.map((p) => p.product_id)].sort());
    const csv = await api('/api/mock-data/export', body({ entity: 'orders', format: 'csv', limit: 10 }));
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).trim().split('\n')).toHaveLength(11);
    const pq = await api('/api/mock-data/export', body({ entity: 'customers', format: 'parquet' }));
    expect(Buffer.from(await pq.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
    expect((await api('/api/mock-data/export', body({ entity: 'nope' }))).status).toBe(400);
    expect((await api('/api/mock-data/export', body({ entity: 'orders', format: 'xlsx' }))).status).toBe(400);
  }, 60_000);

  it('rejects malformed job bodies with the field and reason, starting nothing', async (ctx) => {
    if (!server) return ctx.skip();
    const bad: unknown[] = [
      '{not json',
      { scenario: 'no-such-scenario' },
      { config: { startDate: '2024-13-01' } },
      { config: { startDate: '2024-02-01', endDate: '2024-01-01' } },
      { config: { volumeMultiplier: -1 } },
      { config: { seed: 1.5 } },
      { config: { batchSize: 0 } },
      { config: { dryRun: 'no' } },
      { config: { market: 'atlantis' } },
      { scenario: "'; DROP TABLE mock_data.orders; --" },
      { config: { unknown: 1 } },
    ];
    for (const b of bad) {
      const res = await api('/api/mock-data/generate', body(b));
      expect(res.status, JSON.stringify(b)).toBe(400);
      const msg = ((await res.json()) as { message: string }).message;
      expect(msg.length, JSON.stringify(b)).toBeGreaterThan(5);
      // The API's own field names, never a CLI flag (it said "config.endDate: --to must not be before --from").
      expect(msg, JSON.stringify(b)).not.toMatch(/(^|\W)--[a-z]/);
    }
    const reversed = await api('/api/mock-data/generate', body({ config: { startDate: '2024-02-01', endDate: '2024-01-01' } }));
    expect(((await reversed.json()) as { message: string }).message).toBe('config.endDate: must not be before the start date');
    // An id that is not one says what one looks like (it showed the pattern /^ORD-\d{8,}$/).
    const notAnId = (await (await api('/api/orders/NOPE')).json()) as { message: string };
    expect(notAnId.message).toBe('params.id: an order id: ORD- and 8 or more digits, e.g. ORD-93239605');
    const orders = await (await api('/api/mock-data/export', body({ entity: 'orders', format: 'ndjson' }))).text();
    expect(orders.trim().split('\n').length).toBeGreaterThan(1000);
  });

  it('toggle: GET shows the state and why; POST disables writes (jobs get 403 naming the rule) and enables them again', async (ctx) => {
    if (!server) return ctx.skip();
    const initial = (await (await api('/api/mock-data/toggle')).json()) as { enabled: boolean; source: string };
    expect(initial).toMatchObject({ enabled: true, source: backend === 'pglite' ? 'embedded default' : 'MOCK_DATA_ENABLED=true' });
    expect(((await (await api('/api/mock-data/toggle', body({ enabled: false }))).json()) as { enabled: boolean }).enabled).toBe(false);
    const refused = await api('/api/mock-data/generate', body({ config: { dryRun: false, replace: true } }));
    expect(refused.status).toBe(403);
    expect((await refused.json()) as object).toMatchObject({ error: 'refused_disabled' });
    expect((await api('/api/mock-data/toggle', body({ enabled: 'yes' }))).status).toBe(400);
    expect(((await (await api('/api/mock-data/toggle', body({ enabled: true }))).json()) as { enabled: boolean }).enabled).toBe(true);
  });

  it('cleanup needs a single-use confirmation from a preceding GET (the old constant no longer works) and empties the schema with it', async (ctx) => {
    if (!server) return ctx.skip();
    for (const q of ['', '?confirm=yes', '?confirm=DELETE_ALL_MOCK_DATA']) {
      const res = await api(`/api/mock-data/cleanup${q}`, { method: 'DELETE' });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain('GET /api/mock-data/cleanup');
    }
    const still = await (await api('/api/mock-data/export', body({ entity: 'orders', limit: 1 }))).text();
    expect(still.trim()).not.toBe('');
    const a = (await (await api('/api/mock-data/cleanup')).json()) as { confirm: string; expires_in_seconds: number };
    const b = (await (await api('/api/mock-data/cleanup')).json()) as { confirm: string };
    expect(a.confirm).toMatch(/^[\w-]{20,}$/);
    expect(b.confirm).not.toBe(a.confirm); // per request, not a constant
    expect(a.expires_in_seconds).toBeGreaterThan(0);
    const res = await api(`/api/mock-data/cleanup?confirm=${a.confirm}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    // Spent: the same confirmation does not work twice.
    const again = await api(`/api/mock-data/cleanup?confirm=${a.confirm}`, { method: 'DELETE' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toMatch(/unknown, used or expired/);
    const out = (await res.json()) as { deleted: Record<string, number>; total: number };
    expect(out.deleted.orders).toBeGreaterThan(1000);
    expect(out.total).toBe(Object.values(out.deleted).reduce((a, b) => a + b, 0));
    for (const entity of ['orders', 'customers', 'audit_logs']) {
      expect((await (await api('/api/mock-data/export', body({ entity }))).text()).trim(), entity).toBe('');
    }
  });

  it('lists the scenarios', async (ctx) => {
    if (!server) return ctx.skip();
    const { scenarios } = (await (await api('/api/mock-data/scenarios')).json()) as { scenarios: Array<{ name: string }> };
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['normal-ops', 'peak-season', 'payment-crisis']));
  });
});
