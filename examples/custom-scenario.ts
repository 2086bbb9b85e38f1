/**
 * A custom scenario in code: peak season with a supply chain twice as slow, one month of it
 * counted (a dry run), then written as CSV.
 *
 *   npx tsx examples/custom-scenario.ts      (or compile it with tsc and run the .js)
 */
import { defineScenario, generate, scenarios } from 'orderstream';

const slowPeak = defineScenario({
  name: 'slow-peak',
  extends: 'peak-season',
  stock: { leadTimeFactor: 2 },
});

console.log(`built-in scenarios: ${Object.keys(scenarios).join(', ')}`);
const counted = await generate({ scenario: slowPeak, from: '2024-11-01', to: '2024-11-30', seed: 7 });
console.log(`a dry run of ${slowPeak.name}: ${counted.counts.orders} orders, ${counted.records} records`);

const written = await generate({ scenario: slowPeak, from: '2024-11-01', to: '2024-11-30', seed: 7, out: 'out/slow-peak', format: 'csv' });
console.log(`wrote ${written.files?.length ?? 0} files to ${written.outDir}`);
