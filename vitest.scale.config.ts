import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:scale`: the checks that need full-size runs (a year of every scenario on several
 * worker counts, memory over months, long fuzzing), apart from `npm test`, which checks the same
 * properties on smaller runs. CI runs both.
 */
const { projects: _ignored, ...settings } = base.test ?? {};
export default defineConfig({
  test: { ...settings, include: ['test/**/*.scale.ts'], testTimeout: 1_800_000, env: { ...settings.env, ORDERSTREAM_TEST_SCALE: 'full' } },
});
