/**
 * The replenishment policy every product follows, in both speeds: a continuous-review
 * (s, S) policy. When a product's stock position (on hand + on order − owed to waiting
 * orders) falls to its reorder point s, a purchase order brings it back up to S.
 *
 *   s = demand over the supplier's mean lead time + z · σ (the safety stock for the
 *       scenario's service level; σ² of demand over a random lead time L, lines arriving
 *       as a Poisson process at λ a day with quantities q: λ·E[L]·E[q²] + (λ·E[q])²·Var[L],
 *       where the lead time is uniform between the supplier's bounds)
 *   S = s + parDays of demand
 *
 * The planner plans with the supplier's usual lead times; a scenario's leadTimeFactor
 * stretches only the real ones (a disrupted supply chain that the plan did not foresee).
 */
import type { MarketPack } from '../catalog/types.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { normalQuantile } from '../random/distributions.js';

/** Mean lines per order in a market. */
export function meanLinesPerOrder(market: MarketPack): number {
  const w = market.orders.linesPerOrder;
  const total = w.reduce((a, b) => a + b, 0);
  return w.reduce((sum, wi, i) => sum + wi * (i + 1), 0) / total;
}

export interface LineQuantityMoments {
  /** E[q]: mean units per order line. */
  mean: number;
  /** E[q²]. */
  meanSquare: number;
  max: number;
}

/** Moments of one line's quantity: uniform in the market's range, times the bulk factor on bulk orders. */
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
  const q = uniform(market.orders.quantity);
  const b = uniform(market.orders.bulkQuantityFactor);
  const bulk = scenario.patterns.bulk_orders.frequency;
  return {
    mean: q.m * (1 - bulk + bulk * b.m),
    meanSquare: q.m2 * (1 - bulk + bulk * b.m2),
    max: market.orders.quantity[1] * market.orders.bulkQuantityFactor[1],
  };
}

export interface ProductPolicy {
  /** Expected units sold per day. */
  dailyDemand: number;
  reorderPoint: number;
  orderUpTo: number;
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
  const lead = (leadDays[0] + leadDays[1]) / 2;
  const leadVariance = (leadDays[1] - leadDays[0]) ** 2 / 12;
  const z = normalQuantile(scenario.stock.serviceLevel);
  const mean = linesPerDay * lead * moments.mean;
  const sd = Math.sqrt(linesPerDay * lead * moments.meanSquare + (linesPerDay * moments.mean) ** 2 * leadVariance);
  const reorderPoint = Math.ceil(mean + z * sd);
  const cycle = Math.ceil(scenario.stock.parDays * linesPerDay * moments.mean);
  // At least one largest line above the reorder point, so a single order never drains a fresh delivery.
  const orderUpTo = reorderPoint + Math.max(cycle, Math.ceil(moments.mean), 1);
  return { dailyDemand: linesPerDay * moments.mean, reorderPoint, orderUpTo };
}
