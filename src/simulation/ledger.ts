/**
 * The warehouse: every product's sellable stock, carried from one moment to the next in
 * both speeds. Orders take units when placed; a line the shelf cannot cover waits in the
 * product's queue until a delivery or a return fills it. New stock goes to the waiting
 * lines in the order they came, each that it covers whole (a line too big for it does not
 * hold up the smaller ones behind it), and an arriving order takes what is on the shelf.
 * Replenishment follows the (s, S) policy of policy.ts: whenever the stock position falls
 * to the reorder point, a purchase order goes to the product's supplier and arrives after
 * its lead time. Every change is an inventory movement; nothing goes below zero.
 *
 * The ledger runs strictly in time order, in one place (the engine), which is what keeps
 * stock continuous however many threads draft and write the orders.
 */
import { Rng } from '../random/rng.js';
import { productPolicy, lineQuantityMoments, type ProductPolicy } from './policy.js';
import { DAY_MS, localDate } from './time.js';
import type { World } from './world.js';

export const MOVEMENT_TYPES = ['fulfilment', 'restock', 'return', 'adjustment'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** Why stock moved; an index into this list travels between threads instead of the text. */
export const MOVEMENT_REASONS = [
  null,
  'opening_balance',
  'purchase_order',
  'backorder_filled',
  'damaged_on_pick',
  'order_cancelled',
  'delivery_failed',
  'customer_return',
  'reprovisioned',
  'manual_adjustment',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export interface Movement {
  /** Local date (YYYYMMDD) and number within it: the movement id is MOV-date-number. */
  ymd: string;
  seq: number;
  t: number;
  product: number;
  type: MovementType;
  /** Signed: negative leaves the shelf. */
  qty: number;
  /** Sellable stock after the movement. */
  after: number;
  /** Global index of the order it belongs to, or -1. */
  order: number;
  reason: MovementReason;
  /** Made outside the simulation (the API, psql): the store has it already, the ledger follows. */
  external?: true;
}

export const movementId = (ymd: string, seq: number): string => `MOV-${ymd}-${String(seq).padStart(6, '0')}`;

export interface PurchaseOrder {
  id: string;
  product: number;
  qty: number;
  placedAt: number;
  arrivesAt: number;
  /** policy: the reorder policy at its reorder point; planner: placed by hand (the API). */
  by: 'policy' | 'planner';
}

/** An order as the ledger sees it: how many of its lines still wait. */
export interface Waiter {
  index: number;
  waiting: number;
}

interface Backorder {
  order: Waiter;
  line: number;
  qty: number;
}

export interface LedgerHooks {
  movement(m: Movement, before: number): void;
  /** A purchase order was placed; the ledger expects `arrive(po)` at po.arrivesAt. */
  purchased(po: PurchaseOrder, position: number): void;
  /** A purchase order's goods are on the shelf (before the waiting orders take theirs). */
  received(po: PurchaseOrder, before: number): void;
  /** Line `line` of an order was filled from new stock; `done` when it was the order's last waiting line. */
  filled(order: Waiter, line: number, t: number, done: boolean): void;
}

export class StockLedger {
  readonly level: Int32Array;
  readonly onOrder: Int32Array;
  readonly owed: Int32Array;
  readonly reorderPoint: Int32Array;
  readonly orderUpTo: Int32Array;
  readonly safetyStock: Int32Array;
  readonly dailyDemand: Float64Array;
  private readonly queues: Backorder[][];
  private readonly leadMs: Array<[number, number]>;
  private readonly plannedLead: Array<[number, number]>;
  private readonly offset: number;
  private poSeq = 0;
  private dayNumber = Number.NaN;
  private ymd = '';
  private daySeq = 0;

  constructor(
    private readonly world: World,
    private readonly hooks: LedgerHooks,
  ) {
    const products = world.dims.products;
    const n = products.length;
    this.level = new Int32Array(n);
    this.onOrder = new Int32Array(n);
    this.owed = new Int32Array(n);
    this.reorderPoint = new Int32Array(n);
    this.orderUpTo = new Int32Array(n);
    this.safetyStock = new Int32Array(n);
    this.dailyDemand = new Float64Array(n);
    this.queues = products.map(() => []);
    const factor = world.scenario.stock.leadTimeFactor;
    const suppliers = new Map(world.dims.suppliers.map((s) => [s.supplier_id, s]));
    this.plannedLead = products.map((p) => {
      const s = suppliers.get(p.supplier_id)!;
      return [s.lead_time_days_min, s.lead_time_days_max];
    });
    this.leadMs = this.plannedLead.map(([lo, hi]) => [lo * DAY_MS * factor, hi * DAY_MS * factor]);
    this.offset = world.offset;
    this.setDemand(world.expectedOrdersPerDay(), Number.NaN);
  }

  /**
   * Sizes every product's policy from the plan, for `ordersPerDay` orders on an average day
   * (until the demand planner has forecasts). At `t` (a change of the arrival rate while
   * running) a product short of its new reorder point is brought up to its new order-up-to
   * level at once, so a faster business opens stocked.
   */
  setDemand(ordersPerDay: number, t: number): void {
    const { world } = this;
    const moments = lineQuantityMoments(world.market, world.scenario);
    const weights = world.dims.productWeights;
    const total = weights.reduce((a, b) => a + b, 0);
    world.dims.products.forEach((_, i) => {
      const policy = productPolicy(world.market, world.scenario, ordersPerDay, weights[i] / total, this.plannedLead[i], moments);
      this.setPolicy(i, policy);
      if (!Number.isNaN(t) && this.position(i) < policy.reorderPoint) {
        const add = policy.orderUpTo - this.position(i);
        if (add > 0) this.move(i, 'adjustment', add, t, -1, 'reprovisioned');
      }
    });
  }

  private setPolicy(i: number, policy: ProductPolicy): void {
    this.reorderPoint[i] = policy.reorderPoint;
    this.orderUpTo[i] = policy.orderUpTo;
    this.safetyStock[i] = policy.safetyStock;
    this.dailyDemand[i] = policy.dailyDemand;
  }

  /** A product's policy from its forecast, from `t` on: at or below the new reorder point, it reorders now. */
  replan(i: number, policy: ProductPolicy, t: number): void {
    this.setPolicy(i, policy);
    this.review(i, t);
  }

  /** The supplier's lead time the planner plans with, in days. */
  plannedLeadDays(i: number): [number, number] {
    return this.plannedLead[i];
  }

  /** The opening balance: every product starts at its order-up-to level (or a level carried over). */
  open(t: number, levels?: ReadonlyMap<number, number>): void {
    for (let i = 0; i < this.level.length; i++) {
      const qty = levels?.get(i) ?? this.orderUpTo[i];
      if (qty > 0) this.move(i, 'adjustment', qty, t, -1, 'opening_balance');
    }
  }

  /** On hand + on order − owed to waiting orders. */
  position(i: number): number {
    return this.level[i] + this.onOrder[i] - this.owed[i];
  }

  /** Takes a line's units off the shelf, or queues the line; false when it waits. */
  allocate(order: Waiter, line: number, i: number, qty: number, t: number): boolean {
    if (this.level[i] >= qty) {
      this.move(i, 'fulfilment', -qty, t, order.index, null);
      this.review(i, t);
      return true;
    }
    this.wait(order, line, i, qty);
    this.review(i, t);
    return false;
  }

  /**
   * The units picked for a line turn out damaged: written off, and the line is picked again
   * from what is left, or waits for new stock. False when it waits.
   */
  writeOff(order: Waiter, line: number, i: number, qty: number, t: number): boolean {
    const lost = Math.min(this.level[i], qty);
    if (lost > 0) this.move(i, 'adjustment', -lost, t, order.index, 'damaged_on_pick');
    return this.allocate(order, line, i, qty, t);
  }

  /** Goods back on the shelf (a cancelled order, a failed delivery, a customer's return); waiting orders take them first. */
  giveBack(i: number, qty: number, t: number, order: number, reason: MovementReason): void {
    this.move(i, 'return', qty, t, order, reason);
    this.fillWaiting(i, t);
  }

  /** The lines of an order that stopped waiting (it was cancelled) leave the queues. */
  forget(order: Waiter, products: ArrayLike<number>): void {
    for (let k = 0; k < products.length; k++) {
      const i = products[k];
      const q = this.queues[i];
      for (let j = 0; j < q.length; j++) {
        if (q[j].order !== order) continue;
        this.owed[i] -= q[j].qty;
        q.splice(j, 1);
        break;
      }
    }
    order.waiting = 0;
  }

  /**
   * A change someone outside the simulation made (an API order, a cancellation, a manual
   * count), as the difference it made: the ledger follows with the same movement, never
   * below zero, and the warehouse carries on from there (waiting orders take new units, a
   * low level reorders). A difference rather than a level: the store may not have every
   * simulated movement yet, and both sides must end up moved by the same amount.
   */
  follow(i: number, change: number, t: number, type: MovementType, order: number, reason: MovementReason): void {
    const qty = Math.max(change, -this.level[i]);
    if (qty === 0) return;
    this.move(i, type, qty, t, order, reason, true);
    if (qty > 0) this.fillWaiting(i, t);
    else this.review(i, t);
  }

  /** A purchase order's delivery. */
  arrive(po: PurchaseOrder, t: number): void {
    const i = po.product;
    const before = this.level[i];
    this.onOrder[i] -= po.qty;
    this.move(i, 'restock', po.qty, t, -1, 'purchase_order');
    this.hooks.received(po, before);
    this.fillWaiting(i, t);
    this.review(i, t);
  }

  private wait(order: Waiter, line: number, i: number, qty: number): void {
    this.queues[i].push({ order, line, qty });
    this.owed[i] += qty;
    order.waiting++;
  }

  private fillWaiting(i: number, t: number): void {
    const q = this.queues[i];
    if (!q.length) return;
    const left: Backorder[] = [];
    const filled: Backorder[] = [];
    for (const b of q) {
      if (this.level[i] < b.qty) {
        left.push(b);
        continue;
      }
      this.owed[i] -= b.qty;
      this.move(i, 'fulfilment', -b.qty, t, b.order.index, 'backorder_filled');
      filled.push(b);
    }
    this.queues[i] = left;
    // Orders hear about it once the queue is settled (a filled order may be planned again at once).
    for (const b of filled) {
      b.order.waiting--;
      this.hooks.filled(b.order, b.line, t, b.order.waiting === 0);
    }
  }

  /** Continuous review: at or below the reorder point, order up to S. */
  private review(i: number, t: number): void {
    const position = this.position(i);
    if (position > this.reorderPoint[i]) return;
    const qty = this.orderUpTo[i] - position;
    if (qty > 0) this.purchase(i, qty, t, 'policy');
  }

  /** A purchase order to the product's supplier; it arrives after the supplier's (real) lead time. */
  purchase(i: number, qty: number, t: number, by: PurchaseOrder['by']): PurchaseOrder {
    const position = this.position(i);
    const seq = ++this.poSeq;
    const rng = Rng.derive(this.world.config.seed, 'supply', seq);
    const [lo, hi] = this.leadMs[i];
    const po: PurchaseOrder = { id: `PO-${String(seq).padStart(6, '0')}`, product: i, qty, placedAt: t, arrivesAt: Math.round(t + lo + rng.next() * (hi - lo)), by };
    this.onOrder[i] += qty;
    this.hooks.purchased(po, position);
    return po;
  }

  private move(i: number, type: MovementType, qty: number, t: number, order: number, reason: MovementReason, external = false): void {
    const before = this.level[i];
    this.level[i] = before + qty;
    const dayNumber = Math.floor((t + this.offset * 60_000) / DAY_MS);
    if (dayNumber !== this.dayNumber) {
      this.dayNumber = dayNumber;
      this.ymd = localDate(t, this.offset).replaceAll('-', '');
      this.daySeq = 0;
    }
    const m: Movement = { ymd: this.ymd, seq: ++this.daySeq, t, product: i, type, qty, after: this.level[i], order, reason };
    if (external) m.external = true;
    this.hooks.movement(m, before);
  }
}
