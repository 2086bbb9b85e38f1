/**
 * Vitest's global setup: the whole run's temporary files (generated data, embedded databases,
 * servers' and browsers' files) go into one directory of its own (TMPDIR, which the test
 * workers and every process they start inherit), removed when the run ends. Runs would
 * otherwise add up to gigabytes under /tmp. The template of migrated embedded databases lives
 * outside it (vitest.config.ts), for the next run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-test-run-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
