/**
 * One engine, two speeds: what `generate --events` writes and what `stream`/`serve`
 * publish for the same scenario, market, seed and start are the same events, and every
 * table row is the state after its entity's last event (`orderstream reconcile`).
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/batch/generate.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { EventEnvelope, SALE_FIELDS, type EventType } from '../../src/domain/events.js';
import { reconcile } from '../../src/quality/reconcile.js';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { CLI, readNdjson, runCli, runCliInProcess, tempDir } from '../helpers/cli.js';
import { RecordingClient, spawnServer } from '../helpers/server.js';

const root = tempDir('orderstream-reconcile-');

async function dataset(scenario: string, from: string, to: string, seed = 12345, market?: string): Promise<string> {
  const out = join(root, `${scenario}-${market ?? 'default'}-${seed}-${from}`);
  const s = getScenario(scenario);
  // In this thread: the same days drafted and written by the same code as on worker threads (run-days.ts;
  // test/store/jobs.test.ts compares such files with a job run on threads), without a thread's start-up.
  await generate({ scenario: s, marketId: market ?? s.market, options: GenerateOptions.parse({ from, to, seed, events: true, workers: 1 }), out }, { inThread: true });
  return out;
}

type Envelope = { event_id: string; event_type: EventType; timestamp: string; data: Record<string, unknown> };

describe('orderstream reconcile', () => {
  const dirs = new Map<string, string>();
  beforeAll(async () => {
    for (const s of BUILT_IN_SCENARIOS) dirs.set(s.name, await dataset(s.name, '2024-01-01', '2024-02-29'));
  }, 300_000);

  it('passes on generate output for every scenario: every row is the state after its last event', async () => {
    for (const [name, dir] of dirs) {
      const report = await reconcile(dir);
      expect(report.mismatches, name).toEqual([]);
      expect(report.ok, name).toBe(true);
      const rows = Object.fromEntries(report.checks.map((c) => [c.check, c.rows]));
      for (const table of ['orders', 'inventory_movements', 'products', 'payments', 'shipments']) expect(rows[table], `${name} ${table}`).toBeGreaterThan(100);
    }
  });

  it('fails, naming the row and the field, when a row is edited; the CLI exits 1 and says so', async () => {
    const edited = join(root, 'edited');
    cpSync(dirs.get('normal-ops')!, edited, { recursive: true });
    const edit = (file: string, index: number, change: (r: Record<string, unknown>) => void) => {
      const rows = readNdjson(join(edited, file));
      change(rows[index]);
      writeFileSync(join(edited, file), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
      return rows[index];
    };
    const order = edit('orders.ndjson', 10, (o) => (o.status = o.status === 'delivered' ? 'shipped' : 'delivered'));
    const product = edit('products.ndjson', 3, (p) => ((p.stock_quantity as number) += 1));
    const payment = edit('payments.ndjson', 20, (p) => (p.status = p.status === 'paid' ? 'pending' : 'paid'));
    const report = await reconcile(edited);
    expect(report.ok).toBe(false);
    const named = report.mismatches.map((m) => `${m.entity}/${m.id}/${m.field}`);
    expect(named).toContain(`orders/${order.order_id}/status`);
    expect(named).toContain(`products/${product.product_id}/stock_quantity`);
    expect(named).toContain(`payments/${payment.payment_id}/status`);
    expect(report.mismatches).toHaveLength(4); // the product's stock disagrees with its last event and with its movements' sum

    const cli = await runCli(['reconcile', edited]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`✘ products ${product.product_id}: stock_quantity is`);
    // The real process's exit code is the one above; these two are the command's verdicts, read in this process.
    expect((await runCliInProcess(['reconcile', dirs.get('payment-crisis')!])).code).toBe(0);
    const missing = await runCliInProcess(['reconcile', join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not a directory/);
  });
});

describe('the live stream is the batch event log', () => {
  const START = '2025-03-03T00:00:00Z';
  let batch: Envelope[];
  beforeAll(async () => {
    const dir = await dataset('normal-ops', '2025-03-03', '2025-03-04', 9, 'egypt-coffee');
    batch = readNdjson<Envelope>(join(dir, 'events.ndjson'));
  }, 120_000);

  it('stream --scenario normal-ops --market egypt-coffee --seed 9 --start 2025-03-03T00:00:00Z --speed 36000 prints, for every order it creates, the statuses generate logs, with the same timestamps and fields', async () => {
    // Stopped (SIGINT) once it has printed a simulated half day: "up to where the stream stopped".
    const lines: Array<Record<string, unknown>> = [];
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, [CLI, 'stream', '--scenario', 'normal-ops', '--market', 'egypt-coffee', '--seed', '9', '--start', START, '--speed', '36000'], {
        env: { ...process.env, NODE_ENV: 'test' },
      });
      let buffer = '';
      child.stdout.setEncoding('utf8'); // a character straddling two chunks stays whole
      child.stdout.on('data', (d: string) => {
        buffer += d;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const sale = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
          buffer = buffer.slice(nl + 1);
          lines.push(sale);
          if ((sale.timestamp as string) > '2025-03-03T12:00:00Z' && !child.killed) child.kill('SIGINT');
        }
      });
      child.on('error', fail);
      child.on('exit', () => done());
    });
    const created = lines.filter((l) => l.status === 'pending');
    expect(created.length).toBeGreaterThan(8);
    const stoppedAt = lines.at(-1)!.timestamp as string;
    const orderEvents = new Map<string, Array<Record<string, unknown>>>();
    for (const e of batch) {
      if (!['order.created', 'order.updated', 'order.cancelled'].includes(e.event_type) || e.timestamp > stoppedAt) continue;
      if (['delivered', 'failed'].includes(e.data.status as string)) continue; // spec 004 follows an order until it ships
      const sale = Object.fromEntries(SALE_FIELDS.map((k) => [k, e.data[k]]));
      orderEvents.set(sale.order_id as string, [...(orderEvents.get(sale.order_id as string) ?? []), sale]);
    }
    const printed = new Map<string, Array<Record<string, unknown>>>();
    for (const l of lines) printed.set(l.order_id as string, [...(printed.get(l.order_id as string) ?? []), l]);
    for (const c of created) expect(printed.get(c.order_id as string), c.order_id as string).toEqual(orderEvents.get(c.order_id as string));
    // Nothing before the start is printed, and nothing the batch run does not have.
    expect(lines.every((l) => (l.timestamp as string) >= START)).toBe(true);
  }, 120_000);

  it('serve on the WebSocket publishes the batch log\'s events, ids, timestamps and payloads included', async () => {
    const server = await spawnServer(['--scenario', 'normal-ops', '--market', 'egypt-coffee', '--seed', '9', '--start', START, '--speed', '36000'], { STORE_ENABLED: 'false' });
    const client = new RecordingClient(`${server.ws}/stream/ws?channels=all`);
    try {
      await client.opened;
      await client.waitFor((c) => c.events().some((e) => (e.timestamp as string) > '2025-03-03T14:00:00Z'), 60_000);
    } finally {
      await client.close();
      await server.stop();
    }
    const live = client.events().map((e) => EventEnvelope.parse({ type: 'event', event_id: e.event_id, event_type: e.event_type, timestamp: e.timestamp, data: e.data }) as Envelope);
    // Compare over a window the client surely saw whole: from its first event to its last instant.
    const from = live[0].timestamp;
    const until = live.at(-1)!.timestamp;
    const key = (e: Envelope) => `${e.timestamp} ${e.event_id} ${JSON.stringify(e.data)}`;
    const expected = batch.filter((e) => e.timestamp > from && e.timestamp < until).map(key).sort();
    const got = live.filter((e) => e.timestamp > from && e.timestamp < until).map(key).sort();
    expect(got.length).toBeGreaterThan(150);
    expect(new Set(live.map((e) => e.event_type)).size).toBeGreaterThan(5);
    expect(got).toEqual(expected);
  }, 120_000);
});
