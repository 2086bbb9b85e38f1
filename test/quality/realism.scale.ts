/** The record estimate over the whole grid, every scenario in every market (`npm run test:scale`; realism.test.ts checks a cross of it). */
import { describe, it } from 'vitest';
import { MARKETS } from '../../src/catalog/index.js';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { expectEstimateBounds } from '../helpers/estimate.js';

describe('the record estimate at full scale', () => {
  it.each(MARKETS.map((m) => m.id))('is an upper bound on every scenario in %s, at small and large multipliers', async (marketId) => {
    for (const scenario of BUILT_IN_SCENARIOS) for (const multiplier of [0.2, 2]) await expectEstimateBounds(scenario, marketId, multiplier);
  }, 600_000);
});
