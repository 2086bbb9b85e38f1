import { describe, expect, it } from 'vitest';
import { AliasTable, apportion, calibrateZipfExponent, logNormal, poisson, topShare, zipfWeights } from '../../src/random/distributions.js';
import { Rng } from '../../src/random/rng.js';

describe('AliasTable', () => {
  it('draws each outcome with its weight (±0.3 pp over 1M draws)', () => {
    const weights = [60, 15, 10, 10, 5];
    const table = new AliasTable(['a', 'b', 'c', 'd', 'e'], weights);
    const rng = Rng.derive(1, 'alias');
    const counts = new Map<string, number>();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) {
      const x = table.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    weights.forEach((w, i) => expect(Math.abs(counts.get('abcde'[i])! / n - w / 100)).toBeLessThan(0.003));
  });

  it('never draws a zero-weight outcome', () => {
    const table = new AliasTable(['never', 'always'], [0, 1]);
    const rng = Rng.derive(2, 'alias');
    for (let i = 0; i < 10_000; i++) expect(table.sample(rng)).toBe('always');
  });

  it('rejects weights it cannot use', () => {
    expect(() => new AliasTable(['a'], [0])).toThrow(/not all zero/);
    expect(() => new AliasTable(['a', 'b'], [1])).toThrow(/one weight per item/);
    expect(() => new AliasTable(['a'], [Number.NaN])).toThrow(/finite/);
  });
});

describe('Zipf calibration', () => {
  it.each([15, 200, 1000])('puts 80%% of the weight on the top 20%% of %i items', (n) => {
    const s = calibrateZipfExponent(n);
    expect(topShare(zipfWeights(n, s), 0.2)).toBeCloseTo(0.8, 4);
  });
});

describe('poisson', () => {
  it.each([3, 50, 1000])('has mean and variance λ = %i', (lambda) => {
    const rng = Rng.derive(3, 'poisson', lambda);
    const xs = Array.from({ length: 50_000 }, () => poisson(rng, lambda));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.02);
    expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.05);
  });
});

describe('apportion', () => {
  it('splits a total into exact integer shares', () => {
    expect(apportion(20, [0.05, 0.15, 0.5, 0.3])).toEqual([1, 3, 10, 6]);
    const parts = apportion(101, [1, 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(101);
    expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
  });
});

describe('logNormal', () => {
  it('has the requested median', () => {
    const rng = Rng.derive(4, 'lognormal');
    const xs = Array.from({ length: 50_001 }, () => logNormal(rng, 7, 0.6)).sort((a, b) => a - b);
    expect(Math.abs(xs[25_000] - 7) / 7).toBeLessThan(0.02);
    expect(xs[0]).toBeGreaterThan(0);
  });
});
