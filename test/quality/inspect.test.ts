/** `orderstream inspect DIR`: the data-quality report read back from a dataset's files, and its verdict. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/batch/generate.js';
import { coherenceRules } from '../../src/catalog/coherence.js';
import { getMarket } from '../../src/catalog/index.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { inspectDir } from '../../src/quality/inspect.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';

describe('orderstream inspect', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'inspect-')), 'data');
  const ready = generate(
    { scenario: getScenario('normal-ops'), marketId: 'egypt-coffee', options: GenerateOptions.parse({ from: '2024-03-01', to: '2024-04-15', multiplier: 0.5 }), out: dir },
    { inThread: true },
  );
  const market = getMarket('egypt-coffee');
  const options = { utcOffsetMinutes: market.utcOffsetMinutes, rules: coherenceRules(market) };

  it('reads a dataset back: the manifest\'s counts, every order by hour and weekday, every check run and passed', async () => {
    const run = await ready;
    const r = await inspectDir(dir, options);
    expect(r.market).toBe('egypt-coffee');
    expect(r.counts.orders).toBe(run.counts.orders);
    expect(r.counts.order_items).toBe(run.counts.order_items);
    expect(r.distributions.hourOfDay.reduce((a, b) => a + b, 0)).toBe(run.counts.orders);
    expect(r.distributions.weekday.reduce((a, b) => a + b, 0)).toBe(run.counts.orders);
    // Ramadan 2024 (11 March–9 April) is in the range: its late evenings show in the hours.
    expect(r.distributions.hourOfDay[22]).toBeGreaterThan(r.distributions.hourOfDay[6]);
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    for (const c of r.coherence) expect(c.rows, c.check).toBeGreaterThan(0);
  });

  it('the CLI prints the report and exits 0; on a dataset with a copied email and a mislabelled company it names them and exits 1', async () => {
    await ready;
    // The report and its exit code 0 in this process; the failing verdict's exit code 1 from a real process below.
    const good = await runCliInProcess(['inspect', dir]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/company_segment\s+\d+\s+✔ coherent/);
    expect(good.stdout).toMatch(/Order value by segment \(EGP\)/);

    const customers = readFileSync(join(dir, 'customers.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { email: string });
    customers[1].email = customers[0].email;
    writeFileSync(join(dir, 'customers.ndjson'), `${customers.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const companies = readFileSync(join(dir, 'companies.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { company_id: string; name: string; segment: string });
    const cafe = companies.find((c) => c.segment === 'cafe')!;
    cafe.segment = 'hotel';
    writeFileSync(join(dir, 'companies.ndjson'), `${companies.map((c) => JSON.stringify(c)).join('\n')}\n`);

    const bad = await runCli(['inspect', dir, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; duplicates: Record<string, number>; violations: Array<{ check: string; id: string }> };
    expect(report.ok).toBe(false);
    expect(report.duplicates.customer_email).toBe(1);
    // The second customer's address is the first's: shared, and not made of the second's name.
    expect(report.violations.map((v) => v.check).sort()).toEqual(['company_segment', 'email_name', 'email_unique']);
    expect(report.violations.find((v) => v.check === 'company_segment')!.id).toBe(cafe.company_id);
  });
});
