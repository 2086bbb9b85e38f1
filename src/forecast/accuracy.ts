/**
 * How good a demand model is, measured the way a planner would: fit on everything but the
 * last `holdout` days, then walk through those days forecasting each one from the day
 * before (the model sees each day's actual once it is over, its parameters fixed), and
 * compare with what sold. Beside it, the seasonal-naive baseline on the same days: "the
 * same as the same weekday last week". A model that cannot beat that is not worth having.
 *
 *   MAPE = mean |forecast − actual| / actual over the days that sold anything
 *   MAE  = mean |forecast − actual|;  bias = mean (forecast − actual)
 */
import { PERIOD } from './holt-winters.js';
import { nextMedian, observeDemand, trainDemand, trainable, type DemandModel } from './demand-forecast.js';

export interface Accuracy {
  /** Days held out. */
  days: number;
  mape: number | null;
  mae: number;
  bias: number;
  baselineMape: number | null;
}

export interface ErrorSums {
  apeSum: number;
  apeDays: number;
  absSum: number;
  errSum: number;
  days: number;
  baselineApeSum: number;
}

export const emptySums = (): ErrorSums => ({ apeSum: 0, apeDays: 0, absSum: 0, errSum: 0, days: 0, baselineApeSum: 0 });

export function addError(s: ErrorSums, forecast: number, baseline: number, actual: number): void {
  s.days++;
  s.absSum += Math.abs(forecast - actual);
  s.errSum += forecast - actual;
  if (actual > 0) {
    s.apeDays++;
    s.apeSum += Math.abs(forecast - actual) / actual;
    s.baselineApeSum += Math.abs(baseline - actual) / actual;
  }
}

export function accuracyOf(s: ErrorSums): Accuracy {
  return {
    days: s.days,
    mape: s.apeDays ? s.apeSum / s.apeDays : null,
    mae: s.days ? s.absSum / s.days : 0,
    bias: s.days ? s.errSum / s.days : 0,
    baselineMape: s.apeDays ? s.baselineApeSum / s.apeDays : null,
  };
}

/**
 * Fits on all but the last `holdout` days of `units`, then walks through those: the errors
 * of the model's day-ahead forecasts and of the seasonal-naive baseline, and the model
 * carried to the end of the series (its state updated by every held-out day).
 */
export function evaluateOnHoldout(units: ArrayLike<number>, holdout: number, sums = emptySums()): { errors: ErrorSums; model: DemandModel } | null {
  const n = units.length;
  const train = n - holdout;
  if (holdout <= 0 || !trainable(train) || train < PERIOD) return null;
  const model = trainDemand(Array.prototype.slice.call(units, 0, train) as number[]);
  for (let t = train; t < n; t++) {
    addError(sums, nextMedian(model), units[t - PERIOD], units[t]);
    observeDemand(model, units[t]);
  }
  return { errors: sums, model };
}

export const holdoutAccuracy = (units: ArrayLike<number>, holdout: number): Accuracy => accuracyOf(evaluateOnHoldout(units, holdout)?.errors ?? emptySums());
