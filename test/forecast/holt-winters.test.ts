import { describe, expect, it } from 'vitest';
import { fit, forecastAhead, initialState, observe, PERIOD, varianceGrowth, WARM_UP } from '../../src/forecast/holt-winters.js';
import { Rng } from '../../src/random/rng.js';

const WEEK = [0.6, 1.3, 1.2, 1.1, 1.0, 0.9, 0.9];
/** Daily values with a weekly shape, a gentle trend and noise. */
function series(days: number, seed = 1, level = 100, trend = 0.1, noise = 5): number[] {
  const rng = Rng.derive(seed, 'test');
  return Array.from({ length: days }, (_, d) => (level + trend * d) * WEEK[d % PERIOD] + (rng.next() * 2 - 1) * noise);
}

describe('Holt-Winters', () => {
  it('learns a weekly shape: its forecast of the next four weeks is within 6% of the truth each day', () => {
    const y = series(365);
    const f = fit(y);
    const ahead = forecastAhead(f.state, f.params, 28);
    for (let h = 0; h < 28; h++) {
      const d = 365 + h;
      const truth = (100 + 0.1 * d) * WEEK[d % PERIOD];
      expect(Math.abs(ahead[h] - truth) / truth, `day +${h + 1}`).toBeLessThan(0.06);
    }
  });

  it('its one-step residuals are the noise: unbiased, and about as wide as it', () => {
    const f = fit(series(365, 2, 100, 0, 10));
    const r = Array.from(f.residuals);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
    expect(Math.abs(mean)).toBeLessThan(1);
    // Uniform noise of ±10 has sd 5.77; the model adds a little of its own.
    expect(sd).toBeGreaterThan(5.5);
    expect(sd).toBeLessThan(7.5);
  });

  it('is deterministic, starts from the warm-up weeks, and refuses a series too short to fit', () => {
    const y = series(120, 3);
    expect(fit(y)).toEqual(fit(y));
    const s = initialState([7, 7, 7, 7, 7, 7, 14, 7, 7, 7, 7, 7, 7, 14]);
    expect(s.level).toBe(8);
    expect(Array.from(s.season)).toEqual([-1, -1, -1, -1, -1, -1, 6]);
    expect(() => fit(series(WARM_UP))).toThrow(/more than 14 observations/);
  });

  it('a day 50 above its forecast moves the level up by alpha × 50 and that weekday by gamma × (1 − alpha) × 50', () => {
    const f = fit(series(200, 4));
    const { level, trend } = f.state;
    const position = f.state.position;
    const seasonal = f.state.season[position];
    const forecast = forecastAhead(f.state, f.params, 1)[0];
    observe(f.state, f.params, forecast + 50);
    const { alpha, gamma, phi } = f.params;
    expect(f.state.level).toBeCloseTo(level + phi * trend + alpha * 50, 9);
    expect(f.state.season[position]).toBeCloseTo(seasonal + gamma * (1 - alpha) * 50, 9);
    expect(f.state.position).toBe((position + 1) % PERIOD);
  });

  it('forecast errors widen with the horizon: the first step is the residual variance, later steps more', () => {
    const g = varianceGrowth({ alpha: 0.2, beta: 0.05, gamma: 0.1, phi: 0.98 }, 14);
    expect(g[0]).toBe(1);
    for (let h = 1; h < 14; h++) expect(g[h]).toBeGreaterThan(g[h - 1]);
    // h = 2: 1 + (α(1 + φβ))²
    expect(g[1]).toBeCloseTo(1 + (0.2 * (1 + 0.98 * 0.05)) ** 2, 12);
    // The seasonal term joins at a full period: h = 8 adds γ to c_7.
    const noSeason = varianceGrowth({ alpha: 0.2, beta: 0.05, gamma: 0, phi: 0.98 }, 14);
    expect(g[7] - g[6]).toBeGreaterThan(noSeason[7] - noSeason[6]);
  });
});
