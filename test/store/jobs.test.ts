/** Generation jobs into the store, on both backends: everything written, keys enforced by the database, the guard, export round trips. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from '../../src/batch/generate.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { ENTITY_NAMES, FOREIGN_KEYS, type EntityName } from '../../src/domain/entities.js';
import { GenerateJobRequest } from '../../src/domain/jobs.js';
import { EVENT_DATA } from '../../src/domain/events.js';
import { JobBusy, JobManager, type JobEventType } from '../../src/jobs/job-manager.js';
import { StoreNotEmpty } from '../../src/jobs/store-generation.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { exportRecords } from '../../src/sinks/export.js';
import { WriteRefused, writeToggle } from '../../src/store/guard.js';
import { countRows, scanRecords, truncateMockData } from '../../src/store/records.js';
import { tempDir } from '../helpers/cli.js';
import { openTestStore, type BackendName, type TestStore } from '../helpers/store.js';

const FROM = '2024-03-01';
// 33 days: the demand planner forecasts from its 29th day on, so every entity has rows.
const TO = '2024-04-02';
const SEED = 4242;
const request = (config: Record<string, unknown> = {}) => GenerateJobRequest.parse({ scenario: 'normal-ops', config: { startDate: FROM, endDate: TO, seed: SEED, dryRun: false, ...config } });
const open = { envEnabled: null, maxRecords: 10_000_000 };

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

// The same run written as files, to compare with what each database holds (made once: both backends read it;
// in this thread, which gives the same bytes without the worker threads' start-up).
let files: string;
beforeAll(async () => {
  files = join(tempDir('orderstream-jobs-'), 'files');
  const scenario = getScenario('normal-ops');
  await generate({ scenario, marketId: scenario.market, options: GenerateOptions.parse({ from: FROM, to: TO, seed: SEED, format: 'ndjson' }), out: files }, { inThread: true });
}, 60_000);

describe.each<BackendName>(['pglite', 'postgres'])('generation jobs into the store (%s)', (backend) => {
  let t: TestStore | null;
  let events: Array<{ type: JobEventType; data: Record<string, unknown> }>;
  let jobs: JobManager;
  beforeAll(async () => {
    t = await openTestStore(backend);
    events = [];
    if (t) jobs = new JobManager(t.store, { ...open, envEnabled: true }, (e) => {
      // Every job event parses with its strict schema.
      EVENT_DATA[e.type].parse(e.data);
      events.push(e);
    });
  }, 60_000);
  afterAll(() => t?.close());

  it('writes every entity, with every foreign key declared, validated and enforced by the database', async (ctx) => {
    if (!t) return ctx.skip();
    const started = await jobs.start(request());
    expect(started.status).toBe('started');
    await jobs.wait(started.jobId);
    const job = (await jobs.get(started.jobId))!;
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    // Days are loaded whole: past the dimension tables the job is on the orders, not on the last table of a day.
    expect(job.progress.currentEntity).toBe('orders');
    for (const e of events.filter((e) => e.type === 'job.progress' && e.data.job_id === started.jobId))
      expect(['users', 'companies', 'branches', 'customers', 'suppliers', 'products', 'orders']).toContain(e.data.currentEntity);
    const counts = await countRows(t.store);
    for (const e of ENTITY_NAMES) {
      expect(counts[e], e).toBeGreaterThan(0);
      expect(counts[e], e).toBe(readFileSync(join(files, `${e}.ndjson`), 'utf8').trim().split('\n').length);
      expect(job.result!.counts[e], e).toBe(counts[e]);
    }
    const fks = await t.store.query<{ n: number; valid: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE convalidated)::int AS valid FROM pg_constraint WHERE contype = 'f' AND connamespace = 'mock_data'::regnamespace`,
    );
    expect(fks.rows[0]).toEqual({ n: FOREIGN_KEYS.length, valid: FOREIGN_KEYS.length });
    await expect(t.store.query(`INSERT INTO mock_data.payments SELECT * FROM mock_data.payments LIMIT 0`)).resolves.toBeDefined();
    await expect(
      t.store.query(`UPDATE mock_data.order_items SET order_id = 'ORD-99999999' WHERE order_item_id = (SELECT min(order_item_id) FROM mock_data.order_items)`),
    ).rejects.toThrow(/foreign key/);
    // The job told the hub how it ended, with the counts.
    const done = events.find((e) => e.type === 'job.completed' && e.data.job_id === started.jobId)!;
    expect(done.data).toMatchObject({ status: 'completed', progressPercent: 100 });
    expect((done.data.recordsGenerated as Record<string, number>).orders).toBe(counts.orders);
  }, 120_000);

  it('exports NDJSON and CSV byte-identical to `generate --out`, and Parquet with every row', async (ctx) => {
    if (!t) return ctx.skip();
    for (const entity of ['customers', 'orders', 'shipments', 'maintenance_visits', 'audit_logs'] as EntityName[]) {
      const exported = await exportRecords(entity, 'ndjson', scanRecords(t.store, entity));
      const lines = (await text(exported.stream)).trim().split('\n').sort();
      expect(lines, entity).toEqual(readFileSync(join(files, `${entity}.ndjson`), 'utf8').trim().split('\n').sort());
    }
    const csv = await text((await exportRecords('orders', 'csv', scanRecords(t.store, 'orders', 5))).stream);
    expect(csv.split('\n')[0]).toMatch(/^order_id,customer_id,/);
    expect(csv.trim().split('\n')).toHaveLength(6);
    const parquet = await exportRecords('order_items', 'parquet', scanRecords(t.store, 'order_items'));
    const chunks: Buffer[] = [];
    for await (const c of parquet.stream) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = tempDir('orderstream-parquet-');
    const path = join(dir, 'x.parquet');
    (await import('node:fs')).writeFileSync(path, bytes);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT order_item_id)::INTEGER AS d FROM '${path}'`)).getRowObjects();
    expect(rows[0]).toEqual({ n: (await countRows(t.store)).order_items, d: (await countRows(t.store)).order_items });
    await parquet.cleanup();
  }, 60_000);

  it('refuses to merge into existing data; replace swaps it whole, in one transaction', async (ctx) => {
    if (!t) return ctx.skip();
    const before = await countRows(t.store);
    await expect(jobs.start(request({ seed: SEED + 1 }))).rejects.toThrow(StoreNotEmpty);
    const replaced = await jobs.start(request({ seed: SEED + 1, endDate: '2024-03-02', replace: true }));
    await jobs.wait(replaced.jobId);
    expect((await jobs.get(replaced.jobId))!.status).toBe('completed');
    const after = await countRows(t.store);
    expect(after.orders).toBeLessThan(before.orders);
    expect(after.orders).toBe((await jobs.get(replaced.jobId))!.result!.counts.orders);
  }, 120_000);

  it('a job stopped midway rolls back: the data from before is untouched', async (ctx) => {
    if (!t) return ctx.skip();
    const before = await countRows(t.store);
    const job = await jobs.start(request({ endDate: '2024-06-30', replace: true, batchSize: 200 }));
    // Stop once the job has loaded rows of its own (inside its transaction).
    for (let i = 0; i < 2000 && !(await jobs.get(job.jobId))!.progress.recordsGenerated.orders; i++) await new Promise((r) => setTimeout(r, 5));
    expect(jobs.cancel(job.jobId)).toBe(true);
    await jobs.wait(job.jobId);
    const view = (await jobs.get(job.jobId))!;
    expect(view.status).toBe('cancelled');
    expect(await countRows(t.store)).toEqual(before);
    const ended = events.find((e) => e.type === 'job.failed' && e.data.job_id === job.jobId)!;
    expect(ended.data.status).toBe('cancelled');
  }, 120_000);

  it('the safety guard: the toggle, production and the record limit each refuse, naming the rule and the fix', async (ctx) => {
    if (!t) return ctx.skip();
    await truncateMockData(t.store);
    const guarded = new JobManager(t.store, open);
    await writeToggle(t.store, false);
    const off = await guarded.start(request()).catch((e: unknown) => e);
    expect(off).toBeInstanceOf(WriteRefused);
    expect((off as WriteRefused).rule).toBe('disabled');
    expect((off as Error).message).toMatch(/toggle --enable/);
    await writeToggle(t.store, true);
    const small = new JobManager(t.store, { envEnabled: null, maxRecords: 100 });
    const limit = await small.start(request()).catch((e: unknown) => e);
    expect((limit as WriteRefused).rule).toBe('record_limit');
    expect((limit as Error).message).toMatch(/MOCK_DATA_MAX_RECORDS/);
    const envOff = new JobManager(t.store, { envEnabled: false, maxRecords: 10_000_000 });
    expect(((await envOff.start(request()).catch((e: unknown) => e)) as WriteRefused).rule).toBe('disabled');
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const prod = await guarded.start(request()).catch((e: unknown) => e);
      expect((prod as WriteRefused).rule).toBe('production');
      expect((prod as Error).message).toMatch(/NODE_ENV is production/);
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await countRows(t.store)).orders).toBe(0);
    // A dry run writes nothing, whatever the guard says (one day of it: orders to count, none to write).
    await writeToggle(t.store, false);
    const dry = await guarded.start(request({ dryRun: true, endDate: FROM }));
    await guarded.wait(dry.jobId);
    expect((await guarded.get(dry.jobId))!.status).toBe('completed');
    expect((await guarded.get(dry.jobId))!.result!.counts.orders).toBeGreaterThan(0);
    expect((await countRows(t.store)).orders).toBe(0);
    await writeToggle(t.store, true);
  }, 120_000);

  it('two jobs started at once: one runs, the other is refused as busy', async (ctx) => {
    if (!t) return ctx.skip();
    const both = await Promise.allSettled([jobs.start(request({ replace: true, endDate: '2024-03-02' })), jobs.start(request({ replace: true, endDate: '2024-03-02' }))]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(JobBusy);
    await jobs.wait((both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ jobId: string }>).value.jobId);
  }, 60_000);
});

