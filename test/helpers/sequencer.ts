/**
 * The order files start in: longest first, so that no long file starts last and runs alone at the
 * end. vitest orders by how long each file ran last time, and a file it has no time for by its
 * size; the docs test is a small file that runs every example of the docs (about 20 s), so on a
 * fresh clone (CI) it started last and ran alone for its last 15 s: 190.9 s instead of 167.8
 * (2 cores, 2026-11-30). Here a file's last time counts where vitest has one, and otherwise the
 * time it is known to take below; the rest keep vitest's order, after them.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each took in a whole run on 2 cores (2026-11-30). Read only for a file vitest has no time for: a stale entry costs nothing else. */
const KNOWN_LONG: Record<string, number> = {
  'test/web/e2e.test.ts': 57,
  'test/cli/store.test.ts': 50,
  'test/server/live-store.test.ts': 32,
  'test/server/durability.test.ts': 28,
  'test/cli/generate.test.ts': 25,
  'test/simulation/live.test.ts': 20,
  'test/server/hardening.test.ts': 18,
  'test/docs/docs.test.ts': 17,
  'test/quality/reconcile.test.ts': 17,
  'test/server/management-outage.test.ts': 15,
};

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seconds = new Map(
      sorted.map((file) => {
        const path = relative(this.ctx.config.root, file.moduleId);
        const last = this.ctx.cache.getFileTestResults(`${file.project.name}:${path}`);
        // As vitest does, what failed last time runs first.
        return [file, last?.failed ? Number.POSITIVE_INFINITY : last ? last.duration / 1000 : (KNOWN_LONG[path] ?? 0)];
      }),
    );
    // Stable: files with no time at all keep vitest's order (largest first), after the others.
    return sorted.sort((a, b) => {
      const [x, y] = [seconds.get(a)!, seconds.get(b)!];
      return x === y ? 0 : y > x ? 1 : -1; // Infinity − Infinity is NaN
    });
  }
}
