import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same stream for the same seed and path, whatever else was drawn first', () => {
    const a = Rng.derive(7, 'day', 3);
    Rng.derive(7, 'day', 2).next(); // unrelated work in between must not matter
    const b = Rng.derive(7, 'day', 3);
    expect(draws(a, 100)).toEqual(draws(b, 100));
  });

  it('gives different streams for different seeds, names and indices', () => {
    const base = draws(Rng.derive(7, 'day', 3), 20);
    expect(draws(Rng.derive(8, 'day', 3), 20)).not.toEqual(base);
    expect(draws(Rng.derive(7, 'days', 3), 20)).not.toEqual(base);
    expect(draws(Rng.derive(7, 'day', 4), 20)).not.toEqual(base);
  });

  it('is uniform on [0, 1): mean, variance and decile counts over 1M draws', () => {
    const rng = Rng.derive(1, 'uniform');
    const n = 1_000_000;
    const bins = new Array(10).fill(0);
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.003);
  });

  it('int() stays inside its inclusive bounds and reaches both ends', () => {
    const rng = Rng.derive(2, 'int');
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = Rng.derive(3, 'normal');
    const xs = Array.from({ length: 200_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('uuid() has the version-4 layout and does not repeat', () => {
    const rng = Rng.derive(4, 'uuid');
    const ids = Array.from({ length: 10_000 }, () => rng.uuid());
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('digits() fills every # and keeps the rest', () => {
    const out = Rng.derive(5, 'digits').digits('+20 10 #### ####');
    expect(out).toMatch(/^\+20 10 \d{4} \d{4}$/);
  });
});
