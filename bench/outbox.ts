/**
 * The outbox's cost (issue 13): publish latency from an event's occurrence in the live
 * simulation to a WebSocket client, at about 1,000 events/s, without a store (events
 * published as they happen: the "before") and through the transactional outbox (rows and
 * events committed together, published after commit) on the embedded PGlite and on the
 * PostgreSQL server. Occurrence is the event's simulated instant on the simulation's own
 * clock (`simNow`), read when the frame arrives in the same process, so no clocks are
 * compared across processes. Target: p99 < 50 ms added by the outbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { configFromEnv, ServerEnv } from '../src/domain/server-config.js';
import { startServer } from '../src/server/app.js';
import { fmt, formatRows, verdict } from './report.js';

const ADMIN_URL = process.env.ORDERSTREAM_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SPEED = 60;
/** About 8 order events per order over its life: 125 orders per simulated minute at speed 60 ≈ 1,000 events/s. */
const RATE = 125;

interface Case {
  name: string;
  events: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function measure(name: string, env: Record<string, string>, seconds: number): Promise<Case> {
  const config = configFromEnv(ServerEnv.parse({ PORT: '0', SIMULATION_SPEED: String(SPEED), SIMULATION_RATE: String(RATE), STORE_SEED_DEMO: 'false', LOG_LEVEL: 'silent', ...env }), `bench-${name}`);
  const server = await startServer(config);
  const clock = server.state.clock!;
  const latencies: number[] = [];
  let counting = false;
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/stream/ws?channels=orders,stock,payments`);
  socket.on('message', (data) => {
    if (!counting) return;
    const text = data.toString();
    const m = /"timestamp":"([^"]+)"/.exec(text);
    if (!text.startsWith('{"type":"event"') || !m) return;
    latencies.push((clock.simNow() - Date.parse(m[1])) / SPEED);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  await new Promise((r) => setTimeout(r, 2000)); // warm-up
  counting = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  socket.close();
  await server.close();
  latencies.sort((a, b) => a - b);
  return { name, events: latencies.length, perSecond: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies[latencies.length - 1] ?? NaN };
}

export async function benchOutbox(quick: boolean): Promise<string> {
  const seconds = quick ? 5 : 20;
  const cases: Case[] = [await measure('no store (published as they happen)', { STORE_ENABLED: 'false' }, seconds)];
  cases.push(await measure('outbox on PGlite (embedded)', { STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory' }, seconds));
  // The default: a data directory on disk (`.orderstream/pgdata`), each commit written through to its files.
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-bench-outbox-'));
  try {
    cases.push(await measure('outbox on PGlite (embedded, on disk)', { STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: join(dir, 'pg') }, seconds));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `orderstream_bench_outbox_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    cases.push(await measure('outbox on PostgreSQL 15 (server)', { STORE_ENABLED: 'true', DATABASE_URL: url.toString(), MOCK_DATA_ENABLED: 'true' }, seconds));
  } catch (err) {
    process.stderr.write(`outbox bench: PostgreSQL case skipped: ${(err as Error).message}\n`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
  const base = cases[0];
  const rows = cases.map((c) => [c.name, fmt(Math.round(c.perSecond)), c.p50.toFixed(1), c.p99.toFixed(1), c.max.toFixed(0), c === base ? '—' : (c.p99 - base.p99).toFixed(1)]);
  const worst = Math.max(...cases.slice(1).map((c) => c.p99 - base.p99));
  return [
    `Outbox publish latency — occurrence in the simulation → WebSocket client, speed ${SPEED}, ${RATE} orders/min (≈1,000 events/s), ${seconds} s per case`,
    '',
    ...formatRows(['case', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 added ms'], rows),
    '',
    `target (issue 13): the outbox adds p99 < 50 ms: ${verdict(worst < 50)} (${worst.toFixed(1)} ms at worst)`,
    '',
  ].join('\n');
}
