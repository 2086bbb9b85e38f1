/**
 * What crosses between a batch run's threads, in flat typed arrays (moved, not copied):
 *
 *  - a drafted day, worker → engine: each order's arrival, lines and the effects of its
 *    plan if its stock comes off the shelf (the engine needs nothing else of it);
 *  - a day to write, engine → worker: how each order's stock turned out, and the day's
 *    inventory movements.
 */
import { EFFECT_KINDS, effectsOf, type Effect, type PlannedOrder } from '../simulation/order-plan.js';
import { MOVEMENT_REASONS, MOVEMENT_TYPES, type Movement } from '../simulation/ledger.js';
import type { Outcome } from '../simulation/lifecycle.js';
import type { World } from '../simulation/world.js';
import { PATTERN_NAMES } from '../domain/entities.js';

export interface DraftedDay {
  day: number;
  firstIndex: number;
  t0: Float64Array;
  /** Order i's lines are lineStart[i] … lineStart[i + 1] − 1. */
  lineStart: Int32Array;
  products: Int32Array;
  quantities: Int32Array;
  damaged: Uint8Array;
  totalCents: Float64Array;
  /** Index into world.regionNames. */
  region: Uint16Array;
  /** Index into PATTERN_NAMES. */
  pattern: Uint8Array;
  effectStart: Int32Array;
  effectAt: Float64Array;
  effectKind: Uint8Array;
  effectLines: Int32Array;
}

export function encodeDraftedDay(world: World, day: number, firstIndex: number, plans: readonly PlannedOrder[]): DraftedDay {
  const n = plans.length;
  const effects = plans.map(effectsOf);
  const lineCount = plans.reduce((s, p) => s + p.draft.lines.length, 0);
  const effectCount = effects.reduce((s, e) => s + e.length, 0);
  const out: DraftedDay = {
    day,
    firstIndex,
    t0: new Float64Array(n),
    lineStart: new Int32Array(n + 1),
    products: new Int32Array(lineCount),
    quantities: new Int32Array(lineCount),
    damaged: new Uint8Array(n),
    totalCents: new Float64Array(n),
    region: new Uint16Array(n),
    pattern: new Uint8Array(n),
    effectStart: new Int32Array(n + 1),
    effectAt: new Float64Array(effectCount),
    effectKind: new Uint8Array(effectCount),
    effectLines: new Int32Array(effectCount),
  };
  let l = 0;
  let e = 0;
  plans.forEach((p, i) => {
    const d = p.draft;
    out.t0[i] = d.t0;
    out.lineStart[i] = l;
    for (const line of d.lines) {
      out.products[l] = line.productIndex;
      out.quantities[l++] = line.quantity;
    }
    out.damaged[i] = d.anomaly === 'stockout' ? 1 : 0;
    out.totalCents[i] = d.totalCents;
    out.region[i] = world.regionOf(d.customer.region);
    out.pattern[i] = PATTERN_NAMES.indexOf(d.pattern);
    out.effectStart[i] = e;
    for (const effect of effects[i]) {
      out.effectAt[e] = effect.at;
      out.effectKind[e] = EFFECT_KINDS.indexOf(effect.kind);
      out.effectLines[e++] = effect.lines;
    }
  });
  out.lineStart[n] = l;
  out.effectStart[n] = e;
  return out;
}

export function effectsAt(day: DraftedDay, i: number): Effect[] {
  const out: Effect[] = [];
  for (let e = day.effectStart[i]; e < day.effectStart[i + 1]; e++) out.push({ at: day.effectAt[e], kind: EFFECT_KINDS[day.effectKind[e]], lines: day.effectLines[e] });
  return out;
}

export const draftedDayBuffers = (d: DraftedDay): ArrayBuffer[] =>
  [d.t0, d.lineStart, d.products, d.quantities, d.damaged, d.totalCents, d.region, d.pattern, d.effectStart, d.effectAt, d.effectKind, d.effectLines].map((a) => a.buffer as ArrayBuffer);

const OUTCOME_KINDS = ['allocated', 'waiting', 'filled', 'gave_up'] as const;

export interface DayToWrite {
  day: number;
  /** Per order of the day. */
  outcomeKind: Uint8Array;
  outcomeAt: Float64Array;
  waited: Int32Array;
  /** The movements that happened on the day, in the order they happened. */
  movements: {
    ymd: string;
    seq: Int32Array;
    t: Float64Array;
    product: Int32Array;
    type: Uint8Array;
    qty: Int32Array;
    after: Int32Array;
    order: Int32Array;
    reason: Uint8Array;
  };
}

/** How each order of a day turned out, as the engine learns it; an order never resolved is still waiting. */
export class OutcomeBook {
  readonly kind: Uint8Array;
  readonly at: Float64Array;
  readonly waited: Int32Array;
  private readonly resolved: Uint8Array;
  unresolved: number;
  constructor(readonly count: number) {
    this.kind = new Uint8Array(count).fill(OUTCOME_KINDS.indexOf('waiting'));
    this.at = new Float64Array(count).fill(-1);
    this.waited = new Int32Array(count);
    this.resolved = new Uint8Array(count);
    this.unresolved = count;
  }
  placed(i: number, waited: number): void {
    this.waited[i] = waited;
  }
  resolve(i: number, outcome: Outcome): void {
    this.kind[i] = OUTCOME_KINDS.indexOf(outcome.kind);
    this.at[i] = 'at' in outcome ? outcome.at : -1;
    if (!this.resolved[i]) {
      this.resolved[i] = 1;
      this.unresolved--;
    }
  }
}

export function outcomeOf(kind: number, at: number): Outcome {
  const k = OUTCOME_KINDS[kind];
  return k === 'filled' || k === 'gave_up' ? { kind: k, at } : { kind: k };
}

export class MovementBuffer {
  private rows: Movement[] = [];
  push(m: Movement): void {
    this.rows.push(m);
  }
  get size(): number {
    return this.rows.length;
  }
  take(ymd: string): DayToWrite['movements'] {
    const rows = this.rows;
    this.rows = [];
    const n = rows.length;
    const out = {
      ymd,
      seq: new Int32Array(n),
      t: new Float64Array(n),
      product: new Int32Array(n),
      type: new Uint8Array(n),
      qty: new Int32Array(n),
      after: new Int32Array(n),
      order: new Int32Array(n),
      reason: new Uint8Array(n),
    };
    rows.forEach((m, i) => {
      out.seq[i] = m.seq;
      out.t[i] = m.t;
      out.product[i] = m.product;
      out.type[i] = MOVEMENT_TYPES.indexOf(m.type);
      out.qty[i] = m.qty;
      out.after[i] = m.after;
      out.order[i] = m.order;
      out.reason[i] = MOVEMENT_REASONS.indexOf(m.reason);
    });
    return out;
  }
}

export function movementAt(m: DayToWrite['movements'], i: number): Movement {
  return {
    ymd: m.ymd,
    seq: m.seq[i],
    t: m.t[i],
    product: m.product[i],
    type: MOVEMENT_TYPES[m.type[i]],
    qty: m.qty[i],
    after: m.after[i],
    order: m.order[i],
    reason: MOVEMENT_REASONS[m.reason[i]],
  };
}

export const dayToWriteBuffers = (d: DayToWrite): ArrayBuffer[] =>
  [d.outcomeKind, d.outcomeAt, d.waited, d.movements.seq, d.movements.t, d.movements.product, d.movements.type, d.movements.qty, d.movements.after, d.movements.order, d.movements.reason].map(
    (a) => a.buffer as ArrayBuffer,
  );
