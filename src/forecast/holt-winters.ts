/**
 * Additive Holt-Winters (triple exponential smoothing) with a damped trend: a level, a trend
 * and one seasonal term per position in the period (7 for a week of daily figures).
 *
 *   forecast ŷ(t+h) = ℓ + (φ + φ² + … + φʰ)·b + s[(t+h) mod m]
 *   after seeing y:  ℓ' = α(y − s) + (1 − α)(ℓ + φb)
 *                    b' = β(ℓ' − ℓ) + (1 − β)φb
 *                    s' = γ(y − ℓ') + (1 − γ)s
 *
 * Hand-written on purpose: the npm packages for it are unmaintained single-file ports
 * (nostradamus, zodiac-ts) without damping, parameter fitting, prediction intervals or
 * resumable state, and the method is thirty lines. The parameters are chosen by grid
 * search on the one-step-ahead squared error (deterministic, and fast enough to refit
 * hundreds of series in milliseconds).
 */

export interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  /** Trend damping: long horizons flatten out instead of extrapolating a trend for ever. */
  phi: number;
}

export interface HwState {
  level: number;
  trend: number;
  /** Seasonal terms, indexed by position in the period. */
  season: Float64Array;
  /** Position in the period of the next observation. */
  position: number;
}

export const PERIOD = 7;
export const DAMPING = 0.98;
const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
const BETAS = [0, 0.01, 0.05];
const GAMMAS = [0.01, 0.05, 0.1, 0.2, 0.3];

/** Observations the initial state is estimated from (and the least a fit needs). */
export const WARM_UP = 2 * PERIOD;

/**
 * The initial state from the first WARM_UP observations: the level is their mean, the
 * trend zero, each seasonal term the mean deviation of its weekday from its week's mean.
 */
export function initialState(y: ArrayLike<number>, period = PERIOD): HwState {
  const weeks = Math.floor(WARM_UP / period);
  let total = 0;
  for (let i = 0; i < weeks * period; i++) total += y[i];
  const season = new Float64Array(period);
  for (let w = 0; w < weeks; w++) {
    let weekTotal = 0;
    for (let j = 0; j < period; j++) weekTotal += y[w * period + j];
    const weekMean = weekTotal / period;
    for (let j = 0; j < period; j++) season[j] += (y[w * period + j] - weekMean) / weeks;
  }
  return { level: total / (weeks * period), trend: 0, season, position: 0 };
}

export const copyState = (s: HwState): HwState => ({ level: s.level, trend: s.trend, season: Float64Array.from(s.season), position: s.position });

/** The one-step-ahead forecast of the next observation. */
export function nextForecast(s: HwState, p: HwParams): number {
  return s.level + p.phi * s.trend + s.season[s.position];
}

/** Takes in one observation; returns the forecast it had been given (for the residual). */
export function observe(s: HwState, p: HwParams, y: number): number {
  const seasonal = s.season[s.position];
  const forecast = s.level + p.phi * s.trend + seasonal;
  const previous = s.level;
  s.level = p.alpha * (y - seasonal) + (1 - p.alpha) * (s.level + p.phi * s.trend);
  s.trend = p.beta * (s.level - previous) + (1 - p.beta) * p.phi * s.trend;
  s.season[s.position] = p.gamma * (y - s.level) + (1 - p.gamma) * seasonal;
  s.position = (s.position + 1) % s.season.length;
  return forecast;
}

/** Forecasts for the next `h` observations (the state is not changed). */
export function forecastAhead(s: HwState, p: HwParams, h: number): Float64Array {
  const out = new Float64Array(h);
  let damp = 0;
  let phiK = 1;
  for (let k = 1; k <= h; k++) {
    phiK *= p.phi;
    damp += phiK;
    out[k - 1] = s.level + damp * s.trend + s.season[(s.position + k - 1) % s.season.length];
  }
  return out;
}

/**
 * How much wider the error of an h-step forecast is than a one-step one (its variance
 * ratio), for each h = 1 … horizon: 1 + Σ_{j<h} c_j², c_j = α(1 + Σ_{i≤j} φ^i·β) + γ·[j ≡ 0 mod m]
 * (Hyndman et al., Forecasting with Exponential Smoothing, class 1 models).
 */
export function varianceGrowth(p: HwParams, horizon: number, period = PERIOD): Float64Array {
  const out = new Float64Array(horizon);
  let sum = 0;
  let damp = 0;
  let phiK = 1;
  out[0] = 1;
  for (let j = 1; j < horizon; j++) {
    phiK *= p.phi;
    damp += phiK;
    const c = p.alpha * (1 + damp * p.beta) + (j % period === 0 ? p.gamma : 0);
    sum += c * c;
    out[j] = 1 + sum;
  }
  return out;
}

export interface HwFit {
  params: HwParams;
  /** The state after the last observation. */
  state: HwState;
  /** One-step-ahead residuals (y − ŷ) after the warm-up, in order. */
  residuals: Float64Array;
}

/** Runs the model over `y` from its initial state; the residuals start after the warm-up. */
export function run(y: ArrayLike<number>, p: HwParams): HwFit {
  const state = initialState(y);
  const residuals = new Float64Array(Math.max(0, y.length - WARM_UP));
  for (let t = 0; t < y.length; t++) {
    const f = observe(state, p, y[t]);
    if (t >= WARM_UP) residuals[t - WARM_UP] = y[t] - f;
  }
  return { params: p, state, residuals };
}

/** The parameters with the least one-step squared error over `y` (needs more than WARM_UP observations). */
export function fit(y: ArrayLike<number>): HwFit {
  if (y.length <= WARM_UP) throw new RangeError(`Holt-Winters needs more than ${WARM_UP} observations, got ${y.length}`);
  const init = initialState(y);
  const state: HwState = copyState(init);
  let best: HwParams | null = null;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS) {
        const p = { alpha, beta, gamma, phi: DAMPING };
        state.level = init.level;
        state.trend = 0;
        state.season.set(init.season);
        state.position = 0;
        let sse = 0;
        for (let t = 0; t < y.length && sse < bestSse; t++) {
          const e = y[t] - observe(state, p, y[t]);
          if (t >= WARM_UP) sse += e * e;
        }
        if (sse < bestSse) {
          bestSse = sse;
          best = p;
        }
      }
  return run(y, best!);
}
