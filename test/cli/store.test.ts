/**
 * The store commands as a user runs them: generate --no-dry-run, status, toggle, cleanup, export; a killed job leaves nothing.
 * Jobs, file exports, pipes, locks, signals and the production guard run as real processes; other
 * cases run the same command line in this process (runCliInProcess), which saves a Node start-up
 * and a database start each (an embedded database's is several times cheaper in a process that has started one).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { countRows } from '../../src/store/records.js';
import { CLI, runCli, runCliInProcess, tempDir } from '../helpers/cli.js';
import { inProcessServer } from '../helpers/server.js';
import { openTestStore, type BackendName, type TestStore } from '../helpers/store.js';

describe.each<BackendName>(['pglite', 'postgres'])('store commands (%s)', (backend) => {
  let db: TestStore | null = null;
  let env: Record<string, string> = {};
  let dataDir = '';
  beforeAll(async () => {
    if (backend === 'postgres') {
      db = await openTestStore('postgres');
      if (!db) return;
      env = { DATABASE_URL: db.url!, MOCK_DATA_ENABLED: 'true' };
    } else {
      dataDir = join(tempDir('orderstream-cli-store-'), 'pgdata');
      env = { ORDERSTREAM_DATA_DIR: dataDir };
    }
  }, 60_000);
  afterAll(() => db?.close());
  const counts = async () => {
    const store = db ? db.store : await openStore({ databaseUrl: null, dataDir });
    try {
      return await countRows(store);
    } finally {
      if (!db) await store.close();
    }
  };

  it('a job killed midway (SIGKILL) leaves no rows, and the next run goes ahead', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    const child = spawn(process.execPath, [CLI, 'generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-12-31', '--multiplier', '4', '--batch-size', '500', '--workers', '1'], {
      env: { ...process.env, NODE_ENV: 'test', ...env },
    });
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        // JSON progress lines come once a second: kill after the first that reports orders under way
        // (the dimension tables, thousands of rows, are in the job's transaction by then: batches of 500).
        const progressed = stderr.split('\n').some((l) => {
          if (!l.startsWith('{')) return false;
          const { progress } = JSON.parse(l) as { progress: { phase: string; recordsGenerated: number } };
          return progress.phase === 'orders' && progress.recordsGenerated > 0;
        });
        if (progressed) resolve();
      });
      child.on('exit', () => reject(new Error(`finished before it could be killed:\n${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stderr).toMatch(/job job-[0-9a-f]{12} started/);
    const after = await counts();
    expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true);
    // The ledger says what happened to it (on a server once it has been silent for a minute; at once on the embedded database).
    if (backend === 'pglite') {
      const jobId = /job (job-[0-9a-f]{12}) started/.exec(stderr)![1];
      const status = await runCli(['status', '--job', jobId], env);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/failed/);
      expect(status.stdout).toMatch(/interrupted/);
    }

    const r = await runCli(['generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-01-01', '--quiet'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote [\d,]+ rows/);
    expect((await counts()).orders).toBeGreaterThan(0);
  }, 120_000);

  it('status --job, toggle, export and cleanup --confirm', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    // One day: dozens of orders, enough to count through the export and the cleanup. The job, the
    // file export and the production refusal run as real processes; the other commands in this one
    // (runCliInProcess: the same command line, its output and exit code, without a Node start-up).
    const done = await runCli(['generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-01-01', '--replace', '--json', '--quiet'], env);
    expect(done.code).toBe(0);
    const job = JSON.parse(done.stdout) as { jobId: string; result: { counts: Record<string, number> } };
    const status = await runCliInProcess(['status', '--job', job.jobId, '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ jobId: job.jobId, status: 'completed' });
    // As text: done, with what it wrote, and no "loading orders" left over from its progress.
    const text = await runCliInProcess(['status', '--job', job.jobId], env);
    expect(text.stdout).toMatch(new RegExp(`^job ${job.jobId}: completed, scenario normal-ops\nprogress 100%, [\\d,]+ records/s\n`));
    expect(text.stdout).not.toMatch(/loading|counting/);
    const missing = await runCliInProcess(['status', '--job', 'job-nope'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no job job-nope/);

    const out = join(tempDir('orderstream-export-'), 'orders.csv');
    const exp = await runCli(['export', '--entity', 'orders', '--format', 'csv', '--out', out], env);
    expect(exp.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(job.result.counts.orders + 1);
    const badExport = await runCliInProcess(['export', '--entity', 'orders', '--format', 'parquet'], env);
    expect(badExport.code).toBe(2);
    expect(badExport.stderr).toMatch(/needs --out/);
    expect((await runCliInProcess(['export', '--entity', 'nope'], env)).stderr).toMatch(/Allowed choices are users, companies/);

    expect((await runCliInProcess(['toggle', '--disable'], env)).stdout).toMatch(/disabled \(toggle\)/);
    const refused = await runCliInProcess(['generate', '--no-dry-run', '--to', '2024-01-02', '--replace'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/mock data is disabled \(toggle\).*toggle --enable/);
    expect((await runCliInProcess(['toggle', '--enable', '--disable'], env)).code).toBe(2);
    expect((await runCliInProcess(['toggle', '--enable'], env)).stdout).toMatch(/enabled \(toggle\)/);

    const noConfirm = await runCliInProcess(['cleanup'], env);
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stderr).toMatch(/--confirm/);
    expect((await counts()).orders).toBe(job.result.counts.orders);
    const prod = await runCli(['cleanup', '--confirm'], { ...env, NODE_ENV: 'production' });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toMatch(/NODE_ENV is production/);
    const clean = await runCliInProcess(['cleanup', '--confirm', '--json'], env);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout).deleted.orders).toBe(job.result.counts.orders);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  }, 120_000);

  it('bad flags for --no-dry-run are refused before anything is written', async (ctx) => {
    if (backend === 'postgres' && !db) return ctx.skip();
    for (const [args, pattern] of [
      [['--batch-size', '0'], /--batch-size/],
      [['--batch-size', 'x'], /--batch-size/],
      [['--out', '/tmp/x'], /--out, --events and --format are for files/],
      [['--format', 'csv'], /for files/],
    ] as Array<[string[], RegExp]>) {
      const r = await runCliInProcess(['generate', '--no-dry-run', '--to', '2024-01-02', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(pattern);
    }
    expect((await runCliInProcess(['generate', '--batch-size', '10'], env)).stderr).toMatch(/only apply with --no-dry-run/);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  }, 60_000);
});

describe('the embedded database is held by one process at a time', () => {
  it('a second process is refused with the owner named; a stale lock is taken over', async () => {
    const dataDir = join(tempDir('orderstream-lock-'), 'pgdata');
    const first = await openStore({ databaseUrl: null, dataDir });
    try {
      const r = await runCli(['toggle'], { ORDERSTREAM_DATA_DIR: dataDir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`in use by process ${process.pid}`);
      // The ways on, said once (the lock's advice was followed by the opener's guess that the directory was in use).
      expect(r.stderr).toMatch(/stop that process or set ORDERSTREAM_DATA_DIR to use another directory \(if it is an orderstream serve, the store commands reach it with --server URL\)/);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    writeFileSync(`${dataDir}.lock`, '999999'); // a process that is gone
    const r = await runCli(['toggle'], { ORDERSTREAM_DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/enabled \(embedded default\)/);
  }, 60_000);
});

describe('store commands through a running server (--server)', () => {
  it('generate --no-dry-run --server runs the job on the server that holds the embedded database, and status follows it there', async () => {
    const dataDir = join(tempDir('orderstream-server-store-'), 'pgdata');
    // In this process (the commands are the processes under test): its lock names this process, alive, as a spawned server's names that one.
    const server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: dataDir, SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false' });
    try {
      // The database is the server's: opening it directly is refused, and says to use --server.
      const direct = await runCli(['generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-01-01'], { ORDERSTREAM_DATA_DIR: dataDir });
      expect(direct.code).toBe(2);
      expect(direct.stderr).toMatch(/--server/);
      const r = await runCliInProcess(['generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-01-01', '--server', server.url, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const job = JSON.parse(r.stdout) as { jobId: string; status: string; result: { counts: Record<string, number> } };
      expect(job.status).toBe('completed');
      expect(job.result.counts.orders).toBeGreaterThan(0);
      const status = await runCliInProcess(['status', '--job', job.jobId, '--server', server.url, '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ jobId: job.jobId, status: 'completed' });
      const orders = (await (await fetch(`${server.url}/api/orders?limit=1`)).json()) as { total: number };
      expect(orders.total).toBe(job.result.counts.orders);

      const dry = await runCliInProcess(['generate', '--server', server.url]);
      expect(dry.code).toBe(2);
      expect(dry.stderr).toMatch(/--server only apply with --no-dry-run/);
      const custom = await runCliInProcess(['generate', '--no-dry-run', '--scenario-file', '/dev/null', '--server', server.url]);
      expect(custom.code).toBe(2);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('export: empty tables, JSON, a reader that goes away, and a database that is not there', () => {
  const root = tempDir('orderstream-export-');
  const dataDir = join(root, 'pgdata');
  const env = { ORDERSTREAM_DATA_DIR: dataDir };

  it('refuses to create an empty embedded database where none is (run from another directory), and says where to look; production first', async () => {
    for (const args of [['export', '--entity', 'orders'], ['status', '--job', 'job-000000000000'], ['cleanup', '--confirm'], ['toggle']]) {
      const r = await runCliInProcess(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/no embedded database at .*pgdata.*ORDERSTREAM_DATA_DIR/);
    }
    // In production, cleanup is refused before any database is looked for, opened or migrated.
    const prod = await runCliInProcess(['cleanup', '--confirm'], { ...env, NODE_ENV: 'production' });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toMatch(/NODE_ENV is production/);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('a Parquet export of an empty table is a Parquet file with the table\'s columns', async () => {
    await (await openStore({ databaseUrl: null, dataDir })).close();
    const out = join(root, 'refunds.parquet');
    const r = await runCli(['export', '--entity', 'refunds', '--format', 'parquet', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString()).toBe('PAR1');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM '${out}'`)).getRowObjects();
    expect(rows[0]).toEqual({ n: 0 });
    const columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM '${out}'`)).getRowObjects().map((c) => c.column_name);
    expect(columns).toContain('refund_id');
  }, 60_000);

  it('exports JSON as one array, the records of the NDJSON export; stops quietly when the reader goes away', async () => {
    // One day: the customers (a dimension table, 614 of them whatever the days) are what is exported.
    expect((await runCli(['generate', '--no-dry-run', '--from', '2024-01-01', '--to', '2024-01-01', '--quiet'], env)).code).toBe(0);
    const ndjson = await runCliInProcess(['export', '--entity', 'customers'], env);
    const json = await runCliInProcess(['export', '--entity', 'customers', '--format', 'json'], env);
    expect(json.code, json.stderr).toBe(0);
    const array = JSON.parse(json.stdout) as unknown[];
    expect(array).toEqual(ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l)));
    expect(array.length).toBeGreaterThan(10);
    const empty = await runCliInProcess(['export', '--entity', 'refunds', '--format', 'json', '--limit', '1'], env);
    expect(['[]', '[\n'].some((start) => empty.stdout.startsWith(start))).toBe(true);
    // `export | head -1`: no EPIPE stack trace, exit 0.
    const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" export --entity customers | head -1`], { env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8' });
    expect(piped.stdout.trim().split('\n')).toHaveLength(1);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    expect(piped.status).toBe(0);
  }, 120_000);
});

describe('cleanup --server', () => {
  it('asks the server for a single-use confirmation, then deletes with it, sending ORDERSTREAM_API_TOKEN', async () => {
    const TOKEN = 'cli-test-token-0123456789';
    const server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false', ORDERSTREAM_API_TOKEN: TOKEN });
    try {
      const job = await server.state.jobs!.start({ scenario: 'normal-ops', config: { startDate: '2024-01-01', endDate: '2024-01-01', seed: 1, volumeMultiplier: 1, batchSize: 1000, dryRun: false, replace: true } });
      await server.state.jobs!.wait(job.jobId);
      const orders = async () => (await server.state.store!.query<{ n: number }>('SELECT count(*)::int AS n FROM mock_data.orders')).rows[0].n;
      expect(await orders()).toBeGreaterThan(0);
      // Without the token the server refuses, and says why.
      const refused = await runCliInProcess(['cleanup', '--confirm', '--server', server.url], { ORDERSTREAM_API_TOKEN: '' });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/API token/);
      expect(await orders()).toBeGreaterThan(0);
      // Export through the server sends the token too.
      const exported = await runCliInProcess(['export', '--entity', 'orders', '--server', server.url], { ORDERSTREAM_API_TOKEN: TOKEN });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout.trim().split('\n')).toHaveLength(await orders());
      const clean = await runCliInProcess(['cleanup', '--confirm', '--json', '--server', server.url], { ORDERSTREAM_API_TOKEN: TOKEN });
      expect(clean.stderr).toBe('');
      expect(clean.code).toBe(0);
      expect(JSON.parse(clean.stdout).deleted.orders).toBeGreaterThan(0);
      expect(await orders()).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);
});
