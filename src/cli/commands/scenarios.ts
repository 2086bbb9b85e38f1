/** `orderstream scenarios`, `orderstream validate` and `orderstream markets`: what can be generated. */
import { Command, Help } from 'commander';
import { allMarkets, getMarket } from '../../catalog/index.js';
import { BUILT_IN_SCENARIOS } from '../../scenarios/builtin.js';
import { resolveScenario } from '../../scenarios/resolve.js';
import { formatTable } from '../table.js';
import { COMMAND_SUMMARIES } from './summaries.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function scenariosCommand(): Command {
  return new Command('scenarios')
    .description(COMMAND_SUMMARIES.scenarios.description)
    .option('--json', 'print the full profiles as JSON')
    .action((flags: { json?: boolean }) => {
      if (flags.json) return void process.stdout.write(`${JSON.stringify(BUILT_IN_SCENARIOS, null, 2)}\n`);
      const rows = BUILT_IN_SCENARIOS.map((s) => [s.name, pct(s.anomalyRate), `${s.volume.orderFactor}×`, s.market, s.description]);
      process.stdout.write(`${formatTable(['scenario', 'anomalies', 'orders', 'market', 'description'], rows)}\n`);
    });
}

export function validateCommand(): Command {
  return new Command('validate')
    .description(COMMAND_SUMMARIES.validate.description)
    .option('--scenario <name>', 'built-in scenario')
    .option('--scenario-file <file>', 'custom scenario JSON file')
    .option('--json', 'print the resolved profile as JSON')
    .action((flags: { scenario?: string; scenarioFile?: string; json?: boolean }) => {
      const s = resolveScenario(flags);
      getMarket(s.market);
      if (flags.json) return void process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      const patterns = Object.entries(s.patterns).map(([name, p]) => `${name} ${pct(p.frequency)} ${p.priority} ${p.deliveryDays}d`);
      const mix = Object.entries(s.anomalyMix).filter(([, w]) => w > 0).map(([k, w]) => `${k} ${w}`);
      process.stdout.write(
        [
          `✔ scenario '${s.name}' is valid`,
          `  ${s.description}`,
          `  market: ${s.market}   orders/day: ${s.entityVolumes.ordersPerDay} × ${s.volume.orderFactor}   growth: ${pct(s.volume.monthlyGrowth)}/month`,
          `  anomaly rate: ${pct(s.anomalyRate)} (${mix.join(', ')})   overdue payments: ${pct(s.overduePaymentRate)}`,
          `  patterns: ${patterns.join(' · ')}`,
          '',
        ].join('\n'),
      );
    });
}

export function marketsCommand(): Command {
  return new Command('markets').description(COMMAND_SUMMARIES.markets.description).action(() => {
    const markets = allMarkets();
    const rows = markets.map((m) => [m.id, m.currency, String(m.products.count), m.orders.paymentMethods.map((p) => p.value).join(' ')]);
    // The descriptions are paragraphs: as a table column each line ran hundreds of characters and wrapped into the next row.
    const help = new Help();
    const width = Math.max(40, Math.min(process.stdout.columns ?? 80, 100));
    const about = markets.map((m) => `${m.id}\n${help.boxWrap(m.description, width - 2).replace(/^/gm, '  ')}`);
    process.stdout.write(`${formatTable(['market', 'currency', 'products', 'payment methods'], rows)}\n\n${about.join('\n\n')}\n`);
  });
}
