/**
 * The time-series engine: how many orders arrive on a day (the market's calendar — working
 * week, holidays, promotions — and the scenario's weekly, seasonal and growth curves, bursts
 * and spread days) and when each arrives (the hour-of-day curve, or the calendar's for days
 * like Ramadan's).
 * A day is addressed by its index from the run's epoch and draws from streams of its own,
 * so batch workers, the live engine and a restarted server all plan the same day alike.
 */
import { poisson } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import { DAY_MS, HOUR_MS, localDate } from './time.js';
import type { World } from './world.js';

export interface DayPlan {
  index: number;
  date: string;
  startMs: number;
  /** Orders arriving this day. */
  count: number;
  /** Global index of this day's first order (prefix sum): order ids need no coordination. */
  orderOffset: number;
  burst: { startHour: number; hours: number; factor: number } | null;
  spread: boolean;
}

/** Day `d` of the run, whose first order takes the global index `orderOffset`. */
export function planDay(world: World, d: number, orderOffset: number): DayPlan {
  const ts = world.scenario.timeSeries;
  const rng = Rng.derive(world.config.seed, 'plan', d);
  const startMs = world.startMs + d * DAY_MS;
  let lambda = world.expectedOrders(d);
  let burst: DayPlan['burst'] = null;
  let spread = false;
  if (rng.chance(ts.burstRate)) {
    const hours = 3;
    const day = world.hoursOn(startMs);
    const startHour = Math.min(24 - hours, day.table.sample(rng));
    const share = day.weights.slice(startHour, startHour + hours).reduce((a, b) => a + b, 0) / 24;
    burst = { startHour, hours, factor: ts.burstFactor };
    lambda *= 1 + (ts.burstFactor - 1) * share;
  } else if (rng.chance(ts.spreadRate)) {
    spread = true;
  }
  return { index: d, date: localDate(startMs, world.offset), startMs, count: poisson(rng, lambda), orderOffset, burst, spread };
}

/** When each of the day's orders arrives, ascending (whole milliseconds). */
export function arrivalTimes(world: World, plan: DayPlan): Float64Array {
  const rng = Rng.derive(world.config.seed, 'arrivals', plan.index);
  const times = new Float64Array(plan.count);
  const burst = plan.burst;
  // The day's own curve: the market's, or its calendar's (Ramadan's late evenings).
  const day = world.hoursOn(plan.startMs);
  let burstShare = 0;
  if (burst) {
    const window = day.weights.slice(burst.startHour, burst.startHour + burst.hours).reduce((a, b) => a + b, 0) / 24;
    burstShare = ((burst.factor - 1) * window) / (1 + (burst.factor - 1) * window);
  }
  for (let i = 0; i < plan.count; i++) {
    if (plan.spread) times[i] = plan.startMs + Math.floor(rng.next() * DAY_MS);
    else {
      const hour = burst && rng.next() < burstShare ? burst.startHour + Math.floor(rng.next() * burst.hours) : day.table.sample(rng);
      times[i] = plan.startMs + hour * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
    }
  }
  return times.sort();
}
