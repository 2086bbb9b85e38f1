import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Throwaway embedded databases start as a copy of one migrated database (src/store/open.ts):
    // about a second each instead of several. Spawned servers and commands inherit it.
    // Their WebAssembly is never recompiled by V8's optimizing compiler (src/store/pglite.ts): ~0.6 s of CPU less per database.
    env: {
      ORDERSTREAM_PGLITE_TEMPLATES: join(tmpdir(), 'orderstream-test-pglite-templates'), // kept by test/helpers/global-setup.ts
      ORDERSTREAM_PGLITE_BASELINE_COMPILER: '1',
    },
    // Files share worker processes: each process imports vitest and the code once, not once per
    // file (1–1.5 s of CPU each, 68 files). Measured on 2 cores, 2026-11-29: the suite took 216 s
    // and 367 CPU-s instead of 261 s and 454 with a fresh process per file (all passed). So every
    // file must leave the process as it found it: test/helpers/leak-check.ts fails a file that
    // leaves a server, a socket, a child process or a change to process.env behind.
    isolate: false,
    setupFiles: ['./test/helpers/leak-check.ts'],
    // One file more than the cores: a file spends about a fifth of its time waiting (for a
    // server's events, a child process, a timeout it tests), and a third file fills those gaps.
    // On 2 cores, 3 took the suite from 475 s to 423 s (CPU the same, all passed); more files
    // at once would only crowd the CPU-bound ones (the CLI's worker threads, Chromium). Files
    // start longest first, by the last run's durations.
    maxWorkers: Math.min(availableParallelism(), 2) + 1, // measured on 2 cores only: a bigger machine gets 3 too
    globalSetup: ['./test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
