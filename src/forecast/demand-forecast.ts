/**
 * A daily demand forecast for one series (a category's units ordered per day): Holt-Winters
 * with a weekly season, fitted on log(1 + units).
 *
 * Why the log: daily demand here is skewed — most days are ordinary, a few carry a large
 * business order — and on the raw scale those days drag the level and the season around.
 * On the log scale the model forecasts the median day, which is what the accuracy figures
 * (MAPE, MAE) reward, and its prediction interval is naturally asymmetric and never below
 * zero. Planning needs the mean instead (units over a lead time add up), so each forecast
 * also carries the expected demand: the median scaled by the ratio of what actually sold to
 * what the model's one-step forecasts said over the days it trained on.
 */
import { fit, forecastAhead, nextForecast, observe, varianceGrowth, WARM_UP, type HwFit } from './holt-winters.js';

/** The recent days whose one-step forecasts the model keeps (to measure products against). */
export const CALIBRATION_DAYS = 56;
/** The interval's coverage. */
export const INTERVAL = 0.95;

export interface DemandModel {
  fit: HwFit;
  /** Expected ÷ median: what sold over what the model's one-step forecasts said, on the days it trained on. */
  meanRatio: number;
  /** Quantiles of the one-step log residuals for the interval's lower and upper ends. */
  lowQuantile: number;
  highQuantile: number;
  /** The one-step median forecasts of the last CALIBRATION_DAYS days seen, oldest first. */
  recentMedians: number[];
}

export interface DailyForecast {
  /** The median day (the point forecast). */
  median: Float64Array;
  /** Expected units (what planning adds up). */
  expected: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

const log1p = (y: ArrayLike<number>): Float64Array => Float64Array.from(y as ArrayLike<number>, (v) => Math.log1p(Math.max(0, v)));

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Whether a series is long enough to train on. */
export const trainable = (days: number): boolean => days > WARM_UP;

/** Fits a model on daily units (oldest first). */
export function trainDemand(units: ArrayLike<number>): DemandModel {
  const y = log1p(units);
  const f = fit(y);
  const residuals = f.residuals;
  // The ratio over every day trained on: large orders are rare, and a few weeks of them say little.
  let sold = 0;
  let said = 0;
  for (let k = 0; k < residuals.length; k++) {
    const t = WARM_UP + k;
    sold += units[t];
    said += Math.expm1(y[t] - residuals[k]);
  }
  const recent = Math.min(CALIBRATION_DAYS, residuals.length);
  const sorted = Float64Array.from(residuals).sort();
  const tail = (1 - INTERVAL) / 2;
  const recentMedians: number[] = [];
  for (let k = residuals.length - recent; k < residuals.length; k++) recentMedians.push(Math.max(0, Math.expm1(y[WARM_UP + k] - residuals[k])));
  return {
    fit: f,
    meanRatio: said > 0 && sold > 0 ? sold / said : 1,
    lowQuantile: quantile(sorted, tail),
    highQuantile: quantile(sorted, 1 - tail),
    recentMedians,
  };
}

/** The model after one more day (its parameters kept: refitting is for retraining). */
export function observeDemand(model: DemandModel, units: number): void {
  const said = observe(model.fit.state, model.fit.params, Math.log1p(Math.max(0, units)));
  model.recentMedians.push(Math.max(0, Math.expm1(said)));
  if (model.recentMedians.length > CALIBRATION_DAYS) model.recentMedians.shift();
}

/** The next day's median forecast. */
export const nextMedian = (model: DemandModel): number => Math.max(0, Math.expm1(nextForecast(model.fit.state, model.fit.params)));

/** The forecast for each of the next `horizon` days. */
export function forecastDemand(model: DemandModel, horizon: number): DailyForecast {
  const m = forecastAhead(model.fit.state, model.fit.params, horizon);
  const growth = varianceGrowth(model.fit.params, horizon);
  const out: DailyForecast = { median: new Float64Array(horizon), expected: new Float64Array(horizon), lower: new Float64Array(horizon), upper: new Float64Array(horizon) };
  for (let h = 0; h < horizon; h++) {
    const spread = Math.sqrt(growth[h]);
    out.median[h] = Math.max(0, Math.expm1(m[h]));
    out.expected[h] = out.median[h] * model.meanRatio;
    out.lower[h] = Math.max(0, Math.expm1(m[h] + model.lowQuantile * spread));
    out.upper[h] = Math.max(0, Math.expm1(m[h] + model.highQuantile * spread));
  }
  return out;
}
