/**
 * Inventory intelligence (issue 11):
 *  - retraining: 500 products × 2 years of daily sales. Two figures: the planner's own way
 *    (one model per category, 20 categories of 25 products, products as category shares)
 *    and, stricter, one model per product (500 fits); each fit includes the holdout
 *    evaluation against the seasonal-naive baseline, as a retraining does.
 *  - the analytics endpoints' latency on a year of generated data (normal-ops, egypt-coffee),
 *    through HTTP on an in-process server, on the embedded database and on the PostgreSQL
 *    server: random days, months and ranges.
 * The daily series are synthetic (a weekly pattern, a trend, a yearly wave, Poisson noise,
 * some zero days) so that the size is exactly 500 × 730; the fit's cost does not depend on
 * where the numbers come from.
 */
import pg from 'pg';
import { evaluateOnHoldout } from '../src/forecast/accuracy.js';
import { trainDemand } from '../src/forecast/demand-forecast.js';
import { poisson } from '../src/random/distributions.js';
import { Rng } from '../src/random/rng.js';
import { startServer } from '../src/server/app.js';
import { ServerEnv, configFromEnv } from '../src/domain/server-config.js';
import { fmt, formatRows, verdict } from './report.js';

const ADMIN_URL = process.env.ORDERSTREAM_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const PRODUCTS = 500;
const DAYS = 730;
const HOLDOUT = 28;

function productSeries(): Float64Array[] {
  const rng = Rng.derive(11, 'bench-intelligence');
  return Array.from({ length: PRODUCTS }, () => {
    const base = 0.5 + rng.next() * 8;
    const weekly = Array.from({ length: 7 }, () => 0.6 + rng.next() * 0.8);
    const trend = (rng.next() - 0.4) * 0.001;
    const y = new Float64Array(DAYS);
    for (let d = 0; d < DAYS; d++) {
      const mean = base * weekly[d % 7] * (1 + trend * d) * (1 + 0.25 * Math.sin((2 * Math.PI * d) / 365));
      y[d] = poisson(rng, Math.max(0.05, mean));
    }
    return y;
  });
}

function timeRetraining(): { perCategoryMs: number; perProductMs: number } {
  const series = productSeries();
  const time = (fn: () => void) => {
    const started = performance.now();
    fn();
    return performance.now() - started;
  };
  const best = (fn: () => void) => Math.min(time(fn), time(fn), time(fn));
  const perCategoryMs = best(() => {
    for (let c = 0; c < 20; c++) {
      const sum = new Float64Array(DAYS);
      for (let p = c * 25; p < (c + 1) * 25; p++) for (let d = 0; d < DAYS; d++) sum[d] += series[p][d];
      evaluateOnHoldout(sum, HOLDOUT) ?? trainDemand(sum);
    }
  });
  const perProductMs = best(() => {
    for (const y of series) evaluateOnHoldout(y, HOLDOUT) ?? trainDemand(y);
  });
  return { perCategoryMs, perProductMs };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function timeAnalytics(backend: 'pglite' | 'postgres', requests: number): Promise<Array<{ endpoint: string; p50: number; p95: number; n: number }> | string> {
  let dbName: string | null = null;
  const env: Record<string, string> = { PORT: '0', STORE_ENABLED: 'true', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  if (backend === 'postgres') {
    dbName = `orderstream_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    try {
      await admin.connect();
    } catch (e) {
      return `skipped: no PostgreSQL at ${ADMIN_URL} (${(e as Error).message})`;
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    Object.assign(env, { DATABASE_URL: url.toString(), MOCK_DATA_ENABLED: 'true' });
  } else env.ORDERSTREAM_DATA_DIR = 'memory';
  const server = await startServer(configFromEnv(ServerEnv.parse(env), 'bench'));
  try {
    const started = await fetch(`${server.url}/api/mock-data/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'normal-ops', config: { market: 'egypt-coffee', startDate: '2024-01-01', endDate: '2024-12-31', seed: 3, dryRun: false } }),
    });
    const { jobId } = (await started.json()) as { jobId: string };
    for (;;) {
      const { status } = (await (await fetch(`${server.url}/api/mock-data/status?jobId=${jobId}`)).json()) as { status: string };
      if (status === 'completed') break;
      if (status === 'failed' || status === 'cancelled') throw new Error(`the year's generation job ${status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rng = Rng.derive(5, 'bench-analytics');
    const day = () => new Date(Date.UTC(2024, 0, 1 + rng.int(0, 365))).toISOString().slice(0, 10);
    const paths: Record<string, () => string> = {
      'GET /api/analytics/daily?date=…': () => `/api/analytics/daily?date=${day()}`,
      'GET /api/analytics/monthly?month=…': () => `/api/analytics/monthly?month=2024-${String(rng.int(1, 12)).padStart(2, '0')}`,
      'GET /api/analytics/range (a random 30 days)': () => {
        const from = day() < '2024-12-01' ? day() : '2024-11-01';
        const to = new Date(Date.parse(from) + 29 * 86_400_000).toISOString().slice(0, 10);
        return `/api/analytics/range?from=${from}&to=${to}`;
      },
      'GET /api/analytics/range (the whole year)': () => '/api/analytics/range?from=2024-01-01&to=2024-12-31',
    };
    const out = [];
    for (const [endpoint, path] of Object.entries(paths)) {
      const n = endpoint.includes('whole year') ? Math.max(10, requests / 5) : requests;
      for (let i = 0; i < 3; i++) await fetch(`${server.url}${path()}`).then((r) => r.arrayBuffer()); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}${path()}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${endpoint}: HTTP ${res.status}`);
        ms.push(performance.now() - t0);
      }
      out.push({ endpoint, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), n });
    }
    return out;
  } finally {
    await server.close();
    if (dbName) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

export async function benchIntelligence(quick: boolean): Promise<string> {
  const { perCategoryMs, perProductMs } = timeRetraining();
  const lines = [
    `Retraining — ${PRODUCTS} products × ${DAYS} days of daily sales, ${HOLDOUT}-day holdout against seasonal-naive included, best of 3`,
    '',
    ...formatRows(
      ['case', 'fits', 'seconds'],
      [
        ['the planner: one model per category (20 × 25 products), products as shares', '20', (perCategoryMs / 1000).toFixed(3)],
        ['one model per product', fmt(PRODUCTS), (perProductMs / 1000).toFixed(3)],
      ],
    ),
    '',
    `target (issue 11): retraining 500 products × 2 years < 2 s: ${verdict(perProductMs < 2000)} (one model per product: ${(perProductMs / 1000).toFixed(2)} s; as the planner trains: ${(perCategoryMs / 1000).toFixed(3)} s)`,
    '',
  ];
  const requests = quick ? 40 : 200;
  for (const backend of ['pglite', 'postgres'] as const) {
    const result = await timeAnalytics(backend, requests);
    lines.push(`Analytics endpoints — a year of normal-ops (egypt-coffee) on ${backend === 'pglite' ? 'the embedded database (PGlite, in memory)' : 'the PostgreSQL 15 server'}, one request at a time over HTTP`, '');
    if (typeof result === 'string') {
      lines.push(result, '');
      continue;
    }
    lines.push(...formatRows(['endpoint', 'requests', 'p50 ms', 'p95 ms'], result.map((r) => [r.endpoint, fmt(r.n), r.p50.toFixed(1), r.p95.toFixed(1)])), '');
    const worst = Math.max(...result.map((r) => r.p95));
    lines.push(`target (issue 11): p95 < 200 ms: ${verdict(worst < 200)} (worst p95 ${worst.toFixed(1)} ms)`, '');
  }
  return lines.join('\n');
}
