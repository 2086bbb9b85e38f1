import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Throwaway embedded databases start as a copy of one migrated database (src/store/open.ts):
    // about a second each instead of several. Spawned servers and commands inherit it.
    // Their WebAssembly is never recompiled by V8's optimizing compiler (src/store/pglite.ts): ~0.6 s of CPU less per database.
    env: {
      ORDERSTREAM_PGLITE_TEMPLATES: join(tmpdir(), 'orderstream-test-pglite-templates'), // kept by test/helpers/global-setup.ts
      ORDERSTREAM_PGLITE_BASELINE_COMPILER: '1',
    },
    hookTimeout: 120_000,
    globalSetup: ['./test/helpers/global-setup.ts'],
    // End-to-end files spawn the CLI with worker threads; two at a time fits a 2-core machine.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
