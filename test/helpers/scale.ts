/**
 * `npm run test:scale` (vitest.scale.config.ts) sets ORDERSTREAM_TEST_SCALE=full: the files it runs
 * (`*.scale.ts`) check at full size what `npm test` checks on smaller runs, some of them by running
 * a test file again with this set (a longer fuzz, the whole grid of scenarios and markets).
 */
export const FULL_SCALE = process.env.ORDERSTREAM_TEST_SCALE === 'full';
