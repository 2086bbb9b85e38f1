/** The batch generator as the CLI runs it, in the test's own process (no Node start-up per run). */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate, type GenerateHooks } from '../../src/batch/generate.js';
import { parseGenerateFlags } from '../../src/cli/commands/generate.js';
import { resolveScenario } from '../../src/scenarios/resolve.js';

/**
 * What `orderstream generate --scenario S --from … --to … [--multiplier X] [--workers N] [--events] --out DIR`
 * does, its flags read by the CLI's own parser, in this process: one run at a time (the days are
 * still drafted and written by N threads, as in the CLI; `hooks` can make them N worker threads
 * instead, as in a job).
 */
export async function generateAsTheCliDoes(flags: { scenario: string; from: string; to: string; multiplier?: string; workers?: string; events?: boolean }, out: string, hooks: GenerateHooks = {}): Promise<void> {
  const scenario = resolveScenario(flags);
  await generate({ scenario, marketId: scenario.market, options: parseGenerateFlags(flags), out }, hooks);
}

/** sha256 of every file a run wrote but its manifest (which records the run's own settings, the worker count among them). */
export const digestOfDataset = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f !== 'manifest.json')
      .sort()
      .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );
