/**
 * An order's timeline: pending → confirmed → processing → shipped → delivered (spec 004's
 * timings, then the pattern's delivery time), bent by the anomaly it carries (a
 * cancellation at some stage, late or failed delivery) and by its stock: a line the shelf
 * cannot cover holds the order at confirmed until stock arrives or the customer gives up.
 */
import type { DeliveryRegionRule } from '../catalog/types.js';
import type { OrderStatus } from '../domain/entities.js';
import type { LifecycleTimings } from '../domain/scenario.js';
import { logNormal } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
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
  /** Some line waited for stock. */
  backordered: boolean;
  /** Delivered after the promised date without an injected delay (e.g. backorder). */
  emergentDelay: boolean;
  /** When a customer still waiting for stock gives up. */
  giveUpAt: number;
  carrier: string;
  tracking: string;
}

const seconds = (rng: Rng, [min, max]: readonly [number, number]) => Math.round((min + rng.next() * (max - min)) * 1000);

export function deliveryRule(world: World, code: string): DeliveryRegionRule {
  return world.market.deliveryRegions.find((r) => r.code === code) ?? world.market.deliveryRegions[0];
}

/** Deliveries go out on the region's weekdays, except on public holidays. */
function served(world: World, rule: DeliveryRegionRule, midnight: number): boolean {
  return rule.weekdays.includes(localWeekday(midnight, world.offset)) && !world.calendar.at(midnight).closed;
}

const DELIVERY_OPENS = 9 * HOUR_MS;
const DELIVERY_CLOSES = 18 * HOUR_MS;

/** A delivery slot inside 09:00–18:00 local, on a day the region is served, within [from, to]; null if there is none. */
function deliverySlot(world: World, rng: Rng, rule: DeliveryRegionRule, from: number, to: number): number | null {
  const offset = world.offset * 60_000;
  const windows: Array<[number, number]> = [];
  for (let d = Math.floor((from + offset) / DAY_MS); d <= Math.floor((to + offset) / DAY_MS); d++) {
    const midnight = d * DAY_MS - offset;
    if (!served(world, rule, midnight)) continue;
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
    if (served(world, rule, midnight) && from < midnight + DELIVERY_CLOSES) {
      const lo = Math.max(from, midnight + DELIVERY_OPENS);
      return lo + Math.floor(rng.next() * (midnight + DELIVERY_CLOSES - lo));
    }
  }
}

/** The promise: 18:00 local on the first served day at least `days` after the order day. */
function promisedDate(world: World, rule: DeliveryRegionRule, dayStart: number, days: number): number {
  let midnight = dayStart + Math.round(days * DAY_MS);
  while (!served(world, rule, midnight)) midnight += DAY_MS;
  return midnight + DELIVERY_CLOSES;
}

/** How an order's stock turned out: the one thing its timeline cannot know by itself. */
export type Outcome =
  /** Every line was taken from the shelf when the order was placed. */
  | { kind: 'allocated' }
  /** Some line waits for stock, and nothing has resolved that yet. */
  | { kind: 'waiting' }
  /** The last waiting line was filled at `at`. */
  | { kind: 'filled'; at: number }
  /** The customer gave up at `at`, still waiting. */
  | { kind: 'gave_up'; at: number };

export const ALLOCATED: Outcome = { kind: 'allocated' };
export const WAITING: Outcome = { kind: 'waiting' };

/** The longest a customer waits for backordered stock before cancelling. */
export const PATIENCE_MAX_MS = 7 * DAY_MS;
const PATIENCE_MIN_MS = 6 * HOUR_MS;

/** Injected anomalies that show only once the order goes on: such an order waits for its stock for weeks. */
export const ANOMALY_PATIENCE_MS = 30 * DAY_MS;
const SHOWS_LATER = new Set(['delivery_delay', 'delivery_failure', 'payment_delay', 'refund']);

/**
 * A backordered customer waits a few days (businesses longer) before cancelling. An order
 * that carries an injected anomaly showing later (a delayed or failed delivery, a late
 * payment, a return) waits the longest, so that the scenario's anomaly rate holds even when
 * stock runs short (warehouse-outage).
 */
function patience(rng: Rng, draft: OrderDraft): number {
  const days = logNormal(rng, draft.company ? 4 : 2, 0.6);
  if (draft.anomaly && SHOWS_LATER.has(draft.anomaly)) return ANOMALY_PATIENCE_MS;
  return Math.min(PATIENCE_MAX_MS, Math.max(PATIENCE_MIN_MS, Math.round(days * DAY_MS)));
}

/**
 * The order's life: pending → confirmed → processing → shipped → delivered (spec 004's
 * timings, then the pattern's delivery time), bent by the anomaly it carries and by how
 * its stock turned out. It draws from the order's own stream, always the same draws in the
 * same order, so a timeline is a pure function of the order and its outcome; and it is
 * causal: whatever happens before the outcome was decided is the same in every outcome
 * (the live engine replans an order when its stock arrives and keeps what already happened).
 */
export function planTimeline(world: World, draft: OrderDraft, timings: LifecycleTimings, outcome: Outcome): Timeline {
  const { market } = world;
  const rng = Rng.derive(world.config.seed, 'life', draft.index);
  const toConfirm = seconds(rng, timings.pendingToConfirmed);
  const toProcess = seconds(rng, timings.confirmedToProcessing);
  const toShip = seconds(rng, timings.processingToShipped);
  const cancelStage = rng.int(0, 2);
  const cancelShare = rng.next();
  const cancelReason = rng.pick(world.injectedCancellationReasons);
  const giveUpAfter = patience(rng, draft);
  const carrier = rng.pick(market.orders.carriers);
  const tracking = rng.digits(market.orders.trackingPattern);

  const t0 = draft.t0;
  const history: Timeline['history'] = [{ status: 'pending', at: t0 }];
  const rule = deliveryRule(world, draft.customer.delivery_region);
  const deliveryDays = world.scenario.patterns[draft.pattern].deliveryDays + rule.extraTransitDays;
  const dayStart = t0 - ((t0 + world.offset * 60_000) % DAY_MS + DAY_MS) % DAY_MS;
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
    backordered: outcome.kind !== 'allocated',
    emergentDelay: false,
    giveUpAt: t0 + giveUpAfter,
    carrier,
    tracking,
  };
  const cancel = (at: number, reason: string): Timeline => {
    tl.cancelledAt = at;
    tl.cancellationReason = reason;
    history.push({ status: 'cancelled', at });
    return tl;
  };
  const injected = draft.anomaly === 'cancellation';
  // A customer who gives up while waiting cancels then, unless the order was cancelled earlier anyway.
  const giveUp = outcome.kind === 'gave_up' ? outcome.at : Number.POSITIVE_INFINITY;
  const cancelBy = (at: number, reason: string) => (giveUp < at ? cancel(giveUp, 'out_of_stock') : cancel(at, reason));

  const confirmedAt = t0 + toConfirm;
  if (injected && cancelStage === 0) return cancelBy(t0 + Math.floor(cancelShare * toConfirm), cancelReason);
  if (giveUp < confirmedAt) return cancel(giveUp, 'out_of_stock');
  history.push({ status: 'confirmed', at: confirmedAt });
  // Cancelled while confirmed: the moment is drawn from the nominal wait, so it does not depend on when stock arrives.
  // An order that waits for stock is cancelled then too (not after processing, which its stock may never reach).
  if (injected && (cancelStage === 1 || (cancelStage === 2 && outcome.kind !== 'allocated'))) return cancelBy(confirmedAt + Math.floor(cancelShare * toProcess), cancelReason);

  let processingAt = confirmedAt + toProcess;
  if (outcome.kind === 'waiting') return tl;
  if (outcome.kind === 'gave_up') return cancel(outcome.at, 'out_of_stock');
  if (outcome.kind === 'filled') processingAt = Math.max(processingAt, outcome.at + toProcess);
  history.push({ status: 'processing', at: processingAt });
  const shippedAt = processingAt + toShip;
  if (injected) return cancel(processingAt + Math.floor(cancelShare * toShip), cancelReason);

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
