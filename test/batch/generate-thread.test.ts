/**
 * A run in a thread of its own, as the CLI and the library start it: what the caller says
 * (an abort, a progress callback that fails) reaches the run, and the run's end reaches the
 * caller as the caller would have seen it in its own thread.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInThread, isSmallRun } from '../../src/batch/generate-thread.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { UsageError } from '../../src/domain/errors.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { tempDir } from '../helpers/cli.js';

const scenario = getScenario('normal-ops');
const request = (out: string | null, options: Partial<GenerateOptions> = {}) => ({
  scenario,
  marketId: scenario.market,
  options: GenerateOptions.parse({ from: '2024-01-01', to: '2024-01-31', ...options }),
  out,
});
/** A run that cannot finish before a stop sent at its first progress reaches it (seconds of work, stopped within milliseconds). */
const LONG = { to: '2024-12-31', multiplier: 5 };

describe('generateInThread', () => {
  it('answers with the run\'s result, its progress on the way', async () => {
    const phases = new Set<string>();
    const result = await generateInThread(request(null), { onProgress: (p) => phases.add(p.phase) });
    expect(result.counts.orders).toBeGreaterThan(100);
    expect([...phases]).toEqual(['dimensions', 'orders']);
  });

  it('an abort stops the run, rejects with the caller\'s own reason, and leaves nothing written', async () => {
    const root = tempDir();
    const out = join(root, 'data');
    const abort = new AbortController();
    const reason = new Error('the caller changed its mind');
    const run = generateInThread(request(out, LONG), { signal: abort.signal, onProgress: () => abort.abort(reason) });
    await expect(run).rejects.toBe(reason);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('a progress callback that throws stops the run with its error, and nothing is written', async () => {
    const root = tempDir();
    const out = join(root, 'data');
    const failure = new Error('the progress display broke');
    const run = generateInThread(request(out, LONG), {
      onProgress: () => {
        throw failure;
      },
    });
    await expect(run).rejects.toBe(failure);
    expect(readdirSync(root)).toEqual([]);
  });

  it('an error the run refuses with comes back as the same kind (the CLI maps kinds to exit codes)', async () => {
    const run = generateInThread(request(null, { maxRecords: 10 }));
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/over the limit of 10/);
  });
});

describe('isSmallRun: which CLI runs stay in the command\'s thread', () => {
  const run = (name: string, to: string, multiplier: number) => isSmallRun({ scenario: getScenario(name), options: GenerateOptions.parse({ from: '2024-01-01', to, multiplier }) });
  it('a small multiplier over up to a year × 4 of normal-ops\' orders; not big days, big tables or a busy scenario', () => {
    expect(run('normal-ops', '2024-03-31', 1)).toBe(true);
    expect(run('normal-ops', '2024-12-31', 4)).toBe(true);
    expect(run('normal-ops', '2024-12-31', 5)).toBe(false);
    expect(run('normal-ops', '2024-01-31', 20)).toBe(false);
    expect(run('peak-season', '2024-12-31', 2)).toBe(false);
  });
});
