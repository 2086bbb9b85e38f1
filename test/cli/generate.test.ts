/**
 * `orderstream generate` end to end: the built CLI in a child process, files read back from disk.
 * What is the generator's and not the process's (the bytes for any number of workers, a longer
 * run keeping the past) runs the CLI's own steps in this process instead: no Node start-up and
 * module loading per run (generateAsTheCliDoes).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnomalyLabel } from '../../src/domain/anomalies.js';
import { ENTITY_NAMES, ENTITY_SCHEMAS, FOREIGN_KEYS, PRIMARY_KEYS, type EntityName } from '../../src/domain/entities.js';
import { EventEnvelope } from '../../src/domain/events.js';
import { csvHeader } from '../../src/sinks/encode.js';
import { CLI, readNdjson, runCli, runCliInProcess, tempDir } from '../helpers/cli.js';
import { digestOfDataset, generateAsTheCliDoes } from '../helpers/generate.js';

const SMALL = ['--from', '2024-02-01', '--to', '2024-02-29', '--multiplier', '2', '--quiet'];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const hashes = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, sha(join(dir, f))]));

/**
 * A run several tests read, made once on first use, whichever test asks first. Each generate run
 * is seconds of CPU; a test that needs a dataset like one another test already made reads that one.
 */
const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

/** SMALL with its event log on one and on two workers: the dataset the first tests read back, and the JSON test's ndjson. */
const one = join(tempDir(), 'one');
const two = join(tempDir(), 'two');
const smallRuns = once(() =>
  Promise.all([runCli(['generate', ...SMALL, '--workers', '1', '--events', '--out', one]), runCli(['generate', ...SMALL, '--workers', '2', '--events', '--out', two])]),
);

/**
 * SMALL as CSV, read at once (the CSV test's files), then SMALL with --seed 7 written over it:
 * the replaced directory the replace test inspects and the other seed's orders the seed test compares.
 */
const csvParent = tempDir();
const csvDir = join(csvParent, 'rewritten');
const csvRun = once(async () => {
  const r = await runCli(['generate', ...SMALL, '--format', 'csv', '--out', csvDir]);
  const read = (f: string) => (r.code === 0 ? readFileSync(join(csvDir, f), 'utf8') : '');
  return { code: r.code, manifest: read('manifest.json'), csv: Object.fromEntries((['users', 'payments', 'inventory_movements'] as const).map((e) => [e, read(`${e}.csv`)])) };
});
const reseededRun = once(async () => {
  const first = await csvRun();
  const r = await runCli(['generate', ...SMALL, '--seed', '7', '--out', csvDir]);
  return { first: first.code, code: r.code };
});

describe('generate writes a dataset', () => {
  let tables: Record<EntityName, Array<Record<string, unknown>>>;

  beforeAll(async () => {
    const [a, b] = await smallRuns();
    expect(a.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    tables = Object.fromEntries(ENTITY_NAMES.map((e) => [e, readNdjson(join(one, `${e}.ndjson`))])) as typeof tables;
  });

  it('writes one file per entity, the anomaly labels, the event log and a manifest', () => {
    expect(readdirSync(one).sort()).toEqual([...ENTITY_NAMES.map((e) => `${e}.ndjson`), 'anomalies.ndjson', 'events.ndjson', 'manifest.json'].sort());
    const manifest = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ generator: 'orderstream', scenario: 'normal-ops', market: 'egypt-coffee', seed: 12345 });
    for (const e of ENTITY_NAMES) expect(manifest.files.find((f: { file: string }) => f.file === `${e}.ndjson`).records).toBe(tables[e].length);
  });

  it('is byte-identical for --workers 1 and --workers 2', () => {
    expect(hashes(two)).toEqual(hashes(one));
  });

  it('is byte-identical run after run, and different for another seed', async () => {
    const again = join(tempDir(), 'again');
    // The other seed's run is the one the replace test writes over a CSV dataset (reseededRun).
    const [, other] = await Promise.all([runCli(['generate', ...SMALL, '--workers', '2', '--events', '--out', again]), reseededRun()]);
    expect(hashes(again)).toEqual(hashes(one));
    expect(other.code).toBe(0);
    expect(sha(join(csvDir, 'orders.ndjson'))).not.toBe(sha(join(one, 'orders.ndjson')));
  });

  it('writes records that match their schemas', () => {
    for (const e of ENTITY_NAMES) {
      expect(tables[e].length, e).toBeGreaterThan(0);
      for (const r of tables[e].slice(0, 300)) expect(ENTITY_SCHEMAS[e].safeParse(r).success, e).toBe(true);
    }
  });

  it('resolves every foreign key, re-checked from the files', () => {
    const keys = new Map(ENTITY_NAMES.map((e) => [e, new Set(tables[e].map((r) => r[PRIMARY_KEYS[e]]))]));
    for (const e of ENTITY_NAMES) expect(keys.get(e)!.size, `${e} keys are unique`).toBe(tables[e].length);
    let checked = 0;
    // Every dangling key listed, then one assertion: an expect per key was most of this test's time.
    const dangling: string[] = [];
    for (const fk of FOREIGN_KEYS) {
      for (const row of tables[fk.from]) {
        const value = row[fk.column];
        if (value === null && fk.nullable) continue;
        checked++;
        if (!keys.get(fk.to)!.has(value)) dangling.push(`${fk.from}.${fk.column}=${String(value)}`);
      }
    }
    expect(dangling).toEqual([]);
    expect(checked).toBeGreaterThan(50_000);
  });

  it('keeps the money consistent: items sum to orders, refunds within payments', () => {
    const cents = (x: unknown) => Math.round((x as number) * 100);
    const items = new Map<unknown, number>();
    for (const it of tables.order_items) items.set(it.order_id, (items.get(it.order_id) ?? 0) + cents(it.net_total));
    for (const o of tables.orders) {
      expect(items.get(o.order_id)).toBe(cents(o.subtotal));
      expect(cents(o.total_amount)).toBe(cents(o.subtotal) - cents(o.discount_amount));
    }
    const paid = new Map(tables.payments.map((p) => [p.payment_id, cents(p.amount)]));
    for (const r of tables.refunds) expect(cents(r.amount)).toBeLessThanOrEqual(paid.get(r.payment_id)!);
  });

  it('labels every anomaly with a record that exists', () => {
    const labels = readNdjson(join(one, 'anomalies.ndjson'));
    expect(labels.length).toBeGreaterThan(50);
    const ids = new Map(ENTITY_NAMES.map((e) => [e as string, new Set(tables[e].map((r) => r[PRIMARY_KEYS[e]]))]));
    for (const l of labels) {
      const label = AnomalyLabel.parse(l);
      if (label.entity === 'days') expect(label.id >= '2024-02-01' && label.id <= '2024-02-29', label.id).toBe(true);
      else expect(ids.get(label.entity)?.has(label.id), `${label.kind} ${label.entity} ${label.id}`).toBe(true);
    }
  });

  it('delivers between 09:00 and 18:00 local, only on the days a region is served', () => {
    // egypt-coffee: UTC+2; region A is served Sun/Tue/Thu, region B Mon/Wed/Thu (Friday and Saturday are the weekend).
    const served: Record<string, number[]> = { A: [0, 2, 4], B: [1, 3, 4] };
    const delivered = tables.orders.filter((o) => o.delivered_at);
    expect(delivered.length).toBeGreaterThan(1000);
    for (const o of delivered) {
      const local = new Date(Date.parse(o.delivered_at as string) + 2 * 3_600_000);
      const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
      expect(minutes >= 9 * 60 && minutes < 18 * 60, `${o.order_id} at ${o.delivered_at}`).toBe(true);
      expect(served[o.delivery_region as string], `${o.order_id} on weekday ${local.getUTCDay()}`).toContain(local.getUTCDay());
      const promised = new Date(Date.parse(o.expected_delivery as string) + 2 * 3_600_000);
      expect(served[o.delivery_region as string]).toContain(promised.getUTCDay());
    }
  });

  it('refunds only what has been paid, after it was paid', () => {
    const payments = new Map(tables.payments.map((p) => [p.payment_id, p]));
    expect(tables.refunds.length).toBeGreaterThan(5);
    for (const r of tables.refunds) {
      const p = payments.get(r.payment_id)!;
      expect(p.paid_at, r.refund_id as string).not.toBeNull();
      expect((r.requested_at as string) >= (p.paid_at as string), r.refund_id as string).toBe(true);
    }
  });

  it('never fills the backorder of an order after it was cancelled, and a cancelled order gives back every unit it held', () => {
    const cancelledAt = new Map(tables.orders.filter((o) => o.status === 'cancelled').map((o) => [o.order_id as string, (o.status_history as Array<{ at: string }>).at(-1)!.at]));
    expect(cancelledAt.size).toBeGreaterThan(5);
    const taken = new Map<string, number>();
    const returned = new Map<string, number>();
    for (const m of tables.inventory_movements) {
      const id = m.order_id as string | null;
      if (!id || !cancelledAt.has(id)) continue;
      if (m.reason === 'backorder_filled') expect((m.occurred_at as string) <= cancelledAt.get(id)!, id).toBe(true);
      if (m.movement_type === 'fulfilment') taken.set(id, (taken.get(id) ?? 0) - (m.quantity as number));
      if (m.reason === 'order_cancelled') returned.set(id, (returned.get(id) ?? 0) + (m.quantity as number));
    }
    for (const [id, units] of taken) expect(returned.get(id) ?? 0, id).toBe(units);
  });

  it('writes the event log in time order, in spec 003 envelopes, with unique ids', () => {
    const events = readNdjson<{ timestamp: string; event_id: string; event_type: string }>(join(one, 'events.ndjson'));
    expect(events.length).toBeGreaterThan(tables.orders.length * 4);
    let previous = '';
    // Every failure listed, then one assertion each (an expect per event was much of this test's time).
    const invalid: string[] = [];
    const backwards: string[] = [];
    for (const e of events) {
      if (!EventEnvelope.safeParse(e).success) invalid.push(JSON.stringify(e));
      if (!(e.timestamp >= previous)) backwards.push(`${e.event_id} at ${e.timestamp} after ${previous}`);
      previous = e.timestamp;
    }
    expect(invalid).toEqual([]);
    expect(backwards).toEqual([]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const created = events.filter((e) => e.event_type === 'order.created').length;
    expect(created).toBe(tables.orders.length);
  });
});

describe('a longer --to never changes the past', () => {
  it('the event log of a shorter run is exactly the beginning of the longer run\'s; audit logs and movements match', async () => {
    const root = tempDir();
    const short = join(root, 'short');
    const long = join(root, 'long');
    // Two worker threads, whatever the machine's default: the past must not depend on how the days were dealt out either.
    const base = { scenario: 'anomaly-heavy', from: '2024-01-01', multiplier: '2', events: true, workers: '2' };
    await generateAsTheCliDoes({ ...base, to: '2024-01-31' }, short);
    await generateAsTheCliDoes({ ...base, to: '2024-02-29' }, long);
    const shortEvents = readFileSync(join(short, 'events.ndjson'), 'utf8');
    const longEvents = readFileSync(join(long, 'events.ndjson'), 'utf8');
    expect(shortEvents.length).toBeGreaterThan(1_000_000);
    expect(longEvents.startsWith(shortEvents)).toBe(true);
    // What happened stays as it was; only state as of the end (an order's status, a line still waiting for stock) moves on.
    const settled = (r: Record<string, unknown>) => JSON.stringify({ ...r, fulfilment: undefined });
    for (const [file, key] of [['audit_logs', 'audit_id'], ['inventory_movements', 'movement_id'], ['order_items', 'order_item_id'], ['anomalies', 'id']] as const) {
      const later = new Map(readNdjson(join(long, `${file}.ndjson`)).map((r) => [`${r[key]}/${r.kind ?? ''}`, settled(r)]));
      for (const r of readNdjson(join(short, `${file}.ndjson`))) expect(later.get(`${r[key]}/${r.kind ?? ''}`), file).toBe(settled(r));
    }
  });
});

describe('generate formats', () => {
  it('writes CSV with the schema header and one row per record', async () => {
    // Read as the run finished: the replace test writes another run over this directory (csvRun).
    const run = await csvRun();
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.manifest);
    for (const e of ['users', 'payments', 'inventory_movements'] as const) {
      const text = run.csv[e];
      expect(text.startsWith(csvHeader(ENTITY_SCHEMAS[e]))).toBe(true);
      expect(text.trimEnd().split('\n').length - 1).toBe(manifest.files.find((f: { file: string }) => f.file === `${e}.csv`).records);
    }
  });

  it('writes JSON arrays that parse whole', async () => {
    const out = join(tempDir(), 'json');
    // The same orders as ndjson: the first tests' dataset (its event log does not touch orders.ndjson).
    const [json, [ndjson]] = await Promise.all([runCli(['generate', ...SMALL, '--format', 'json', '--out', out]), smallRuns()]);
    expect(json.code).toBe(0);
    expect(ndjson.code).toBe(0);
    const orders = JSON.parse(readFileSync(join(out, 'orders.json'), 'utf8'));
    expect(orders).toEqual(readNdjson(join(one, 'orders.ndjson')));
  });
});

describe('generate refuses bad input and leaves nothing behind', () => {
  const root = tempDir();
  const badFile = join(root, 'bad.json');
  writeFileSync(badFile, JSON.stringify({ name: 'bad', patterns: { rush_orders: { frequency: 0.9 } } }));

  // Each case refuses while parsing its flags, before any run starts: in this process (runCliInProcess),
  // one after another. The last test of this list runs two of them as real processes, for the exit code.
  it.each([
    [['--scenario', 'nope'], /unknown scenario 'nope'\. Allowed: normal-ops, peak-season, anomaly-heavy, warehouse-outage, growth-phase, payment-crisis/],
    [['--market', 'mars'], /unknown market 'mars'\. Allowed: egypt-coffee, us-electronics, global-components/],
    [['--from', '2024-03-01', '--to', '2024-02-01'], /--to: must not be before the start date \(got '2024-02-01'\)/],
    [['--from', '2024-13-45'], /--from: not a real calendar date.*allowed: a date as YYYY-MM-DD/],
    [['--to', 'tomorrow'], /--to: expected a date as YYYY-MM-DD \(got 'tomorrow'\)/],
    [['--from', '0001-01-01', '--to', '0001-01-02'], /--from: dates must lie between 1900-01-01 and 2999-12-31/],
    [['--max-records', '-5'], /--max-records: .*allowed: a whole number greater than 0/],
    [['--multiplier', '-2'], /--multiplier: must be greater than 0 \(got '-2'\); allowed: a number greater than 0/],
    [['--multiplier', 'lots'], /--multiplier: .*\(got 'lots'\)/],
    [['--seed', '1.5'], /--seed: .*allowed: a whole number from 0 to 4294967295/],
    [['--seed', 'abc'], /--seed: not a number \(got 'abc'\); allowed: a whole number from 0 to 4294967295/],
    [['--multiplier', '1e9'], /--multiplier: at most 10000 \(got '1e9'\); allowed: a number greater than 0, at most 10000/],
    [['--workers', '0'], /--workers: .*allowed: a whole number from 1 to 64/],
    [['--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are ndjson, json, csv/],
    [['--scenario-file', badFile], /scenario file .*bad\.json is invalid:\n.*pattern frequencies must add up to 1/],
    [['--scenario-file', join(root, 'missing.json')], /cannot read scenario file/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const r = await runCliInProcess(['generate', ...args, '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('a real process refuses them the same way: exit code 2, the message on stderr, nothing written', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /unknown option '--bogus'/], // commander's own error
      [['--workers', '0'], /--workers: .*allowed: a whole number from 1 to 64/], // the options' schema
    ];
    const outs = cases.map(() => join(root, `out-${Math.random().toString(36).slice(2)}`));
    const runs = await Promise.all(cases.map(([args], i) => runCli(['generate', ...args, '--out', outs[i], '--quiet'])));
    runs.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(existsSync(outs[i])).toBe(false);
    });
    expect(readdirSync(root).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('a bad value from the environment is named by its variable, not by a flag that was never given', async () => {
    const r = await runCliInProcess(['generate', '--quiet'], { ORDERSTREAM_MAX_RECORDS: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/• ORDERSTREAM_MAX_RECORDS \(from the environment or \.env\): not a number \(got 'lots'\); allowed: a whole number greater than 0/);
    expect(r.stderr).not.toMatch(/--max-records/);
  });

  it('names only the date that is wrong: an impossible --from says nothing about --to', async () => {
    const r = await runCliInProcess(['generate', '--from', '2024-13-01', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from: not a real calendar date/);
    expect(r.stderr).not.toMatch(/--to/);
  });

  it('an option given where a value belongs is refused, not taken as the value (--out --quiet made a directory named --quiet)', async () => {
    const r = await runCliInProcess(['generate', '--from', '2024-01-01', '--to', '2024-01-01', '--out', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: expected a value, got the option '--quiet'/);
    expect(existsSync(join(process.cwd(), '--quiet'))).toBe(false);
    const status = await runCliInProcess(['status', '--job', '--json']);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/--job: expected a value, got the option '--json'/);
  });

  it('says why it cannot create --out, instead of crashing', async () => {
    const r = await runCli(['generate', '--out', '/proc/orderstream-cannot-be-here', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write --out \/proc\/orderstream-cannot-be-here: ENOENT/);
  });

  it('--events without --out is refused', async () => {
    const r = await runCliInProcess(['generate', '--events', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--events needs --out DIR/);
  });

  it('refuses production (spec 002 safety guard)', async () => {
    const out = join(root, 'prod');
    const r = await runCli(['generate', ...SMALL, '--out', out], { NODE_ENV: 'production' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to generate mock data with NODE_ENV=production/);
    expect(existsSync(out)).toBe(false);
    // A dry run writes nothing: allowed in production, as the API allows it (two days are enough to say so).
    const dry = await runCli(['generate', '--from', '2024-02-01', '--to', '2024-02-02', '--quiet', '--json'], { NODE_ENV: 'production' });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).dryRun).toBe(true);
  });

  it('refuses runs over the record limit, from the flag or the environment', async () => {
    const [flag, env] = await Promise.all([runCli(['generate', ...SMALL, '--max-records', '1000']), runCli(['generate', ...SMALL], { ORDERSTREAM_MAX_RECORDS: '5000' })]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/over the limit of 1,000; .*--max-records/);
    expect(env.stderr).toMatch(/over the limit of 5,000/);
  });

  it('will not overwrite a directory it did not write', async () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.txt'), 'precious');
    const r = await runCli(['generate', ...SMALL, '--out', foreign]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists, is not empty and was not written by orderstream/);
    expect(readdirSync(foreign)).toEqual(['thesis.txt']);
  });

  it('replaces a directory it wrote before, whole', async () => {
    // The CSV test's dataset, then --seed 7 as ndjson over it (csvRun, reseededRun).
    const out = csvDir;
    const run = await reseededRun();
    expect(run.first).toBe(0);
    expect(run.code).toBe(0);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.csv'))).toEqual([]); // nothing of the first run is left
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ seed: 7, format: 'ndjson' });
    expect(readdirSync(csvParent).filter((f) => f.includes('.partial') || f.endsWith('.old'))).toEqual([]);
  });

  // A big run has a thread of its own; a small one runs in the command's thread (generateAnywhere).
  it.each([
    ['a big run', ['--multiplier', '20', '--workers', '2']],
    ['a small run', ['--multiplier', '4', '--events']],
  ])('leaves no output when interrupted midway: %s', async (name, flags) => {
    const out = join(root, `interrupted-${name.replace(' ', '-')}`);
    const r = await runCli(['generate', '--from', '2024-01-01', '--to', '2024-12-31', ...flags, '--out', out, '--quiet'], {}, {
      // Once the run has started writing (its staging directory exists), not after a fixed delay.
      interruptWhen: () => readdirSync(root).some((f) => f.includes('.partial')),
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted; nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});

describe('generate as a dry run', () => {
  it('prints the counts and writes nothing by default (spec 002)', async () => {
    const cwd = tempDir();
    const r = await runCli(['generate', ...SMALL, '--json'], {}, { cwd });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.dryRun).toBe(true);
    expect(summary.counts.orders).toBeGreaterThan(1000);
    expect(summary.validation.violations).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
    // Without --workers: as many threads as the run's size repays, up to the cores; a run this small gets one.
    expect(summary.workers).toBe(1);
  });

  it('reports progress as JSON lines when stderr is not a terminal', async () => {
    const r = await runCli(['generate', '--from', '2024-01-01', '--to', '2024-01-31', '--multiplier', '4']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l).progress);
    expect(lines.length).toBeGreaterThanOrEqual(2); // as it starts, every second, as it ends
    expect(lines[0].progressPercent).toBeLessThan(100);
    expect(lines.at(-1)).toMatchObject({ progressPercent: 100, currentEntity: 'orders' });
    expect(lines.at(-1).recordsGenerated).toBeGreaterThan(10_000);
  });

  it('draws a progress bar on a terminal (a real pseudo-terminal via script(1))', () => {
    // A month: the bar is drawn as it starts, as the run goes (every 100 ms) and, whole, as it stops.
    const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} generate --from 2024-01-01 --to 2024-01-31 --multiplier 4`, '/dev/null'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/█+░*\s+\d+% \| orders 2024-\d\d-\d\d \| [\d.]+k? records \| [\d.]+k? rec\/s \| ETA/);
    expect(r.stdout).toMatch(/100% \| orders 2024-01-31/);
    expect(r.stdout).not.toMatch(/"progress":/); // JSON lines are only for non-terminals
  });

});

describe('parallel and still deterministic', () => {
  // Days go to whichever thread is idlest (the engine's own thread takes one whenever it would
  // otherwise wait), so the split differs from run to run; --workers 1 runs all in one thread,
  // 3 splits the days unevenly between the engine's thread and two workers. Six and a half weeks that include the engine's start-up (first forecasts
  // after 28 days, then weekly retraining), a warehouse outage, December's peak and the year-end:
  // 47 days, each a task of its own, on 3 threads. A year of every scenario on 1, 2 and 4 workers
  // is checked by `npm run test:scale` (generate.scale.ts).
  it('--workers 1 and 3 write identical bytes for six weeks up to the year-end, event log included; so do 2 worker threads alone (a job\'s way)', async () => {
    const root = tempDir();
    const dirs = ['1', '3', 'job'].map((w) => join(root, `w${w}`));
    for (const [i, workers] of ['1', '3'].entries()) await generateAsTheCliDoes({ scenario: 'warehouse-outage', from: '2024-11-15', to: '2024-12-31', events: true, workers }, dirs[i]);
    await generateAsTheCliDoes({ scenario: 'warehouse-outage', from: '2024-11-15', to: '2024-12-31', events: true, workers: '2' }, dirs[2], { keepThreadFree: true });
    const [one, three, job] = dirs.map(digestOfDataset);
    expect(Object.keys(one).length).toBeGreaterThan(16);
    expect(three).toEqual(one);
    expect(job).toEqual(one);
  }, 600_000);
});
