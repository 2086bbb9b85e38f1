/**
 * `orderstream inspect DIR`: the data-quality report of a dataset written by
 * `generate --out` (see quality/inspect.ts) — counts, distributions, duplicates and
 * coherence — as tables, or as JSON with --json. Exit 1 if any record is incoherent or
 * duplicated.
 */
import { Command } from 'commander';
import { coherenceRules } from '../../catalog/coherence.js';
import { getMarket } from '../../catalog/index.js';
import { inspectDir, readDatasetManifest, type InspectReport } from '../../quality/inspect.js';
import { UsageError } from '../../domain/errors.js';
import { formatTable } from '../table.js';
import { COMMAND_SUMMARIES } from './summaries.js';

const n = (x: number) => x.toLocaleString('en-US');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function shares(counts: number[], labels: string[]): string[][] {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  const max = Math.max(...counts, 1);
  return counts.map((c, i) => [labels[i], n(c), `${((100 * c) / total).toFixed(1)}%`, '█'.repeat(Math.round((20 * c) / max))]);
}

export function formatInspectReport(r: InspectReport & { dir: string; market: string | null; scenario: string | null }, currency: string): string {
  const out: string[] = [];
  out.push(`${r.dir}: ${r.scenario ?? 'unknown scenario'} on ${r.market ?? 'unknown market'}\n`);
  out.push(formatTable(['table', 'rows'], Object.entries(r.counts).map(([k, v]) => [k, n(v)]), ['left', 'right']));
  const d = r.distributions;
  out.push(`\nOrders by local hour\n${formatTable(['hour', 'orders', 'share', ''], shares(d.hourOfDay, d.hourOfDay.map((_, h) => `${String(h).padStart(2, '0')}:00`)), ['left', 'right', 'right', 'left'])}`);
  out.push(`\nOrders by local weekday\n${formatTable(['day', 'orders', 'share', ''], shares(d.weekday, WEEKDAYS), ['left', 'right', 'right', 'left'])}`);
  const lineKeys = Object.keys(d.lines);
  out.push(`\nLines per order\n${formatTable(['lines', 'orders', 'share', ''], shares(lineKeys.map((k) => d.lines[k]), lineKeys), ['right', 'right', 'right', 'left'])}`);
  // One row per unit count up to a dozen, then ranges.
  const bands: Array<[string, (u: number) => boolean]> = [
    ...Array.from({ length: 12 }, (_, i): [string, (u: number) => boolean] => [String(i + 1), (u) => u === i + 1]),
    ['13–24', (u) => u >= 13 && u <= 24],
    ['25–48', (u) => u >= 25 && u <= 48],
    ['49–100', (u) => u >= 49 && u <= 100],
    ['101–500', (u) => u >= 101 && u <= 500],
    ['> 500', (u) => u > 500],
  ];
  const inBand = (m: Record<string, number>, test: (u: number) => boolean) => Object.entries(m).reduce((a, [k, v]) => a + (test(Number(k)) ? v : 0), 0);
  const totalC = Object.values(d.unitsB2c).reduce((a, b) => a + b, 0) || 1;
  const totalB = Object.values(d.unitsB2b).reduce((a, b) => a + b, 0) || 1;
  const unitRows = bands
    .map(([label, test]) => [label, inBand(d.unitsB2c, test), inBand(d.unitsB2b, test)] as const)
    .filter(([, c, b]) => c + b > 0)
    .map(([label, c, b]) => [label, n(c), `${((100 * c) / totalC).toFixed(1)}%`, n(b), `${((100 * b) / totalB).toFixed(1)}%`]);
  out.push(`\nUnits per line\n${formatTable(['units', 'private', 'share', 'business', 'share'], unitRows, ['right', 'right', 'right', 'right', 'right'])}`);
  const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  out.push(
    `\nOrder value by segment (${currency})\n${formatTable(
      ['segment', 'orders', 'mean', 'p50', 'p90', 'p99', 'max'],
      Object.entries(d.orderValueBySegment).map(([s, v]) => [s, n(v.orders), money(v.mean), money(v.p50), money(v.p90), money(v.p99), money(v.max)]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    )}`,
  );
  out.push(`\nDuplicates\n${formatTable(['field', 'duplicates'], Object.entries(r.duplicates).map(([k, v]) => [k, v === 0 ? '✔ none' : `✘ ${n(v)}`]), ['left', 'right'])}`);
  out.push(`\nCoherence\n${formatTable(['check', 'rows', 'result'], r.coherence.map((c) => [c.check, n(c.rows), c.violations === 0 ? '✔ coherent' : `✘ ${n(c.violations)} violations`]), ['left', 'right', 'left'])}`);
  for (const v of r.violations) out.push(`✘ ${v.check} ${v.id}: ${v.detail}`);
  if (r.more) out.push(`… and ${n(r.more)} more`);
  out.push(r.ok ? '\n✔ no duplicates, every record coherent' : '');
  return `${out.join('\n')}\n`;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description(COMMAND_SUMMARIES.inspect.description)
    .argument('<dir>', 'the dataset directory (NDJSON or JSON)')
    .option('--market <id>', "the dataset's market, if its manifest does not say")
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Coherence checks:
  company_segment   a company's name says what it is (a café is not called "… Hotel")
  company_location  a place in a company's name is where the company is
  email_name        a customer's email is made of their own name
  email_unique      no two customers share an email
  unit_pack         a product's unit names its pack ("250 g bag" for "… 250 g")
  pack_price        a bigger pack costs more in total and no more per unit`,
    )
    .action(async (dir: string, flags: { json?: boolean; market?: string }) => {
      const manifest = await readDatasetManifest(dir);
      const marketId = flags.market ?? manifest.market;
      if (!marketId) throw new UsageError(`${dir}'s manifest names no market; give it with --market`);
      const market = getMarket(marketId);
      const report = await inspectDir(dir, { utcOffsetMinutes: market.utcOffsetMinutes, rules: coherenceRules(market) });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectReport(report, market.currency));
      if (!report.ok) process.exitCode = 1;
    });
}
