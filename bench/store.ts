/**
 * Bulk load into PostgreSQL (issue 4): one year of normal-ops × 20, generated once and held
 * in memory as the CSV day segments a job produces, then loaded by the job's own loader
 * (COPY, keys and foreign keys built after the load, one transaction). The peer, measured
 * in the same run on the same server: plain multi-row parameterised INSERT batches (1,000
 * rows per statement, one transaction, constraints in place), as an application would
 * write them. Also: the embedded PGlite, and the whole job (generation + load) end to end.
 */
import pg from 'pg';
import { generate } from '../src/batch/generate.js';
import { entityColumns } from '../src/domain/columns.js';
import { GenerateOptions } from '../src/domain/config.js';
import { DIMENSION_ENTITIES, ENGINE_ENTITIES, ENTITY_NAMES, type EntityName } from '../src/domain/entities.js';
import { CapturingSink, type CapturedSegment } from '../src/sinks/memory.js';
import { bulkLoad, generateIntoStore, ALL_TABLES } from '../src/jobs/store-generation.js';
import { getScenario } from '../src/scenarios/resolve.js';
import { openStore } from '../src/store/open.js';
import { tableOf } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { fmt, formatRows, verdict } from './report.js';

const ADMIN_URL = process.env.ORDERSTREAM_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

type Segment = CapturedSegment;

/** What a generation run hands its sink, kept in memory: the entities' segments. */
async function capture(to: string, multiplier: number, format: 'csv' | 'ndjson'): Promise<Segment[]> {
  const sink = new CapturingSink(format);
  const scenario = getScenario('normal-ops');
  await generate({ scenario, marketId: scenario.market, options: GenerateOptions.parse({ from: '2024-01-01', to, multiplier, format, workers: 2 }), out: null, sink });
  return sink.segments.filter((s) => (ENTITY_NAMES as readonly string[]).includes(s.key));
}

const rowsIn = (segments: Segment[]) => segments.reduce((n, s) => n + s.records, 0);

async function copyLoad(store: Store, segments: Segment[]): Promise<number> {
  const started = performance.now();
  await bulkLoad(store, { batchSize: 1000, replace: true, info: { market: 'egypt-coffee', scenario: 'normal-ops', seed: 12345, from: '2024-01-01', to: '2024-12-31' } }, async (sink) => {
    for (const s of segments) await sink.write(s.key, s.bytes, s.records);
    await sink.commit();
  });
  return performance.now() - started;
}

/** The peer: INSERT … VALUES (…), (…) with 1,000 rows per statement, every value a parameter. */
async function insertLoad(url: string, segments: Segment[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${ALL_TABLES}`);
    const started = performance.now();
    await client.query('BEGIN');
    await client.query("SET LOCAL orderstream.change_feed = 'off'");
    // Constraints are in place here: the tables others refer to go first (the products, with the
    // stock they end with, come after the days in generation order), what the planner said last.
    const rank = (key: string) => ((DIMENSION_ENTITIES as readonly string[]).includes(key) ? 0 : (ENGINE_ENTITIES as readonly string[]).includes(key) ? 2 : 1);
    // Within the days, by table in schema order (orders before the movements that name them: the
    // movements reach the sink apart from the rest of their day), then in generation order.
    const table = (key: string) => ENTITY_NAMES.indexOf(key as EntityName);
    const ordered = segments.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.key) - rank(b.s.key) || table(a.s.key) - table(b.s.key) || a.i - b.i).map(({ s }) => s);
    for (const s of ordered) {
      const entity = s.key as EntityName;
      const cols = entityColumns(entity);
      const rows = Buffer.from(s.bytes).toString('utf8').split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      for (let i = 0; i < rows.length; i += 1000) {
        const batch = rows.slice(i, i + 1000);
        const values: unknown[] = [];
        const tuples = batch.map((r) => {
          const start = values.length;
          for (const c of cols) {
            const v = c.sub === null ? r[c.field] : (r[c.field] as Record<string, unknown> | null)?.[c.sub];
            values.push(c.kind === 'json' ? JSON.stringify(v) : (v ?? null));
          }
          return `(${cols.map((_, j) => `$${start + j + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO ${tableOf(entity)} (${cols.map((c) => c.name).join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
    }
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

/**
 * The server's own COPY ceiling on this machine, for scale: FACTS.md's case, a million
 * narrow rows (five columns, about 45 bytes) into a table without keys, over the same
 * client library. Our tables are four times wider, and COPY's cost follows bytes and columns.
 */
async function narrowCopy(url: string): Promise<{ rows: number; ms: number; mb: number }> {
  const rows = 1_000_000;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(`${i},name-${i % 9973},${i % 1000},${(i % 100000) / 100},2024-01-01T00:00:00.000Z`);
  const csv = Buffer.from(`${lines.join('\n')}\n`);
  const store = await openStore({ databaseUrl: url, dataDir: null });
  try {
    const started = performance.now();
    await store.transaction(async (tx) => {
      await tx.query('CREATE TABLE narrow_reference (id integer, name text, qty integer, price numeric(12,2), at timestamptz)');
      await tx.copyCsv('narrow_reference', ['id', 'name', 'qty', 'price', 'at'], csv);
      await tx.query('DROP TABLE narrow_reference');
    });
    return { rows, ms: performance.now() - started, mb: csv.length / 1e6 };
  } finally {
    await store.close();
  }
}

async function withTempDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `orderstream_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchStore(quick: boolean): Promise<string> {
  const to = quick ? '2024-01-31' : '2024-12-31';
  const multiplier = 20;
  const csv = await capture(to, multiplier, 'csv');
  const total = rowsIn(csv);
  const mb = csv.reduce((n, s) => n + s.bytes.length, 0) / 1e6;
  // The peer is slow: it loads the first month of the same run (~380k rows), enough for a steady rate.
  const json = await capture('2024-01-31', multiplier, 'ndjson');
  const jsonRows = rowsIn(json);
  // PGlite loads a quarter of the year, a run of its own: the products (with the stock they end
  // with) come last in generation order, so a cut of the year's segments would leave them out.
  const pgliteSegments = quick ? csv : await capture('2024-03-31', multiplier, 'csv');
  const pgliteRows = rowsIn(pgliteSegments);

  return withTempDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url, dataDir: null });
    const copyRuns: number[] = [];
    let insertMs = 0;
    let jobMs = 0;
    let jobRows = 0;
    try {
      for (let i = 0; i < 2; i++) copyRuns.push(await copyLoad(store, csv));
      insertMs = await insertLoad(url, json);
      await store.query(`TRUNCATE ${ALL_TABLES}`);
      const scenario = getScenario('normal-ops');
      const job = await generateIntoStore(store, { envEnabled: true, maxRecords: 1e9 }, {
        scenario,
        marketId: scenario.market,
        options: GenerateOptions.parse({ from: '2024-01-01', to, multiplier, workers: 1 }),
        batchSize: 1000,
        replace: true,
      });
      jobMs = job.elapsedMs;
      jobRows = job.records;
    } finally {
      await store.close();
    }
    const narrow = await narrowCopy(url);
    const lite = await openStore({ databaseUrl: null, dataDir: null });
    let liteMs = 0;
    try {
      liteMs = await copyLoad(lite, pgliteSegments);
    } finally {
      await lite.close();
    }
    const copyMs = Math.min(...copyRuns);
    const copyRate = (total / copyMs) * 1000;
    const insertRate = (jsonRows / insertMs) * 1000;
    const rows = [
      ['PostgreSQL 15: COPY, keys built after (the job\'s loader), best of 2', fmt(total), (copyMs / 1000).toFixed(2), fmt(copyRate), fmt(mb / (copyMs / 1000))],
      ['peer: multi-row INSERT, 1,000 rows/statement, constraints in place', fmt(jsonRows), (insertMs / 1000).toFixed(2), fmt(insertRate), ''],
      ['PostgreSQL 15: the whole job (generation + load, 1 worker)', fmt(jobRows), (jobMs / 1000).toFixed(2), fmt((jobRows / jobMs) * 1000), ''],
      ['PGlite (embedded, in memory): COPY, keys built after', fmt(pgliteRows), (liteMs / 1000).toFixed(2), fmt((pgliteRows / liteMs) * 1000), fmt((pgliteSegments.reduce((n, seg) => n + seg.bytes.length, 0) / 1e6) / (liteMs / 1000))],
      ['reference: the server\'s COPY of narrow 5-column rows, no keys (FACTS.md)', fmt(narrow.rows), (narrow.ms / 1000).toFixed(2), fmt((narrow.rows / narrow.ms) * 1000), fmt(narrow.mb / (narrow.ms / 1000))],
    ];
    return [
      `Bulk load — normal-ops × ${multiplier}, 2024-01-01 to ${to}, ${fmt(total)} rows in 15 tables (${mb.toFixed(0)} MB of CSV), into a fresh database on the machine's PostgreSQL server`,
      '',
      ...formatRows(['case', 'rows', 'seconds', 'rows/s', 'MB/s'], rows),
      '',
      `targets (issue 4): ≥ 250,000 rows/s: ${verdict(copyRate >= 250_000)} (${fmt(copyRate)}); ≥ 5× the INSERT baseline: ${verdict(copyRate >= 5 * insertRate)} (${(copyRate / insertRate).toFixed(2)}×)`,
      '',
    ].join('\n');
  });
}
