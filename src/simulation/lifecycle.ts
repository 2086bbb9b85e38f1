/**
 * An order's timeline: pending → confirmed → processing → shipped → delivered (spec 004's
 * timings, then the pattern's delivery time), bent by the anomaly it carries: a
 * cancellation at some stage, a backorder after a stockout, late or failed delivery.
 */
import type { DeliveryRegionRule } from '../catalog/types.js';
import type { OrderStatus } from '../domain/entities.js';
import type { LifecycleTimings } from '../domain/scenario.js';
import type { Rng } from '../random/rng.js';
import type { OrderDraft } from './orders.js';
import { DAY_MS, HOUR_MS, localWeekday } from './time.js';
import type { World } from './world.js';

export interface Attempt {
  at: number;
  ok: boolean;
  reason: string | null;
}

export interface Timeline {
  history: Array<{ status: OrderStatus; at: number }>;
  expectedMs: number;
  shippedAt: number | null;
  deliveredAt: number | null;
  failedAt: number | null;
  cancelledAt: number | null;
  cancellationReason: string | null;
  attempts: Attempt[];
  backordered: boolean;
  /** Delivered after the promised date without an injected delay (e.g. backorder). */
  emergentDelay: boolean;
}

const seconds = (rng: Rng, [min, max]: readonly [number, number]) => Math.round((min + rng.next() * (max - min)) * 1000);

export function deliveryRule(world: World, code: string): DeliveryRegionRule {
  return world.market.deliveryRegions.find((r) => r.code === code) ?? world.market.deliveryRegions[0];
}

const DELIVERY_OPENS = 9 * HOUR_MS;
const DELIVERY_CLOSES = 18 * HOUR_MS;

/** A delivery slot inside 09:00–18:00 local, on a day the region is served, within [from, to]; null if there is none. */
function deliverySlot(world: World, rng: Rng, rule: DeliveryRegionRule, from: number, to: number): number | null {
  const offset = world.offset * 60_000;
  const windows: Array<[number, number]> = [];
  for (let d = Math.floor((from + offset) / DAY_MS); d <= Math.floor((to + offset) / DAY_MS); d++) {
    const midnight = d * DAY_MS - offset;
    if (!rule.weekdays.includes(localWeekday(midnight, world.offset))) continue;
    const lo = Math.max(from, midnight + DELIVERY_OPENS);
    const hi = Math.min(to, midnight + DELIVERY_CLOSES);
    if (hi > lo) windows.push([lo, hi]);
  }
  if (!windows.length) return null;
  const [lo, hi] = rng.pick(windows);
  return lo + Math.floor(rng.next() * (hi - lo));
}

/** The first slot on or after `from` (a region is served at least once a week). */
function nextServedSlot(world: World, rng: Rng, rule: DeliveryRegionRule, from: number): number {
  const offset = world.offset * 60_000;
  for (let d = Math.floor((from + offset) / DAY_MS); ; d++) {
    const midnight = d * DAY_MS - offset;
    if (rule.weekdays.includes(localWeekday(midnight, world.offset)) && from < midnight + DELIVERY_CLOSES) {
      const lo = Math.max(from, midnight + DELIVERY_OPENS);
      return lo + Math.floor(rng.next() * (midnight + DELIVERY_CLOSES - lo));
    }
  }
}

/** The promise: 18:00 local on the first served day at least `days` after the order day. */
function promisedDate(world: World, rule: DeliveryRegionRule, dayStart: number, days: number): number {
  let midnight = dayStart + Math.round(days * DAY_MS);
  while (!rule.weekdays.includes(localWeekday(midnight, world.offset))) midnight += DAY_MS;
  return midnight + DELIVERY_CLOSES;
}

export function planTimeline(world: World, draft: OrderDraft, dayStart: number, rng: Rng, timings: LifecycleTimings): Timeline {
  const { market } = world;
  const t0 = draft.t0;
  const history: Timeline['history'] = [{ status: 'pending', at: t0 }];
  const rule = deliveryRule(world, draft.customer.delivery_region);
  const deliveryDays = world.scenario.patterns[draft.pattern].deliveryDays + rule.extraTransitDays;
  const expectedMs = promisedDate(world, rule, dayStart, deliveryDays);
  const tl: Timeline = {
    history,
    expectedMs,
    shippedAt: null,
    deliveredAt: null,
    failedAt: null,
    cancelledAt: null,
    cancellationReason: null,
    attempts: [],
    backordered: draft.lines.some((l) => l.backordered),
    emergentDelay: false,
  };

  const confirmedAt = t0 + seconds(rng, timings.pendingToConfirmed);
  let processingAt = confirmedAt + seconds(rng, timings.confirmedToProcessing);
  const cancel = (at: number, reason: string) => {
    tl.cancelledAt = at;
    tl.cancellationReason = reason;
    history.push({ status: 'cancelled', at });
  };

  if (draft.anomaly === 'cancellation') {
    const stage = rng.int(0, 2);
    if (stage === 0) return cancel(t0 + Math.floor(rng.next() * (confirmedAt - t0)), rng.pick(market.orders.cancellationReasons)), tl;
    history.push({ status: 'confirmed', at: confirmedAt });
    if (stage === 1) return cancel(confirmedAt + Math.floor(rng.next() * (processingAt - confirmedAt)), rng.pick(market.orders.cancellationReasons)), tl;
  } else {
    history.push({ status: 'confirmed', at: confirmedAt });
  }

  if (tl.backordered) {
    // Waits for the nightly replenishment; a third of customers give up instead.
    if (rng.chance(0.3)) return cancel(processingAt + Math.floor(rng.next() * 4 * HOUR_MS), 'out_of_stock'), tl;
    processingAt = Math.max(processingAt, dayStart + DAY_MS + 8 * HOUR_MS + Math.floor(rng.next() * 2 * HOUR_MS));
  }
  history.push({ status: 'processing', at: processingAt });
  const shippedAt = processingAt + seconds(rng, timings.processingToShipped);
  if (draft.anomaly === 'cancellation') return cancel(processingAt + Math.floor(rng.next() * (shippedAt - processingAt)), rng.pick(market.orders.cancellationReasons)), tl;

  history.push({ status: 'shipped', at: shippedAt });
  tl.shippedAt = shippedAt;
  // In transit for at least two hours, plus the region's extra transit days.
  const earliest = shippedAt + 2 * HOUR_MS + rule.extraTransitDays * DAY_MS;
  const firstTry = deliverySlot(world, rng, rule, earliest, expectedMs) ?? nextServedSlot(world, rng, rule, earliest);
  const fail = (at: number) => tl.attempts.push({ at, ok: false, reason: rng.pick(market.orders.deliveryFailureReasons) });

  if (draft.anomaly === 'delivery_failure') {
    let at = firstTry;
    for (let k = 0; k < 3; k++) {
      fail(at);
      at = nextServedSlot(world, rng, rule, at + DAY_MS - (DELIVERY_CLOSES - DELIVERY_OPENS));
    }
    tl.failedAt = tl.attempts[2].at + 2 * HOUR_MS;
    history.push({ status: 'failed', at: tl.failedAt });
    return tl;
  }
  let deliveredAt = firstTry;
  if (draft.anomaly === 'delivery_delay') {
    fail(firstTry);
    const late = expectedMs + rng.int(1, 10) * DAY_MS - 18 * HOUR_MS;
    if (rng.chance(0.3)) fail(nextServedSlot(world, rng, rule, Math.max(firstTry + DAY_MS, late - 2 * DAY_MS)));
    deliveredAt = nextServedSlot(world, rng, rule, Math.max(late, tl.attempts[tl.attempts.length - 1].at + DAY_MS));
  }
  tl.attempts.push({ at: deliveredAt, ok: true, reason: null });
  tl.deliveredAt = deliveredAt;
  tl.emergentDelay = draft.anomaly !== 'delivery_delay' && deliveredAt > expectedMs;
  history.push({ status: 'delivered', at: deliveredAt });
  return tl;
}
