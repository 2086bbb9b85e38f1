/**
 * An order's whole future as a pure function of what it is and how its stock turned out:
 * the draft, its timeline and its settlement. The engine asks for it when an order is
 * placed and again when its stock is resolved; batch workers ask for it to write the
 * order's rows. Everything here draws from the order's own streams, so the plan is the same
 * on every thread and in both speeds.
 */
import type { PatternName } from '../domain/entities.js';
import type { LifecycleTimings } from '../domain/scenario.js';
import type { AliasTable } from '../random/distributions.js';
import { planTimeline, type Outcome, type Timeline } from './lifecycle.js';
import { draftOrder, type OrderDraft } from './orders.js';
import { planSettlement, type SettlementPlan } from './settlement.js';
import { DAY_MS } from './time.js';
import type { World } from './world.js';

export interface OrderSettings {
  patterns: AliasTable<PatternName>;
  timings: LifecycleTimings;
}

export interface PlannedOrder {
  draft: OrderDraft;
  outcome: Outcome;
  timeline: Timeline;
  settlement: SettlementPlan;
}

export function planOrder(world: World, index: number, t0: number, settings: OrderSettings, outcome: Outcome): PlannedOrder {
  const draft = draftOrder(world, index, t0, settings.patterns);
  return replan(world, draft, settings.timings, outcome);
}

/** The same order under another outcome (its draft is kept: drafting does not depend on stock). */
export function replan(world: World, draft: OrderDraft, timings: LifecycleTimings, outcome: Outcome): PlannedOrder {
  const timeline = planTimeline(world, draft, timings, outcome);
  return { draft, outcome, timeline, settlement: planSettlement(world, draft, timeline) };
}

/** What an order's plan does to the rest of the business, at the moment it does it. */
export const EFFECT_KINDS = ['cancel', 'ship', 'deliver', 'fail', 'return_failed', 'return_customer'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

export interface Effect {
  at: number;
  kind: EffectKind;
  /** Lines concerned, as a bit mask (returns); on a delivery, 1 when it comes after the promised date. */
  lines: number;
}

/** Goods of a failed delivery are back in the warehouse a day after the last attempt. */
export const FAILED_RETURN_DELAY_MS = DAY_MS;

export const allLines = (n: number): number => (n >= 31 ? -1 >>> 1 : (1 << n) - 1);

/** The plan's effects, in time order: status milestones the engine counts and goods coming back to the shelf. */
export function effectsOf(plan: PlannedOrder): Effect[] {
  const tl = plan.timeline;
  const n = plan.draft.lines.length;
  const out: Effect[] = [];
  if (tl.cancelledAt !== null) out.push({ at: tl.cancelledAt, kind: 'cancel', lines: 0 });
  if (tl.shippedAt !== null) out.push({ at: tl.shippedAt, kind: 'ship', lines: 0 });
  if (tl.deliveredAt !== null) out.push({ at: tl.deliveredAt, kind: 'deliver', lines: tl.deliveredAt > tl.expectedMs ? 1 : 0 });
  if (tl.failedAt !== null) {
    out.push({ at: tl.failedAt, kind: 'fail', lines: 0 });
    out.push({ at: tl.failedAt + FAILED_RETURN_DELAY_MS, kind: 'return_failed', lines: allLines(n) });
  }
  const refund = plan.settlement.refund;
  if (refund && refund.kind === 'customer_return' && refund.approved) {
    out.push({ at: refund.resolvedAt, kind: 'return_customer', lines: refund.returnedLines.reduce((m, i) => m | (1 << i), 0) });
  }
  return out.sort((a, b) => a.at - b.at);
}
