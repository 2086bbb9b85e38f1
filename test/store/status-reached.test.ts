/**
 * mock_data.order_status_reached (migration 008) holds, for every order, the entries of its
 * status history the analytics count (shipped, delivered, failed, cancelled), kept by triggers
 * on orders: it must agree with the histories themselves (the order_status_history view)
 * after every kind of write — a bulk load by COPY, a replacing load, multi-row inserts, status
 * moves as the API and the live writer make them, deletes, a cleanup and a rollback — on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateJobRequest } from '../../src/domain/jobs.js';
import type { OrderRecord } from '../../src/domain/entities.js';
import { JobManager } from '../../src/jobs/job-manager.js';
import { appendJsonArraySql } from '../../src/store/json-append.js';
import { changeOrderStatus } from '../../src/store/queries/orders.js';
import { insertRecords } from '../../src/store/queries/records.js';
import { rowToRecord, truncateMockData } from '../../src/store/records.js';
import { openTestStore, type BackendName, type TestStore } from '../helpers/store.js';

// 14 days: over 1,600 reached statuses, of all four kinds (as many failed, five, as in 20 days; fewer days have three or none).
const request = (config: Record<string, unknown>) => GenerateJobRequest.parse({ scenario: 'normal-ops', config: { startDate: '2024-03-01', endDate: '2024-03-14', seed: 77, dryRun: false, ...config } });

describe.each<BackendName>(['pglite', 'postgres'])('the orders\' reached statuses as rows (%s)', (backend) => {
  let t: TestStore | null;
  let jobs: JobManager;
  beforeAll(async () => {
    t = await openTestStore(backend);
    if (t) jobs = new JobManager(t.store, { envEnabled: true, maxRecords: 10_000_000 }, () => undefined);
  }, 60_000);
  afterAll(() => t?.close());

  const kept = async () =>
    (await t!.store.query<{ order_id: string; step: number; status: string; at: string }>(
      `SELECT order_id, step, status, reached_at AS at FROM mock_data.order_status_reached ORDER BY order_id, step`,
    )).rows;
  const told = async () =>
    (await t!.store.query<{ order_id: string; step: number; status: string; at: string }>(
      `SELECT order_id, step, status, changed_at AS at FROM mock_data.order_status_history WHERE status IN ('shipped', 'delivered', 'failed', 'cancelled') ORDER BY order_id, step`,
    )).rows;
  const load = async (config: Record<string, unknown>) => {
    const job = await jobs.start(request(config));
    await jobs.wait(job.jobId);
    expect((await jobs.get(job.jobId))!.status).toBe('completed');
  };

  it('a bulk load, and a load that replaces it, leave one row per reached status of every order', async (ctx) => {
    if (!t) return ctx.skip();
    await load({});
    const first = await kept();
    expect(first.length).toBeGreaterThan(1000);
    expect(new Set(first.map((r) => r.status))).toEqual(new Set(['shipped', 'delivered', 'failed', 'cancelled']));
    expect(first).toEqual(await told());
    // The load built the table's key and index after its rows, as it does the entities'
    const { rows: indexes } = await t.store.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'mock_data' AND tablename = 'order_status_reached' ORDER BY 1`);
    expect(indexes.map((r) => r.indexname)).toEqual(['order_status_reached_pkey', 'order_status_reached_reached_at_idx']);
    await load({ seed: 78, endDate: '2024-03-05', replace: true });
    const second = await kept();
    expect(second.length).toBeLessThan(first.length);
    expect(second).toEqual(await told());
  }, 120_000);

  it('follows inserts, status moves (API and live writer), edits of the history, deletes and a cleanup', async (ctx) => {
    if (!t) return ctx.skip();
    const db = t.store;
    const { rows } = await db.query<Record<string, unknown>>(`SELECT * FROM mock_data.orders WHERE status = 'delivered' ORDER BY order_id LIMIT 2`);
    const copies = rows.map((r, i) => {
      const o = rowToRecord('orders', r) as unknown as OrderRecord;
      return { ...o, order_id: `ORD-0000000${i + 1}`, status: 'processing', status_history: o.status_history.slice(0, 3), delivered_at: null } as OrderRecord;
    });
    const ids = new Set(copies.map((c) => c.order_id));
    const ours = async () => (await kept()).filter((r) => ids.has(r.order_id));
    expect((await db.query(`SELECT 1 FROM mock_data.orders WHERE order_id = ANY($1::text[])`, [[...ids]])).rows).toEqual([]);
    // A multi-row insert: one statement, both orders; neither has reached a counted status yet
    await insertRecords(db, 'orders', copies);
    expect(await ours()).toEqual([]);
    // The API's move writes the whole history back
    await db.transaction((tx) => changeOrderStatus(tx, copies[0].order_id, { status: 'shipped', tracking_number: 'TRK-1' }, Date.parse('2024-03-15T10:00:00Z')));
    // The live writer appends to it
    await db.query(`UPDATE mock_data.orders SET status = 'cancelled', status_history = ${appendJsonArraySql('status_history', '$2')} WHERE order_id = $1`, [
      copies[1].order_id,
      JSON.stringify([{ status: 'cancelled', at: '2024-03-16T09:30:00.000Z' }]),
    ]);
    expect(await ours()).toEqual([
      { order_id: copies[0].order_id, step: 4, status: 'shipped', at: '2024-03-15T10:00:00.000Z' },
      { order_id: copies[1].order_id, step: 4, status: 'cancelled', at: '2024-03-16T09:30:00.000Z' },
    ]);
    // An edit by hand that rewrites the history, and one that leaves it alone
    await db.query(`UPDATE mock_data.orders SET status_history = $2::json WHERE order_id = $1`, [copies[1].order_id, JSON.stringify([{ status: 'pending', at: '2024-03-16T08:00:00.000Z' }])]);
    await db.query(`UPDATE mock_data.orders SET tracking_number = 'TRK-2' WHERE order_id = $1`, [copies[0].order_id]);
    expect(await ours()).toEqual([{ order_id: copies[0].order_id, step: 4, status: 'shipped', at: '2024-03-15T10:00:00.000Z' }]);
    expect(await kept()).toEqual(await told());
    // A write that rolls back leaves nothing behind
    const before = await kept();
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`UPDATE mock_data.orders SET status_history = '[{"status":"failed","at":"2024-03-02T00:00:00Z"}]'::json`);
        expect((await tx.query(`SELECT DISTINCT status FROM mock_data.order_status_reached`)).rows).toEqual([{ status: 'failed' }]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await kept()).toEqual(before);
    await db.query(`DELETE FROM mock_data.orders WHERE order_id = ANY($1::text[])`, [[...ids]]);
    expect(await ours()).toEqual([]);
    expect(await kept()).toEqual(await told());
    await truncateMockData(db);
    expect(await kept()).toEqual([]);
  }, 60_000);
});
