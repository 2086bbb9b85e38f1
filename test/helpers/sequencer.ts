/**
 * The order files start in. vitest starts the files that ran longest last time first, so that
 * no long file starts last and runs alone at the end. With no last time (a fresh clone, CI) it
 * starts the largest files first instead, and the docs test, a small file that runs every example
 * of the docs (about 20 s), started last and ran alone for its last 15 s: 190.9 s instead of
 * 167.8 (2 cores, 2026-11-30). Then the files known to run long start first, in this order.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured on 2 cores (2026-11-30). Only read on a run with no history: a stale entry costs nothing else. */
const KNOWN_LONG = [
  'test/web/e2e.test.ts',
  'test/cli/store.test.ts',
  'test/server/live-store.test.ts',
  'test/server/durability.test.ts',
  'test/cli/generate.test.ts',
  'test/docs/docs.test.ts',
  'test/quality/reconcile.test.ts',
  'test/simulation/live.test.ts',
];

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (file: TestSpecification) => relative(this.ctx.config.root, file.moduleId);
    if (files.some((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${path(file)}`))) return sorted;
    const rank = (file: TestSpecification) => {
      const at = KNOWN_LONG.indexOf(path(file));
      return at < 0 ? KNOWN_LONG.length : at;
    };
    // Stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
