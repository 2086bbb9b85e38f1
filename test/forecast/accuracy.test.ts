import { describe, expect, it } from 'vitest';
import { accuracyOf, addError, emptySums, holdoutAccuracy } from '../../src/forecast/accuracy.js';
import { forecastDemand, trainDemand } from '../../src/forecast/demand-forecast.js';
import { Rng } from '../../src/random/rng.js';

describe('forecast accuracy', () => {
  it('MAPE over the days that sold, MAE and bias over all, the baseline on the same days (hand-computed)', () => {
    const s = emptySums();
    addError(s, 12, 8, 10); // APE 0.2, baseline 0.2
    addError(s, 15, 30, 20); // APE 0.25, baseline 0.5
    addError(s, 3, 0, 0); // no APE (nothing sold)
    const a = accuracyOf(s);
    expect(a.days).toBe(3);
    expect(a.mape).toBeCloseTo((0.2 + 0.25) / 2, 12);
    expect(a.baselineMape).toBeCloseTo((0.2 + 0.5) / 2, 12);
    expect(a.mae).toBeCloseTo((2 + 5 + 3) / 3, 12);
    expect(a.bias).toBeCloseTo((2 - 5 + 3) / 3, 12);
    expect(accuracyOf(emptySums()).mape).toBeNull();
  });

  it('beats the seasonal-naive baseline on noisy weekly demand, and its 95% interval covers about 95% of days', () => {
    const rng = Rng.derive(9, 'test');
    const week = [0.5, 1.4, 1.2, 1.1, 1.0, 0.9, 0.9];
    // Skewed demand: ordinary days and the odd large order.
    const y = Array.from({ length: 400 }, (_, d) => Math.round(80 * week[d % 7] * (0.6 + 0.8 * rng.next()) + (rng.next() < 0.08 ? 300 * rng.next() : 0)));
    const a = holdoutAccuracy(y, 56);
    expect(a.mape!).toBeLessThan(0.9 * a.baselineMape!);
    // Coverage: day-ahead intervals over the last 120 days, each from a model trained on the days before.
    let inside = 0;
    const days = 120;
    for (let t = y.length - days; t < y.length; t++) {
      const f = forecastDemand(trainDemand(y.slice(0, t)), 1);
      if (y[t] >= f.lower[0] && y[t] <= f.upper[0]) inside++;
    }
    expect(inside / days).toBeGreaterThan(0.88);
    expect(inside / days).toBeLessThanOrEqual(1);
  });

  it('the expected demand is the mean, not the median: on skewed demand of known mean it finds the mean', () => {
    // Ordinary days of 25–75 units and, one day in ten, a large order of 400: the mean day is 90.
    const expected: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const rng = Rng.derive(seed, 'test');
      const y = Array.from({ length: 730 }, () => Math.round(50 * (0.5 + rng.next()) + (rng.next() < 0.1 ? 400 : 0)));
      const f = forecastDemand(trainDemand(y), 28);
      const perDay = f.expected.reduce((a, b) => a + b, 0) / 28;
      expect(Math.abs(perDay - 90) / 90, `seed ${seed}`).toBeLessThan(0.2);
      expect(f.median.reduce((a, b) => a + b, 0) / 28).toBeLessThan(0.8 * perDay); // the median day is an ordinary one
      expected.push(perDay);
    }
    expect(Math.abs(expected.reduce((a, b) => a + b, 0) / expected.length - 90) / 90).toBeLessThan(0.06);
  });
});
