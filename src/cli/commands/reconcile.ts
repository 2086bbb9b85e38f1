/**
 * `orderstream reconcile DIR`: checks that a generated dataset's tables are the state its
 * event log leads to (see quality/reconcile.ts), and names every row that is not.
 */
import { Command } from 'commander';
import { reconcile } from '../../quality/reconcile.js';
import { formatTable } from '../table.js';
import { COMMAND_SUMMARIES } from './summaries.js';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function reconcileCommand(): Command {
  return new Command('reconcile')
    .description(COMMAND_SUMMARIES.reconcile.description)
    .argument('<dir>', 'the dataset directory')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
What it checks:
  orders               status, status history, dates and sale fields = the order's events
  inventory_movements  each one is a stock.updated event (same level, quantity, order)
  products             stock_quantity = the last stock.updated, and the sum of the product's movements
  payments             paid exactly when payment.completed was told, overdue only after payment.overdue
  shipments            delivered/failed as the order; failed attempts = shipment.failed events
  refunds              pending until refund.resolved, then its outcome

The tables of a dataset are what a stream processor consuming the live stream of the same
scenario, seed and start must end up with: use them as its expected output.`,
    )
    .action(async (dir: string, flags: { json?: boolean }) => {
      const report = await reconcile(dir);
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const rows = report.checks.map((c) => [c.check, c.rows.toLocaleString('en-US'), c.mismatches === 0 ? '✔ reconciled' : `✘ ${c.mismatches.toLocaleString('en-US')} mismatched`]);
        process.stdout.write(`${formatTable(['table', 'rows', 'against the event log'], rows, ['left', 'right', 'left'])}\n\n`);
        process.stdout.write(`${report.events.toLocaleString('en-US')} events read from ${report.dir}\n`);
        for (const m of report.mismatches) process.stdout.write(`✘ ${m.entity} ${m.id}: ${m.field} is ${show(m.table)} in the table, ${show(m.events)} by the events\n`);
        if (report.more) process.stdout.write(`… and ${report.more.toLocaleString('en-US')} more\n`);
        process.stdout.write(report.ok ? '✔ every row is the state after its last event\n' : '');
      }
      if (!report.ok) process.exitCode = 1;
    });
}
