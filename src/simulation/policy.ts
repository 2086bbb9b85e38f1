/**
 * The replenishment policy every product follows, in both speeds: a continuous-review
 * (s, S) policy. When a product's stock position (on hand + on order − owed to waiting
 * orders) falls to its reorder point s, a purchase order brings it back up to S.
 *
 *   s = demand over the supplier's mean lead time + safety stock z · σ_L, z the normal
 *       quantile of the scenario's service level (default 95%): the chance that a
 *       replenishment cycle ends without running out
 *   S = s + parDays of demand (the cycle stock)
 *
 * Two sources for the demand and its spread:
 *
 *  - the forecast (`forecastPolicy`), once a product has sales history: the product's
 *    expected daily demand from the demand planner and the spread of its daily demand
 *    around that forecast (σ_d): σ_L² = E[L]·σ_d² + μ_d²·Var[L];
 *  - before that, the plan (`productPolicy`): the scenario's expected order rate, lines
 *    arriving as a Poisson process at λ a day with quantities q:
 *    σ_L² = λ·E[L]·E[q²] + (λ·E[q])²·Var[L].
 *
 * The lead time L is uniform between the supplier's bounds. The planner plans with the
 * supplier's usual lead times; a scenario's leadTimeFactor stretches only the real ones
 * (a disrupted supply chain that the plan did not foresee).
 */
import type { Basket, MarketPack } from '../catalog/types.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { normalQuantile } from '../random/distributions.js';

/** Mean lines per order in a market: private customers' and businesses' baskets mixed by the B2B share. */
export function meanLinesPerOrder(market: MarketPack): number {
  const mean = (w: readonly number[]) => w.reduce((sum, wi, i) => sum + wi * (i + 1), 0) / w.reduce((a, b) => a + b, 0);
  const b2b = market.customers.b2bOrderShare;
  return b2b * mean(market.orders.baskets.b2b.lines) + (1 - b2b) * mean(market.orders.baskets.b2c.lines);
}

export interface LineQuantityMoments {
  /** E[q]: mean units per order line. */
  mean: number;
  /** E[q²]. */
  meanSquare: number;
  max: number;
}

/** Moments of one line's quantity: each basket's units, times its bulk factor on bulk orders, mixed by the B2B share. */
export function lineQuantityMoments(market: MarketPack, scenario: ScenarioProfile): LineQuantityMoments {
  const uniform = ([lo, hi]: readonly [number, number]) => {
    let m = 0;
    let m2 = 0;
    for (let k = lo; k <= hi; k++) {
      m += k;
      m2 += k * k;
    }
    const n = hi - lo + 1;
    return { m: m / n, m2: m2 / n };
  };
  const bulk = scenario.patterns.bulk_orders.frequency;
  const moments = (basket: Basket) => {
    const total = basket.quantities.reduce((a, q) => a + q.weight, 0);
    const m = basket.quantities.reduce((a, q) => a + q.weight * q.value, 0) / total;
    const m2 = basket.quantities.reduce((a, q) => a + q.weight * q.value * q.value, 0) / total;
    const b = uniform(basket.bulkFactor);
    const lines = basket.lines.reduce((sum, wi, i) => sum + wi * (i + 1), 0) / basket.lines.reduce((a, w) => a + w, 0);
    return {
      lines,
      mean: m * (1 - bulk + bulk * b.m),
      meanSquare: m2 * (1 - bulk + bulk * b.m2),
      max: Math.max(...basket.quantities.map((q) => q.value)) * basket.bulkFactor[1],
    };
  };
  const b2b = moments(market.orders.baskets.b2b);
  const b2c = moments(market.orders.baskets.b2c);
  // Per line, so each basket counts by its share of lines.
  const share = market.customers.b2bOrderShare;
  const wB = (share * b2b.lines) / (share * b2b.lines + (1 - share) * b2c.lines);
  return {
    mean: wB * b2b.mean + (1 - wB) * b2c.mean,
    meanSquare: wB * b2b.meanSquare + (1 - wB) * b2c.meanSquare,
    max: Math.max(b2b.max, b2c.max),
  };
}

export interface ProductPolicy {
  /** Expected units sold per day. */
  dailyDemand: number;
  reorderPoint: number;
  orderUpTo: number;
  /** The reorder point's margin over expected lead-time demand (what a low-stock alert watches). */
  safetyStock: number;
}

/** A lead time uniform between two bounds (days): its mean and variance. */
export function leadTimeMoments(leadDays: readonly [number, number]): { mean: number; variance: number } {
  return { mean: (leadDays[0] + leadDays[1]) / 2, variance: (leadDays[1] - leadDays[0]) ** 2 / 12 };
}

/** S from s: parDays of demand above it, and at least one average line so that one order never drains a fresh delivery. */
function orderUpToLevel(reorderPoint: number, parDays: number, dailyDemand: number, meanLine: number): number {
  return reorderPoint + Math.max(Math.ceil(parDays * dailyDemand), Math.ceil(meanLine), 1);
}

/**
 * The policy of a product that gets `share` of all order lines, when `ordersPerDay` orders
 * arrive on an average day and its supplier delivers in [minDays, maxDays].
 */
export function productPolicy(
  market: MarketPack,
  scenario: ScenarioProfile,
  ordersPerDay: number,
  share: number,
  leadDays: readonly [number, number],
  moments = lineQuantityMoments(market, scenario),
): ProductPolicy {
  const linesPerDay = ordersPerDay * meanLinesPerOrder(market) * share;
  const lead = leadTimeMoments(leadDays);
  const z = normalQuantile(scenario.stock.serviceLevel);
  const mean = linesPerDay * lead.mean * moments.mean;
  const sd = Math.sqrt(linesPerDay * lead.mean * moments.meanSquare + (linesPerDay * moments.mean) ** 2 * lead.variance);
  const reorderPoint = Math.ceil(mean + z * sd);
  const dailyDemand = linesPerDay * moments.mean;
  return { dailyDemand, reorderPoint, orderUpTo: orderUpToLevel(reorderPoint, scenario.stock.parDays, dailyDemand, moments.mean), safetyStock: Math.max(0, reorderPoint - Math.ceil(mean)) };
}

/**
 * The policy of a product from its forecast: `expected[k]` units on the k-th day from now
 * (at least as many days as the longest lead time), `sigma` the spread of a day's demand
 * around the forecast. Lead-time demand is the forecast summed over the mean lead time
 * (the last day counted in part).
 */
export function forecastPolicy(expected: ArrayLike<number>, sigma: number, leadDays: readonly [number, number], serviceLevel: number, parDays: number, meanLine: number): ProductPolicy {
  const lead = leadTimeMoments(leadDays);
  let leadDemand = 0;
  for (let k = 0; k < Math.ceil(lead.mean); k++) leadDemand += expected[k] * Math.min(1, lead.mean - k);
  const dailyDemand = lead.mean > 0 ? leadDemand / lead.mean : expected[0];
  const sd = Math.sqrt(lead.mean * sigma * sigma + dailyDemand * dailyDemand * lead.variance);
  const safetyStock = Math.ceil(normalQuantile(serviceLevel) * sd);
  const reorderPoint = Math.ceil(leadDemand) + safetyStock;
  return { dailyDemand, reorderPoint, orderUpTo: orderUpToLevel(reorderPoint, parDays, dailyDemand, meanLine), safetyStock };
}
