/** The record estimate (what the safety guard and progress bars rely on) against a real run. */
import { expect } from 'vitest';
import { generate } from '../../src/batch/generate.js';
import { GenerateOptions } from '../../src/domain/config.js';
import type { ScenarioProfile } from '../../src/domain/scenario.js';
import { World } from '../../src/simulation/world.js';

/** Runs two months of `scenario` in `marketId` at `multiplier` and checks the estimate is a close upper bound; returns "market/scenario×m ratio". */
export async function expectEstimateBounds(scenario: ScenarioProfile, marketId: string, multiplier: number): Promise<string> {
  const options = GenerateOptions.parse({ from: '2024-03-01', to: '2024-04-30', multiplier, maxRecords: 1e9 });
  const estimate = new World({ seed: options.seed, from: options.from, to: options.to, multiplier, scenario, marketId }).estimatedRecords();
  const r = await generate({ scenario, marketId, options, out: null }, { inThread: true });
  expect(r.records, `${marketId} ${scenario.name} ×${multiplier}`).toBeLessThanOrEqual(estimate);
  expect(r.records / estimate).toBeGreaterThan(0.6); // an upper bound, not a wild one
  return `${marketId}/${scenario.name}×${multiplier} ${(r.records / estimate).toFixed(3)}`;
}
