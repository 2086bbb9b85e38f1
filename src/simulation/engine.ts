/**
 * The simulation engine: one discrete-event core that both speeds drive. Orders arrive from
 * a source; the warehouse ledger takes their stock or queues them; each order's plan (a
 * pure function of the order and how its stock turned out) is carried out effect by effect
 * — shipments counted, goods returned — and, when the engine publishes orders, event by
 * event. Purchase orders arrive; the clock ticks hourly and daily for forecasts, summaries
 * and the dead-stock sweep.
 *
 * Live = this engine paced to the wall clock (live.ts), with settings that change while it
 * runs. Batch = this engine run unpaced over a date range (batch/), its orders drafted and
 * written by worker threads. Time is simulated milliseconds; `advanceTo` is the only way it
 * moves, and everything due at the same instant runs in the order it was scheduled.
 */
import { EventQueue } from './event-queue.js';
import { StockLedger, type Movement, type PurchaseOrder, type Waiter } from './ledger.js';
import { ALLOCATED, WAITING, type Outcome } from './lifecycle.js';
import { orderEventAt, orderEventSlots, type TimedEvent } from './order-events.js';
import { effectsOf, EFFECT_KINDS, type Effect, type PlannedOrder } from './order-plan.js';
import { Analytics } from './analytics.js';
import { DemandPlanner } from './demand-planner.js';
import { movementEvent, StockSignals } from './stock-signals.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDate } from './time.js';
import type { World } from './world.js';

/** An order arriving: what the engine needs of it before its stock is known. */
export interface Placement {
  index: number;
  t0: number;
  products: ArrayLike<number>;
  quantities: ArrayLike<number>;
  /** Its first line's units turn out damaged when picked (the injected stockout). */
  damaged: boolean;
  totalCents: number;
  /** Index into world.regionNames. */
  region: number;
  /** Index into PATTERN_NAMES. */
  pattern: number;
  /** Its plan's effects if every line comes off the shelf. */
  effects: Effect[];
  /** The whole plan, when it was made in this thread (needed to publish the order's events). */
  plan: PlannedOrder | null;
  /** What the source needs to plan the order again (the settings it was placed under). */
  settings?: unknown;
}

/** Where orders come from: the live arrival process, or a batch run's drafted days. */
export interface OrderSource {
  /** When the next order arrives (Infinity when none is known yet). */
  peek(): number;
  /** The next order, or null when that arrival does not happen (the simulation is at capacity). */
  take(): Placement | null;
  /** The order's plan under another outcome of its stock. */
  replan(order: Track, outcome: Outcome): PlannedOrder;
  /**
   * The order's current plan, made again (under `order.outcome`). A source that can make it
   * again lets the engine forget each plan between two events: an order in flight then
   * holds a few numbers, not its whole plan and every event's data, for the days it lives.
   */
  planOf?(order: Track): PlannedOrder;
}

/** The engine's view of an order while it still has something to do. */
export interface Track extends Waiter {
  index: number;
  t0: number;
  products: ArrayLike<number>;
  quantities: ArrayLike<number>;
  damaged: boolean;
  /** Lines that had to wait for stock (bit mask). */
  waited: number;
  /** Lines whose units are with the order (bit mask): returned if it is cancelled. */
  held: number;
  outcome: Outcome;
  /** Bumped by every new plan: actions scheduled from an older plan are ignored. */
  version: number;
  /** Effect kinds already carried out (bit mask). */
  applied: number;
  closed: boolean;
  /** The order's plan, unless the source makes it again when needed (see OrderSource.planOf). */
  plan: PlannedOrder | null;
  /** Publishing: how many of the plan's events are out, and the last instant published. */
  published: number;
  lastPublishedAt: number;
  lastPublishedKeys: string[];
  /** The settings the order was placed under (live: patterns and timings may change later). */
  settings: unknown;
  /** When its final plan ships it, and delivers it or fails (counted ahead in the analytics), or NaN. */
  shipsAt: number;
  endsAt: number;
  endsAs: 'delivered' | 'delivered_late' | 'failed' | null;
}

type Action =
  | { kind: 'effect'; order: Track; effect: Effect; version: number }
  | { kind: 'give_up'; order: Track; version: number }
  | { kind: 'publish'; order: Track; version: number }
  | { kind: 'arrival'; po: PurchaseOrder }
  | { kind: 'hourly' }
  | { kind: 'daily' };

export interface EngineStats {
  newOrders: number;
  shipped: number;
  delivered: number;
  failed: number;
  cancelled: number;
  /** Orders placed and not yet delivered, failed or cancelled. */
  active: number;
  /** Orders waiting for stock right now. */
  waiting: number;
  events: number;
}

export interface EngineOptions {
  world: World;
  /** The run's first instant: stock opens here, and the clock ticks from here. */
  startMs: number;
  source: OrderSource;
  /** Publish every order's events as they happen (live); a batch run writes them from the plans. */
  publishOrders: boolean;
  /** Publish stock.updated for every movement (live); a batch run writes them from the movements. */
  publishMovements: boolean;
  /** Every event, with the order and its plan when it is one of an order's. */
  onEvent: (e: TimedEvent, order?: Track, plan?: PlannedOrder) => void;
  onMovement?: (m: Movement) => void;
  /** An order was placed: its lines have been taken or queued. */
  onPlaced?: (order: Track) => void;
  /** An order's stock outcome is final (it will never be replanned). */
  onResolved?: (order: Track) => void;
  /** Stock levels to open with (a restarted server), by product index. */
  openingLevels?: ReadonlyMap<number, number>;
  /** Orders on an average day, to size the warehouse (default: the scenario's volume). */
  ordersPerDay?: number;
}

const EFFECT_BIT = Object.fromEntries(EFFECT_KINDS.map((k, i) => [k, 1 << i])) as Record<Effect['kind'], number>;
const eventKey = (e: { type: string; t: number }) => `${e.type}@${e.t}`;

export class Engine {
  now: number;
  readonly stats: EngineStats = { newOrders: 0, shipped: 0, delivered: 0, failed: 0, cancelled: 0, active: 0, waiting: 0, events: 0 };
  readonly ledger: StockLedger;
  readonly signals: StockSignals;
  readonly analytics: Analytics;
  readonly planner: DemandPlanner;
  private readonly queue = new EventQueue<Action>();
  private readonly world: World;
  /** Orders still doing something, by index (to release one the API takes over). */
  private readonly live = new Map<number, Track>();

  constructor(private readonly options: EngineOptions) {
    const { world, startMs } = options;
    this.world = world;
    this.now = startMs;
    this.signals = new StockSignals(world, () => this.ledger, (e) => this.emit(e), startMs);
    this.analytics = new Analytics(world);
    this.planner = new DemandPlanner(world, () => this.ledger, (e) => this.emit(e));
    this.ledger = new StockLedger(world, {
      movement: (m, before) => {
        options.onMovement?.(m);
        if (options.publishMovements) this.emit({ t: m.t, type: 'stock.updated', data: movementEvent(world, m) });
        this.signals.moved(m, before);
      },
      purchased: (po, position) => {
        this.signals.purchased(po, position);
        this.queue.push(po.arrivesAt, { kind: 'arrival', po });
      },
      received: (po, before) => this.signals.received(po, before, this.now),
      filled: (order, line, t, done) => {
        (order as Track).held |= 1 << line;
        if (done) this.resolve(order as Track, { kind: 'filled', at: t });
      },
    });
    if (options.ordersPerDay !== undefined) this.ledger.setDemand(options.ordersPerDay, Number.NaN);
    this.ledger.open(startMs, options.openingLevels);
    this.queue.push(Math.floor(startMs / HOUR_MS) * HOUR_MS + HOUR_MS, { kind: 'hourly' });
    this.queue.push(this.nextMidnight(startMs), { kind: 'daily' });
  }

  private nextMidnight(t: number): number {
    const offset = this.world.offset * MINUTE_MS;
    return Math.floor((t + offset) / DAY_MS) * DAY_MS + DAY_MS - offset;
  }

  private emit(e: TimedEvent, order?: Track, plan?: PlannedOrder): void {
    this.stats.events++;
    this.options.onEvent(e, order, plan);
  }

  /** When the next thing is due. */
  nextDue(): number {
    return Math.min(this.queue.peekTime(), this.options.source.peek());
  }

  /**
   * Runs everything due at or before `t`, in time order. With a `budget` it stops after that
   * many steps (`now` is then the last step's time), so a caller pacing the clock can yield.
   * It never stops between steps of the same instant: every step at or before `now` has run,
   * which is what lets a stopped simulation be resumed from `now` alone (see resumePoint).
   */
  advanceTo(t: number, budget = Number.POSITIVE_INFINITY): void {
    const source = this.options.source;
    let done = 0;
    while (done < budget || (done > 0 && this.nextDue() === this.now)) {
      const due = this.queue.peekTime();
      const arrives = source.peek();
      if (due > t && arrives > t) break;
      if (due <= arrives) {
        this.now = due;
        this.run(this.queue.pop()!);
      } else {
        this.now = arrives;
        const placement = source.take();
        if (placement) this.place(placement);
      }
      done++;
    }
    if (this.nextDue() > t) this.now = Math.max(this.now, t);
  }

  private run(action: Action): void {
    switch (action.kind) {
      case 'effect':
        if (action.version === action.order.version) this.apply(action.order, action.effect);
        return;
      case 'give_up': {
        const order = action.order;
        if (action.version !== order.version || order.waiting === 0 || order.closed) return;
        this.ledger.forget(order, order.products);
        this.resolve(order, { kind: 'gave_up', at: this.now });
        return;
      }
      case 'publish':
        if (action.version === action.order.version) this.publishNext(action.order);
        return;
      case 'arrival':
        this.ledger.arrive(action.po, this.now);
        return;
      case 'hourly':
        this.signals.hourly(this.now);
        this.queue.push(this.now + HOUR_MS, { kind: 'hourly' });
        return;
      case 'daily':
        this.endOfDay();
        this.queue.push(this.nextMidnight(this.now + 1), { kind: 'daily' });
        return;
    }
  }

  /** At local midnight: the day's summary, the planner's day, the dead-stock sweep. */
  private endOfDay(): void {
    const offset = this.world.offset;
    this.analytics.daily(this.now, localDate(this.now - 1, offset), localDate(this.now, offset), (e) => this.emit(e));
    this.planner.endOfDay(this.now);
    this.signals.sweep(this.now);
  }

  /**
   * A run that ends at a local midnight `t` (a batch dataset ends with its last day): what
   * that midnight says about the day that ended — its summary, the planner's day, and the
   * hourly stock check of its last hour, in the order the live clock runs them (the daily
   * tick was scheduled a day ahead, the hourly one an hour ahead) — without running anything
   * else due then. The engine is not advanced afterwards.
   */
  closeLastDay(t: number): void {
    if (t !== this.nextMidnight(t - 1)) throw new RangeError('closeLastDay needs a local midnight');
    this.now = t;
    this.endOfDay();
    this.signals.hourly(t);
  }

  private place(p: Placement): void {
    const order: Track = {
      index: p.index,
      t0: p.t0,
      products: p.products,
      quantities: p.quantities,
      damaged: p.damaged,
      waiting: 0,
      waited: 0,
      held: 0,
      outcome: ALLOCATED,
      version: 0,
      applied: 0,
      closed: false,
      plan: p.plan,
      published: 0,
      lastPublishedAt: Number.NEGATIVE_INFINITY,
      lastPublishedKeys: [],
      settings: p.settings ?? null,
      shipsAt: Number.NaN,
      endsAt: Number.NaN,
      endsAs: null,
    };
    this.stats.newOrders++;
    this.stats.active++;
    if (this.options.publishOrders) this.live.set(order.index, order);
    this.analytics.orderPlaced(p.totalCents, p.region, p.pattern, p.products, p.quantities);
    for (let k = 0; k < p.products.length; k++) {
      this.planner.ordered(p.products[k], p.quantities[k]);
      const taken = k === 0 && p.damaged ? this.ledger.writeOff(order, k, p.products[k], p.quantities[k], this.now) : this.ledger.allocate(order, k, p.products[k], p.quantities[k], this.now);
      if (taken) order.held |= 1 << k;
      if (!(order.held & (1 << k))) order.waited |= 1 << k;
    }
    this.options.onPlaced?.(order);
    if (order.waiting === 0) {
      this.adopt(order, p.plan, p.effects);
      this.options.onResolved?.(order);
      return;
    }
    this.stats.waiting++;
    order.outcome = WAITING;
    const plan = this.options.source.replan(order, WAITING);
    this.adopt(order, plan, effectsOf(plan));
    const giveUpAt = plan.timeline.giveUpAt;
    if (plan.timeline.cancelledAt === null || plan.timeline.cancelledAt > giveUpAt) this.queue.push(giveUpAt, { kind: 'give_up', order, version: order.version });
  }

  /** The order's stock is settled (filled, or the customer gave up): plan again from here. */
  private resolve(order: Track, outcome: Outcome): void {
    if (order.closed) return;
    this.stats.waiting--;
    order.outcome = outcome;
    order.version++;
    const plan = this.options.source.replan(order, outcome);
    this.adopt(order, plan, effectsOf(plan));
    this.options.onResolved?.(order);
  }

  /** Schedules what a plan does from now on (what already happened is the same under every plan: see lifecycle.ts). */
  private adopt(order: Track, plan: PlannedOrder | null, effects: Effect[]): void {
    order.plan = plan && this.options.publishOrders && this.options.source.planOf ? null : plan;
    for (const effect of effects) {
      if (order.applied & EFFECT_BIT[effect.kind]) continue;
      // Shipments, deliveries and failures are counted ahead, by day (a waiting order's plan
      // never ships: it is planned again when its stock comes).
      if (effect.kind === 'ship') {
        this.analytics.countAhead('shipped', effect.at);
        order.shipsAt = effect.at;
      } else if (effect.kind === 'deliver' || effect.kind === 'fail') {
        order.endsAt = effect.at;
        order.endsAs = effect.kind === 'fail' ? 'failed' : effect.lines ? 'delivered_late' : 'delivered';
        this.countEnd(order, 1);
      }
      // Only the live stream's statistics need to see shipments and deliveries happen.
      if (!this.options.publishOrders && (effect.kind === 'ship' || effect.kind === 'deliver' || effect.kind === 'fail')) continue;
      this.queue.push(Math.max(effect.at, this.now), { kind: 'effect', order, effect, version: order.version });
    }
    if (this.options.publishOrders && plan) {
      const slots = orderEventSlots(plan);
      // Skip what was published under the earlier plan.
      let k = 0;
      while (k < slots.length && (slots[k].t < order.lastPublishedAt || (slots[k].t === order.lastPublishedAt && order.lastPublishedKeys.includes(eventKey(slots[k]))))) k++;
      order.published = k;
      if (k < slots.length) this.queue.push(Math.max(slots[k].t, this.now), { kind: 'publish', order, version: order.version });
    }
  }

  /** The order's next event, built now (its plan made again where the source can: see OrderSource.planOf). */
  private publishNext(order: Track): void {
    const plan = order.plan ?? this.options.source.planOf!(order);
    const slots = orderEventSlots(plan);
    const slot = slots[order.published++];
    if (slot.t !== order.lastPublishedAt) order.lastPublishedKeys = [];
    order.lastPublishedAt = slot.t;
    order.lastPublishedKeys.push(eventKey(slot));
    this.emit(orderEventAt(this.world, plan, slot), order, plan);
    if (order.published < slots.length) this.queue.push(Math.max(slots[order.published].t, this.now), { kind: 'publish', order, version: order.version });
  }

  private apply(order: Track, effect: Effect): void {
    order.applied |= EFFECT_BIT[effect.kind];
    const t = this.now;
    switch (effect.kind) {
      case 'cancel': {
        this.close(order);
        this.stats.cancelled++;
        this.analytics.orderCancelled();
        if (order.waiting > 0) {
          // Cancelled while waiting for stock: that is how its stock turned out.
          this.ledger.forget(order, order.products);
          this.stats.waiting--;
          this.options.onResolved?.(order);
        }
        this.giveBack(order, order.held, t, 'order_cancelled');
        order.held = 0;
        return;
      }
      case 'ship':
        this.stats.shipped++;
        return;
      case 'deliver':
        this.stats.delivered++;
        this.close(order);
        return;
      case 'fail':
        this.stats.failed++;
        this.close(order);
        return;
      case 'return_failed':
        this.giveBack(order, effect.lines, t, 'delivery_failed');
        return;
      case 'return_customer':
        this.giveBack(order, effect.lines, t, 'customer_return');
        return;
    }
  }

  private close(order: Track): void {
    if (order.closed) return;
    order.closed = true;
    this.stats.active--;
    this.live.delete(order.index);
  }

  /**
   * Someone else drives this order from now on (the API moved it): the simulation stops
   * moving it and forgets its plan. Its stock stays where it is (the API changes it, and
   * the ledger follows: `ledger.follow`). False when the simulation has no such order open.
   */
  release(index: number): boolean {
    const order = this.live.get(index);
    if (!order) return false;
    order.version++;
    if (order.shipsAt > this.now) this.analytics.countAhead('shipped', order.shipsAt, -1);
    if (order.endsAt > this.now) this.countEnd(order, -1);
    if (order.waiting > 0) {
      this.ledger.forget(order, order.products);
      this.stats.waiting--;
    }
    this.close(order);
    order.plan = null;
    return true;
  }

  private countEnd(order: Track, n: number): void {
    if (!order.endsAs) return;
    this.analytics.countAhead(order.endsAs === 'failed' ? 'failed' : 'delivered', order.endsAt, n);
    if (order.endsAs === 'delivered_late') this.analytics.countAhead('delayed', order.endsAt, n);
  }

  /** Trains the demand models again now (on request), and sets every product's policy from them. */
  retrain(): void {
    this.planner.retrain(this.now, 'request');
  }

  /** A purchase order placed by hand: `qty` units of product `i`, from its supplier. */
  reorder(i: number, qty: number): PurchaseOrder {
    return this.ledger.purchase(i, qty, this.now, 'planner');
  }

  private giveBack(order: Track, lines: number, t: number, reason: 'order_cancelled' | 'delivery_failed' | 'customer_return'): void {
    for (let k = 0; k < order.products.length; k++) if (lines & (1 << k)) this.ledger.giveBack(order.products[k], order.quantities[k], t, order.index, reason);
  }
}

