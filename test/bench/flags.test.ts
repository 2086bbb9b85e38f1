/**
 * `npm run bench`'s flags are checked before anything is measured: a mistyped flag used to run
 * the whole quarter of an hour (`--help`), or nothing at all (`--only` with a wrong name).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BENCH = resolve('dist/bench/run.js');
const bench = (...args: string[]) => spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run bench -- <flags>', () => {
  it('--help lists every section and flag, measures nothing, and exits 0', () => {
    const r = bench('--help');
    expect(r.status).toBe(0);
    for (const section of ['generate', 'fanout', 'kafka', 'store', 'intelligence', 'startup', 'outbox', 'web']) expect(r.stdout).toMatch(new RegExp(`^  ${section} `, 'm'));
    expect(r.stdout).toMatch(/--repeat <n>/);
    expect(r.stdout).not.toMatch(/records\/s/);
  });

  it.each([
    [['--only', 'nope'], /--only nope: no such section; one of generate, fanout/],
    [['--only', 'toString'], /--only toString: no such section/],
    [['--only'], /--only <value>' argument missing/],
    [['--repeat', '0'], /--repeat 0: a whole number from 1 to 20/],
    [['--repeat', 'lots'], /--repeat lots: a whole number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['generate'], /Unexpected argument 'generate'/],
  ])('%j is refused with exit code 2, what is wrong and the usage, before anything runs', (args, message) => {
    const r = bench(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: npm run bench/m);
    expect(r.stdout).toBe('');
  });
});
