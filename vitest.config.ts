import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Files that share one worker process without isolation (the "unit" project): vitest imports
 * the module graph once per worker instead of once per file (1.5–2.5 s each on a 2-core machine).
 * A file goes here only if it starts no process, server or database and restores what it
 * changes (process.env, globals, fake timers, V8 flags, module-level state in src/); it may
 * compute as much as it likes. Files are named one by one, never by folder: every other file,
 * a new one included until it is added here, runs in "integration", one fresh process per file.
 */
const UNIT = [
  'test/architecture.test.ts',
  'test/forecast/accuracy.test.ts',
  'test/forecast/holt-winters.test.ts',
  'test/hub/history.test.ts',
  'test/hub/hub.test.ts',
  'test/random/distributions.test.ts',
  'test/random/rng.test.ts',
  'test/scenarios/resolve.test.ts',
  'test/server/replay.test.ts',
  'test/simulation/demand-planner.test.ts',
  'test/simulation/engine-tables.test.ts',
  'test/simulation/ids.test.ts',
  'test/simulation/ledger.test.ts',
  'test/simulation/scenarios.test.ts',
  'test/simulation/statistics.test.ts',
  'test/simulation/stock-signals.test.ts',
  'test/simulation/time.test.ts',
  'test/simulation/timeseries.test.ts',
  'test/sinks/encode.test.ts',
  'test/sinks/event-merge.test.ts',
  'test/sinks/memory.test.ts',
  'test/store/memfs-growth.test.ts',
  'test/web/client.test.ts',
  'test/web/contrast.test.ts',
];

/** Settings of both projects (an inline project inherits nothing from the root without `extends`). */
const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // Throwaway embedded databases start as a copy of one migrated database (src/store/open.ts):
  // about a second each instead of several. Spawned servers and commands inherit it.
  // Their WebAssembly is never recompiled by V8's optimizing compiler (src/store/pglite.ts): ~0.6 s of CPU less per database.
  env: {
    ORDERSTREAM_PGLITE_TEMPLATES: join(tmpdir(), 'orderstream-test-pglite-templates'), // kept by test/helpers/global-setup.ts
    ORDERSTREAM_PGLITE_BASELINE_COMPILER: '1',
  },
};

export default defineConfig({
  test: {
    ...shared,
    // One file more than the cores: a file spends about a fifth of its time waiting (for a
    // server's events, a child process, a timeout it tests), and a third file fills those gaps.
    // On 2 cores, 3 took the suite from 475 s to 423 s (CPU the same, all passed); more files
    // at once would only crowd the CPU-bound ones (the CLI's worker threads, Chromium).
    // The whole run's (the projects set none of their own, so --maxWorkers still applies): both
    // projects are one group (the same sequence.groupOrder, 0) in one pool, integration's files
    // first (longest first, by the last run's durations), then unit's, each worker kept for all
    // the unit files it takes.
    maxWorkers: Math.min(availableParallelism(), 2) + 1, // measured on 2 cores only: a bigger machine gets 3 too
    // Once for the whole run (the root's; `extends: true` would run it again for each project).
    globalSetup: ['./test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      { test: { ...shared, name: 'unit', include: UNIT, isolate: false } },
      { test: { ...shared, name: 'integration', include: ['test/**/*.test.ts'], exclude: UNIT } },
    ],
  },
});
