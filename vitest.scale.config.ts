import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:scale`: the checks that need full-size runs (a year of every scenario on several
 * worker counts, memory over months, long fuzzing), apart from `npm test`, which checks the same
 * properties on smaller runs. CI runs both.
 */
export default defineConfig({
  test: { ...base.test, include: ['test/**/*.scale.ts'], testTimeout: 1_800_000, env: { ...base.test?.env, FUZZ_RUNS: '10000' } },
});
