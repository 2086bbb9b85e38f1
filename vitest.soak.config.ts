import { defineConfig } from 'vitest/config';

/** `npm run test:soak`: the 5-minute soak (SOAK_SECONDS to change it), apart from `npm test`. */
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
