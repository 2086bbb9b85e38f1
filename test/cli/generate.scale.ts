/**
 * `orderstream generate` at full scale (`npm run test:scale`, run by CI after `npm test`):
 * a year of every built-in scenario on 1, 2 and 4 workers, and memory over five months.
 * `npm test` checks the identity on six weeks (generate.test.ts); memory is checked here only.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { digestOfDataset, generateAsTheCliDoes } from '../helpers/generate.js';

describe('generate at full scale', () => {
  // Days go to whichever worker is idlest, so the split differs from run to run and between worker counts.
  it.each(BUILT_IN_SCENARIOS.map((s) => s.name))('%s: a year on 1, 2 and 4 workers writes identical bytes, event log included', async (scenario) => {
    const root = tempDir();
    const digests = [];
    for (const workers of ['1', '2', '4']) {
      const dir = join(root, `w${workers}`);
      await generateAsTheCliDoes({ scenario, from: '2024-01-01', to: '2024-12-31', events: true, workers }, dir);
      digests.push(digestOfDataset(dir));
      rmSync(dir, { recursive: true }); // a year with its event log is hundreds of MB; 18 of them would fill a small disk
    }
    expect(Object.keys(digests[0]).length).toBeGreaterThan(16);
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  }, 1_200_000);

  it('keeps memory flat: 5× the data needs far less than 5× the memory', async () => {
    // A month and five months at 10×, one worker each, side by side (each one's peak RSS is its own).
    const root = tempDir();
    const [month, five] = await Promise.all([
      runCli(['generate', '--from', '2024-01-01', '--to', '2024-01-31', '--multiplier', '10', '--workers', '1', '--out', join(root, 'a'), '--events', '--quiet']),
      runCli(['generate', '--from', '2024-01-01', '--to', '2024-05-31', '--multiplier', '10', '--workers', '1', '--out', join(root, 'b'), '--events', '--quiet']),
    ]);
    expect([month.code, five.code]).toEqual([0, 0]);
    const bytes = (dir: string) => readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    expect(bytes(join(root, 'b'))).toBeGreaterThan(4.5 * bytes(join(root, 'a')));
    expect(five.peakRssKb).toBeLessThan(1.6 * month.peakRssKb);
  }, 1_200_000);
});
