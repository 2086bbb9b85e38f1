/**
 * The small commands: scenarios, validate, markets, and --help everywhere. What they print and
 * the code they exit with is parsing and formatting: in this process (runCliInProcess), without a
 * Node start-up per command. An unknown command and the .env file run as real processes: the exit
 * code of commander's own error, and a settings file read into the process's environment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Help } from 'commander';
import { COMMANDS } from '../../src/cli/program.js';
import { COMMAND_SUMMARIES } from '../../src/cli/commands/summaries.js';
import { MOCK_SCHEMA } from '../../src/store/schema.js';
import { runCli, runCliInProcess, tempDir } from '../helpers/cli.js';

describe('orderstream --version', () => {
  it('prints the package version and exits 0, as a real process (it loads no command)', async () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.stdout.trim(), flag).toBe(version);
    }
  });
});

describe('orderstream scenarios / validate / markets', () => {
  it('lists the six built-in scenarios with their anomaly rates', async () => {
    const r = await runCliInProcess(['scenarios']);
    expect(r.code).toBe(0);
    for (const [name, rate] of [['normal-ops', '5%'], ['peak-season', '15%'], ['anomaly-heavy', '40%'], ['warehouse-outage', '60%'], ['growth-phase', '8%'], ['payment-crisis', '25%']]) {
      expect(r.stdout).toMatch(new RegExp(`${name}\\s+${rate}`));
    }
    const json = JSON.parse((await runCliInProcess(['scenarios', '--json'])).stdout);
    expect(json).toHaveLength(6);
  });

  it('validates a built-in and a custom scenario, and explains an invalid one', async () => {
    const ok = await runCliInProcess(['validate', '--scenario', 'peak-season']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/✔ scenario 'peak-season' is valid/);

    const dir = tempDir();
    const bulk = join(dir, 'bulk.json');
    writeFileSync(bulk, JSON.stringify({ name: 'bulk-test', extends: 'normal-ops', patterns: { bulk_orders: { frequency: 0.4 }, regular_orders: { frequency: 0.35 } } }));
    const custom = JSON.parse((await runCliInProcess(['validate', '--scenario-file', bulk, '--json'])).stdout);
    expect(custom.patterns.bulk_orders.frequency).toBe(0.4);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', market: 'atlantis' }));
    const r = await runCliInProcess(['validate', '--scenario-file', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown market 'atlantis'. Allowed: egypt-coffee, us-electronics, global-components/);
  });

  it('lists the market packs', async () => {
    const r = await runCliInProcess(['markets']);
    expect(r.stdout).toMatch(/egypt-coffee\s+EGP\s+200/);
    expect(r.stdout).toMatch(/us-electronics\s+USD\s+15/);
    expect(r.stdout).toMatch(/global-components\s+USD\s+10/);
    // Each description as a paragraph under its market, wrapped (a table column of them ran hundreds of characters a line).
    const about = r.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(about.join(' ')).toMatch(/An Egyptian B2B distributor of coffee/);
    expect(Math.max(...about.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it.each([[[]], [['serve']], [['stream']], [['generate']], [['scenarios']], [['validate']], [['markets']], [['status']], [['cleanup']], [['toggle']], [['export']]])('prints help for %j', async (cmd) => {
    const r = await runCliInProcess([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: orderstream/);
  });

  it('lists every command in the root help as the command itself describes it (its summary stands in for it, so the list loads none)', async () => {
    expect(Object.keys(COMMAND_SUMMARIES)).toEqual(Object.keys(COMMANDS));
    const help = (await runCliInProcess(['--help'])).stdout.replace(/\s+/g, ' ');
    for (const [name, load] of Object.entries(COMMANDS)) {
      const command = await load();
      const summary = COMMAND_SUMMARIES[name as keyof typeof COMMAND_SUMMARIES];
      expect(command.description(), name).toBe(summary.description);
      expect(new Help().subcommandTerm(command), name).toBe(summary.term);
      expect(help).toContain(`${summary.term} ${summary.description}`);
    }
    expect(COMMAND_SUMMARIES.cleanup.description).toContain(` ${MOCK_SCHEMA} `);
    // `help NAME` shows the command's own help, not the list.
    expect((await runCliInProcess(['help', 'export'])).stdout).toMatch(/^Usage: orderstream export \[options\]/);
    // An unknown name is still matched against every command.
    expect((await runCliInProcess(['generat'])).stderr).toMatch(/Did you mean generate\?/);
    // After a leading `--` (what some script runners pass on) the command still runs, and `help -- NAME` is NAME's own help.
    expect((await runCliInProcess(['--', 'markets'])).stdout).toMatch(/egypt-coffee\s+EGP/);
    expect((await runCliInProcess(['help', '--', 'export'])).stdout).toMatch(/^Usage: orderstream export \[options\][\s\S]*--format/);
  });

  it('documents every generate flag in --help', async () => {
    const help = (await runCliInProcess(['generate', '--help'])).stdout;
    for (const flag of ['--scenario', '--scenario-file', '--market', '--from', '--to', '--seed', '--multiplier', '--workers', '--format', '--out', '--events', '--max-records', '--json', '--quiet', '--no-dry-run', '--batch-size', '--replace']) {
      expect(help).toContain(flag);
    }
  });

  it('rejects an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('settings from a .env file', () => {
  it('reads .env in the working directory; the environment wins over it; a missing named file is an error', async () => {
    const dir = tempDir('orderstream-dotenv-');
    writeFileSync(join(dir, '.env'), '# limits\nORDERSTREAM_MAX_RECORDS=1000\n');
    const limited = await runCli(['generate', '--from', '2024-01-01', '--to', '2024-01-31', '--quiet'], {}, { cwd: dir });
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/over the limit of 1,000/);
    const overridden = await runCli(['generate', '--from', '2024-01-01', '--to', '2024-01-02', '--quiet', '--json'], { ORDERSTREAM_MAX_RECORDS: '10000000' }, { cwd: dir });
    expect(overridden.code, overridden.stderr).toBe(0);
    const missing = await runCli(['markets'], { ORDERSTREAM_ENV_FILE: join(dir, 'nope.env') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ORDERSTREAM_ENV_FILE names .*nope\.env, which does not exist/);
  });
});

describe('orderstream serve on a busy port', () => {
  it('refuses before it opens (or creates) a database: nothing is left in the data directory', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as AddressInfo).port;
    const dataDir = join(tempDir(), 'pgdata');
    try {
      const r = await runCliInProcess(['serve', '--port', String(port), '--quiet'], { STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: dataDir, HOST: '127.0.0.1' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use; pick another with --port or PORT`));
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});
