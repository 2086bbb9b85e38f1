import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/helpers/sequencer.js';

/**
 * Files that measure their own process's memory: each runs in a fresh process, since in a shared
 * one the files before it leave heap and RSS behind (a 2 GB bound was crossed that way once).
 */
const FRESH = ['test/server/hardening.test.ts'];

/** Settings of both projects (an inline project inherits nothing from the root without `extends`, which would run globalSetup twice). */
const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // Throwaway embedded databases start as a copy of one migrated database (src/store/open.ts):
  // about a second each instead of several. Spawned servers and commands inherit it.
  // Their WebAssembly is never recompiled by V8's optimizing compiler (src/store/pglite.ts): ~0.6 s of CPU less per database.
  env: {
    ORDERSTREAM_PGLITE_TEMPLATES: join(tmpdir(), 'orderstream-test-pglite-templates'), // kept by test/helpers/global-setup.ts
    ORDERSTREAM_PGLITE_BASELINE_COMPILER: '1',
    // A small buffer cache: PostgreSQL clears the whole of it as it starts, and a test's database is small (src/store/pglite.ts).
    ORDERSTREAM_PGLITE_SHARED_BUFFERS: '16MB',
  },
};

export default defineConfig({
  test: {
    ...shared,
    // One file more than the cores: a file spends about a fifth of its time waiting (for a
    // server's events, a child process, a timeout it tests), and a third file fills those gaps.
    // On 2 cores, 3 took the suite from 475 s to 423 s (CPU the same, all passed); more files
    // at once would only crowd the CPU-bound ones (the CLI's worker threads, Chromium). Four
    // were no better (224.5 s against 216-217 s, 2026-11-29). For the whole run: both projects
    // share one pool, files longest first by the last run's durations.
    maxWorkers: Math.min(availableParallelism(), 2) + 1, // measured on 2 cores only: a bigger machine gets 3 too
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache, keyed by their content
    // and the config): a run after the first transforms nothing it already did. Measured on 2 cores,
    // 2026-11-30, the simulation, batch and domain files: transform 3.4 s → 0.7, import 5.2 s → 2.6.
    experimental: { fsModuleCache: true },
    sequence: { sequencer: LongFirstSequencer }, // the long files first on a run with no history too
    globalSetup: ['./test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: FRESH,
          // Files share worker processes: each process imports vitest and the code once, not once
          // per file (1–1.5 s of CPU each). Measured on 2 cores, 2026-11-29: the suite took 216 s
          // and 367 CPU-s instead of 261 s and 454 with a fresh process per file. So every file
          // must leave the process as it found it: test/helpers/leak-check.ts fails a file that
          // leaves a server, a socket, a child process, an embedded database, a change to
          // process.env or a new global behind.
          isolate: false,
          // A 64 MB semi-space (16 MB by default): the simulation and generation files allocate
          // heavily. Measured on 2 cores, 2026-11-30, interleaved: those files 54–58 CPU-s instead of
          // 61–62, the store and server files unchanged (30.3–30.6 against 30.1–31.7).
          execArgv: ['--max-semi-space-size=64'],
          setupFiles: ['./test/helpers/leak-check.ts'],
        },
      },
      { test: { ...shared, name: 'fresh', include: FRESH } },
    ],
  },
});
