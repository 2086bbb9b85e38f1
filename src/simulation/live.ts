/**
 * The live simulation: the batch engine's world (catalog, customers, Zipf products, order
 * drafting, scenario anomalies) driven by an event queue instead of whole days, so rates,
 * the pattern mix and lifecycle timings can change while it runs. Time is simulated
 * milliseconds; `advanceTo` is the only way it moves, so a run is a pure function of the
 * seed, the start instant, the settings and when they changed — the pacing to the wall
 * clock lives in LiveClock.
 *
 * Orders follow spec 004: pending → confirmed → processing → shipped, one event per
 * transition with the same order_id. Stock is reserved at placement; a line the shelf
 * cannot cover waits (confirmed) for the replenishment that a low level triggers.
 */
import type { OrderItemRecord, OrderRecord, OrderStatus, PatternName } from '../domain/entities.js';
import { PATTERN_NAMES } from '../domain/entities.js';
import type { EventType } from '../domain/events.js';
import { mergePatterns, type LiveSettings, type LiveStats, type SimulationPatch } from '../domain/live.js';
import type { LifecycleTimings, ScenarioProfile } from '../domain/scenario.js';
import { AliasTable } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import { EventQueue } from './event-queue.js';
import { LiveAnalytics } from './live-analytics.js';
import { orderId } from './ids.js';
import { draftOrder, orderItemRecordsOf, orderRecordOf, type DraftLine, type OrderDraft } from './orders.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, iso, localDate } from './time.js';
import { World } from './world.js';
import { getMarket } from '../catalog/index.js';

export interface LiveEvent {
  t: number;
  type: EventType;
  data: Record<string, unknown>;
}

type Action =
  | { kind: 'arrival'; token: number }
  | { kind: 'advance'; order: ActiveOrder }
  | { kind: 'replenish'; product: number }
  | { kind: 'sweep' }
  | { kind: 'hourly' }
  | { kind: 'daily' };

interface ActiveOrder {
  draft: OrderDraft;
  status: OrderStatus;
  /** The stage at which an injected cancellation strikes (0: while pending, 1: confirmed, 2: processing), or -1. */
  cancelAtStage: number;
  /** Lines still waiting for stock. */
  waiting: number;
  /** Confirmed and stopped for stock: the replenishment that fills its last line moves it on. */
  held: boolean;
  sale: Record<string, unknown>;
}

/** Knobs of the live stock model, in simulated time. */
const LEAD_TIME_MS: readonly [number, number] = [10 * MINUTE_MS, 30 * MINUTE_MS];
const PAR_HOURS = 4;
const DEMAND_WINDOW_MS = HOUR_MS;
const STOCKOUT_RISK_DAYS = 0.25;
const DEAD_STOCK_AFTER_MS = DAY_MS;
const SWEEP_EVERY_MS = HOUR_MS;

const NEXT_STATUS: Partial<Record<OrderStatus, OrderStatus>> = { pending: 'confirmed', confirmed: 'processing', processing: 'shipped' };
const STAGE: Partial<Record<OrderStatus, number>> = { pending: 0, confirmed: 1, processing: 2 };

export class LiveSimulation {
  /** Simulated now (ms since the epoch). */
  now: number;
  readonly stats: LiveStats = { newOrders: 0, transitions: 0, shipped: 0, cancelled: 0, active: 0, backordered: 0, events: 0 };
  private settings: LiveSettings;
  private patterns: AliasTable<PatternName>;
  private readonly queue = new EventQueue<Action>();
  private readonly arrivalsRng: Rng;
  private readonly ordersRng: Rng;
  private readonly lifeRng: Rng;
  private readonly stockRng: Rng;
  private arrivalToken = 0;
  private readonly analytics: LiveAnalytics;
  private orderIndex: number;
  private out: LiveEvent[] = [];
  /** The global index the next order will take. */
  get nextOrderIndex(): number {
    return this.orderIndex;
  }

  /** Called with each new order's rows (the store writes them); set it only when they are wanted. */
  onPlaced: ((order: OrderRecord, items: OrderItemRecord[]) => void) | null = null;

  private readonly par: Int32Array;
  private readonly threshold: Int32Array;
  private readonly level: Int32Array;
  private readonly lastSaleAt: Float64Array;
  private readonly demand: Float64Array;
  private readonly demandAt: Float64Array;
  private readonly reorderPending: Uint8Array;
  private readonly riskFlagged: Uint8Array;
  private readonly deadFlagged: Uint8Array;
  private readonly backorders: Array<Array<{ order: ActiveOrder; line: DraftLine; qty: number }>>;

  constructor(
    readonly world: World,
    startMs: number,
    settings: Omit<LiveSettings, 'paused' | 'speed'> & Partial<Pick<LiveSettings, 'paused' | 'speed'>>,
    resume: LiveResume = {},
  ) {
    const seed = world.config.seed;
    this.now = startMs;
    this.orderIndex = resume.firstOrderIndex ?? 0;
    this.settings = { speed: 1, paused: false, ...settings };
    this.patterns = patternTable(this.settings.patterns);
    this.arrivalsRng = Rng.derive(seed, 'live', 'arrivals');
    this.ordersRng = Rng.derive(seed, 'live', 'orders');
    this.lifeRng = Rng.derive(seed, 'live', 'lifecycle');
    this.stockRng = Rng.derive(seed, 'live', 'stock');

    // A shelf sized for a few hours of the starting rate, so stock moves visibly at any rate.
    const products = world.dims.products;
    const weights = world.dims.productWeights;
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const unitsPerOrder = meanUnits(world);
    const ordersPerHour = this.ordersPerMinute() * 60;
    this.par = Int32Array.from(products, (p, i) => Math.max(p.stock_quantity, Math.ceil((weights[i] / totalWeight) * unitsPerOrder * ordersPerHour * PAR_HOURS)));
    this.threshold = Int32Array.from(this.par, (par) => Math.max(1, Math.floor(par * world.scenario.stock.reorderFraction)));
    this.level = Int32Array.from(products, (p, i) => resume.stock?.get(p.product_id) ?? this.par[i]);
    this.lastSaleAt = new Float64Array(products.length).fill(startMs);
    this.demand = new Float64Array(products.length);
    this.demandAt = new Float64Array(products.length).fill(startMs);
    this.reorderPending = new Uint8Array(products.length);
    this.riskFlagged = new Uint8Array(products.length);
    this.deadFlagged = new Uint8Array(products.length);
    this.backorders = products.map(() => []);

    this.analytics = new LiveAnalytics(world);
    this.scheduleArrival();
    this.queue.push(startMs + SWEEP_EVERY_MS, { kind: 'sweep' });
    this.queue.push(Math.floor(startMs / HOUR_MS) * HOUR_MS + HOUR_MS, { kind: 'hourly' });
    this.queue.push(this.nextMidnight(startMs), { kind: 'daily' });
  }

  private nextMidnight(t: number): number {
    const offset = this.world.offset * MINUTE_MS;
    return Math.floor((t + offset) / DAY_MS) * DAY_MS + DAY_MS - offset;
  }

  current(): LiveSettings {
    return structuredClone(this.settings);
  }

  /** Applies a validated patch; throws RangeError (with a readable message) when the patterns cannot add up. */
  update(patch: SimulationPatch): LiveSettings {
    const next = structuredClone(this.settings);
    if (patch.patterns) next.patterns = mergePatterns(next.patterns, patch.patterns);
    if (patch.lifecycle) next.lifecycle = { ...next.lifecycle, ...patch.lifecycle } as LifecycleTimings;
    if (patch.ratePerMinute !== undefined) next.arrivals = { mode: 'rate', ratePerMinute: patch.ratePerMinute };
    if (patch.delaySeconds !== undefined) next.arrivals = { mode: 'delay', delaySeconds: patch.delaySeconds };
    if (patch.speed !== undefined) next.speed = patch.speed;
    if (patch.paused !== undefined) next.paused = patch.paused;
    const arrivalsChanged = JSON.stringify(next.arrivals) !== JSON.stringify(this.settings.arrivals);
    this.settings = next;
    this.patterns = patternTable(next.patterns);
    // Poisson arrivals are memoryless, so the next arrival can be redrawn from now at the new rate.
    if (arrivalsChanged) this.scheduleArrival();
    return this.current();
  }

  /** Mean new orders per simulated minute under the current arrival settings. */
  ordersPerMinute(): number {
    const a = this.settings.arrivals;
    return a.mode === 'rate' ? a.ratePerMinute : 60 / ((a.delaySeconds[0] + a.delaySeconds[1]) / 2);
  }

  /**
   * Runs every action due at or before `t` and returns the events they produced, in time
   * order. With a `budget`, it stops after that many actions (`now` is then the last one's
   * time, before `t`), so a caller pacing the clock can yield instead of blocking.
   */
  advanceTo(t: number, budget = Number.POSITIVE_INFINITY): LiveEvent[] {
    let done = 0;
    while (this.queue.peekTime() <= t && done < budget) {
      const at = this.queue.peekTime();
      const action = this.queue.pop()!;
      this.now = at;
      this.run(action);
      done++;
    }
    if (this.queue.peekTime() > t) this.now = Math.max(this.now, t);
    const events = this.out;
    this.out = [];
    this.stats.events += events.length;
    return events;
  }

  /** When the next action is due (for the clock to sleep until then). */
  nextDue(): number {
    return this.queue.peekTime();
  }

  private emit(type: EventType, data: Record<string, unknown>): void {
    this.out.push({ t: this.now, type, data });
  }

  private run(action: Action): void {
    switch (action.kind) {
      case 'arrival':
        if (action.token !== this.arrivalToken) return; // superseded by a rate change
        this.arrive();
        this.scheduleArrival();
        return;
      case 'advance':
        return this.advance(action.order);
      case 'replenish':
        return this.replenish(action.product);
      case 'sweep':
        this.sweep();
        this.queue.push(this.now + SWEEP_EVERY_MS, { kind: 'sweep' });
        return;
      case 'hourly':
        this.analytics.hourly((type, data) => this.emit(type, data));
        this.queue.push(this.now + HOUR_MS, { kind: 'hourly' });
        return;
      case 'daily': {
        const offset = this.world.offset;
        this.analytics.daily(localDate(this.now - 1, offset), localDate(this.now, offset), (type, data) => this.emit(type, data));
        this.queue.push(this.nextMidnight(this.now + 1), { kind: 'daily' });
        return;
      }
    }
  }

  private scheduleArrival(): void {
    const a = this.settings.arrivals;
    const gapMs =
      a.mode === 'rate'
        ? (-Math.log(1 - this.arrivalsRng.next()) / a.ratePerMinute) * MINUTE_MS
        : this.arrivalsRng.range(a.delaySeconds[0], a.delaySeconds[1]) * 1000;
    // Fractional milliseconds: at high rates whole-millisecond gaps would cap arrivals at 60,000 a minute.
    this.queue.push(this.now + gapMs, { kind: 'arrival', token: ++this.arrivalToken });
  }

  private arrive(): void {
    const draft = draftOrder(this.world, this.ordersRng, orderId(this.orderIndex++), this.now, this.patterns);
    const order: ActiveOrder = {
      draft,
      status: 'pending',
      cancelAtStage: draft.anomaly === 'cancellation' ? this.lifeRng.int(0, 2) : -1,
      waiting: 0,
      held: false,
      sale: saleOf(this.world, draft),
    };
    this.stats.newOrders++;
    this.stats.active++;
    this.analytics.orderPlaced(draft.totalCents);
    this.emitOrder('order.created', order);
    for (const line of draft.lines) {
      if (!this.take(line.productIndex, line.quantity, draft.id)) {
        line.backordered = true;
        order.waiting++;
        this.backorders[line.productIndex].push({ order, line, qty: line.quantity });
      }
    }
    if (order.waiting) this.stats.backordered++;
    if (this.onPlaced) {
      const at = iso(this.now);
      const expectedMs = this.now + this.world.scenario.patterns[draft.pattern].deliveryDays * DAY_MS;
      const state = { status: 'pending' as const, history: [{ status: 'pending' as const, at }], expectedMs, deliveredAt: null, trackingNumber: null, cancellationReason: null, updatedAt: at };
      this.onPlaced(orderRecordOf(this.world, draft, state), orderItemRecordsOf(draft, 'pending'));
    }
    this.scheduleNext(order);
  }

  private scheduleNext(order: ActiveOrder): void {
    const timings = this.settings.lifecycle;
    const range =
      order.status === 'pending' ? timings.pendingToConfirmed : order.status === 'confirmed' ? timings.confirmedToProcessing : timings.processingToShipped;
    const delay = Math.round(this.lifeRng.range(range[0], range[1]) * 1000);
    this.queue.push(this.now + Math.max(1, delay), { kind: 'advance', order });
  }

  private advance(order: ActiveOrder): void {
    if (order.cancelAtStage === STAGE[order.status]) return this.cancel(order);
    const next = NEXT_STATUS[order.status];
    if (!next) return;
    if (next === 'processing' && order.waiting > 0) {
      order.held = true; // resumes when its stock arrives
      return;
    }
    order.status = next;
    this.stats.transitions++;
    this.emitOrder('order.updated', order);
    if (next === 'shipped') {
      this.analytics.orderShipped();
      this.stats.shipped++;
      this.stats.active--;
      return;
    }
    this.scheduleNext(order);
  }

  private cancel(order: ActiveOrder): void {
    const reason = this.lifeRng.pick(this.world.market.orders.cancellationReasons);
    order.status = 'cancelled';
    this.stats.transitions++;
    this.stats.cancelled++;
    this.stats.active--;
    this.analytics.orderCancelled();
    this.emitOrder('order.cancelled', order, { reason });
    for (const line of order.draft.lines) {
      if (!line.backordered) this.put(line.productIndex, line.quantity, 'return', order.draft.id);
      else {
        const queue = this.backorders[line.productIndex];
        const at = queue.findIndex((b) => b.order === order);
        if (at >= 0) queue.splice(at, 1);
      }
    }
    if (order.waiting) this.stats.backordered--;
  }

  private emitOrder(type: EventType, order: ActiveOrder, extra: Record<string, unknown> = {}): void {
    this.emit(type, { ...order.sale, timestamp: iso(this.now), status: order.status, ...extra });
  }

  /** Takes units off the shelf if they are all there. */
  private take(i: number, qty: number, orderId: string): boolean {
    const before = this.level[i];
    if (before < qty) {
      if (!this.reorderPending[i]) this.reorder(i);
      return false;
    }
    this.level[i] = before - qty;
    this.recordSale(i, qty);
    this.stockChanged(i, before, 'fulfilment', orderId);
    return true;
  }

  private put(i: number, qty: number, movement: 'return' | 'restock', orderId: string | null): void {
    const before = this.level[i];
    this.level[i] = before + qty;
    this.stockChanged(i, before, movement, orderId);
  }

  private stockChanged(i: number, before: number, movement: string, orderId: string | null): void {
    const p = this.world.dims.products[i];
    const after = this.level[i];
    this.emit('stock.updated', { product_id: p.product_id, product_name: p.name, previous_stock: before, current_stock: after, movement_type: movement, order_id: orderId });
    const threshold = this.threshold[i];
    if (after === 0 && before > 0) {
      this.emit('stock.out', { product_id: p.product_id, product_name: p.name });
    } else if (after < threshold && before >= threshold) {
      this.emit('stock.low', { product_id: p.product_id, product_name: p.name, current_stock: after, threshold });
    }
    if (after < threshold && before >= threshold) {
      this.emit('alert.low_stock', {
        affected_products: [{ product_id: p.product_id, product_name: p.name, current_stock: after, threshold }],
        alert_level: after === 0 ? 'critical' : 'warning',
      });
    }
    if (after < threshold && !this.reorderPending[i]) this.reorder(i);
    if (after < before) this.checkStockoutRisk(i);
  }

  private reorder(i: number): void {
    const p = this.world.dims.products[i];
    this.reorderPending[i] = 1;
    this.emit('alert.reorder_needed', {
      product_id: p.product_id,
      product_name: p.name,
      current_stock: this.level[i],
      recommended_quantity: this.par[i] - this.level[i] + this.owed(i),
      supplier_id: p.supplier_id,
    });
    const lead = this.stockRng.range(LEAD_TIME_MS[0], LEAD_TIME_MS[1]);
    this.queue.push(this.now + Math.round(lead), { kind: 'replenish', product: i });
  }

  private owed(i: number): number {
    return this.backorders[i].reduce((sum, b) => sum + b.qty, 0);
  }

  /** The supplier's delivery: back to par plus what waiting orders need, then those orders resume. */
  private replenish(i: number): void {
    const p = this.world.dims.products[i];
    this.reorderPending[i] = 0;
    this.riskFlagged[i] = 0;
    const quantity = Math.max(0, this.par[i] - this.level[i] + this.owed(i));
    if (quantity > 0) {
      const before = this.level[i];
      this.level[i] = before + quantity;
      this.emit('stock.replenished', { product_id: p.product_id, product_name: p.name, quantity_added: quantity, new_stock: this.level[i] });
      this.emit('stock.updated', { product_id: p.product_id, product_name: p.name, previous_stock: before, current_stock: this.level[i], movement_type: 'restock', order_id: null });
    }
    const waiting = this.backorders[i];
    this.backorders[i] = [];
    for (const b of waiting) {
      const before = this.level[i];
      this.level[i] = before - b.qty;
      this.recordSale(i, b.qty);
      this.emit('stock.updated', { product_id: p.product_id, product_name: p.name, previous_stock: before, current_stock: this.level[i], movement_type: 'backorder_filled', order_id: b.order.draft.id });
      b.line.backordered = false; // filled: a later cancellation returns these units
      if (--b.order.waiting === 0) {
        this.stats.backordered--;
        // Only an order that stopped for stock is rescheduled; any other still has its next step queued.
        if (b.order.held) {
          b.order.held = false;
          this.scheduleNext(b.order);
        }
      }
    }
  }

  private recordSale(i: number, qty: number): void {
    const decay = Math.exp(-(this.now - this.demandAt[i]) / DEMAND_WINDOW_MS);
    this.demand[i] = this.demand[i] * decay + qty;
    this.demandAt[i] = this.now;
    this.lastSaleAt[i] = this.now;
    this.analytics.unitsSold(i, qty);
    this.deadFlagged[i] = 0;
  }

  /** Days of stock left at the recent sales rate (units per demand window, decayed). */
  private checkStockoutRisk(i: number): void {
    if (this.riskFlagged[i] || this.level[i] === 0) return;
    const perDay = (this.demand[i] * DAY_MS) / DEMAND_WINDOW_MS;
    if (perDay <= 0) return;
    const days = this.level[i] / perDay;
    if (days >= STOCKOUT_RISK_DAYS) return;
    const p = this.world.dims.products[i];
    this.riskFlagged[i] = 1;
    this.emit('alert.stockout_risk', { product_id: p.product_id, product_name: p.name, current_stock: this.level[i], days_until_stockout: Math.round(days * 1000) / 1000 });
  }

  /** Hourly: products that have not sold for a day are dead stock (flagged once per quiet spell). */
  private sweep(): void {
    const products = this.world.dims.products;
    for (let i = 0; i < products.length; i++) {
      const quiet = this.now - this.lastSaleAt[i];
      if (quiet < DEAD_STOCK_AFTER_MS || this.deadFlagged[i]) continue;
      this.deadFlagged[i] = 1;
      const p = products[i];
      this.emit('alert.dead_stock', {
        product_id: p.product_id,
        product_name: p.name,
        days_since_sale: Math.floor(quiet / DAY_MS),
        value: Math.round(this.level[i] * p.unit_price * 100) / 100,
        current_stock: this.level[i],
      });
    }
  }

}

function patternTable(freq: Record<PatternName, number>): AliasTable<PatternName> {
  return new AliasTable(PATTERN_NAMES, PATTERN_NAMES.map((p) => freq[p]));
}

function meanUnits(world: World): number {
  const [lo, hi] = world.market.orders.quantity;
  const lines = world.market.orders.linesPerOrder.reduce((s, w, i) => s + w * (i + 1), 0) / world.market.orders.linesPerOrder.reduce((a, b) => a + b, 0);
  return ((lo + hi) / 2) * lines * 1.5;
}

/** Spec 004's sale object for an order's first line, plus what spec 003's order events name. */
function saleOf(world: World, d: OrderDraft): Record<string, unknown> {
  const first = d.lines[0];
  const c = d.customer;
  return {
    order_id: d.id,
    timestamp: iso(d.t0),
    product_id: first.product.product_id,
    product_name: first.product.name,
    quantity: first.quantity,
    price: first.unitCents / 100,
    total: first.lineCents / 100,
    customer_id: c.customer_id,
    customer_email: c.email,
    payment_method: d.method,
    shipping_address: c.shipping_address,
    status: 'pending',
    items_count: d.lines.length,
    total_amount: d.totalCents / 100,
    currency: world.market.currency,
    pattern_type: d.pattern,
    priority: world.scenario.patterns[d.pattern].priority,
    region: c.region,
  };
}

/** Keys of the spec 004 sale object, in its order: what `stream` prints. */
export const SALE_FIELDS = [
  'order_id',
  'timestamp',
  'product_id',
  'product_name',
  'quantity',
  'price',
  'total',
  'customer_id',
  'customer_email',
  'payment_method',
  'shipping_address',
  'status',
] as const;

export function saleView(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SALE_FIELDS) out[k] = data[k];
  return out;
}

/** Where a simulation restarted from the store picks up: order numbering and shelf levels. */
export interface LiveResume {
  /** The global index of the next order (orders before it exist already). */
  firstOrderIndex?: number;
  /** Shelf levels by product id; products not named start at their par level. */
  stock?: ReadonlyMap<string, number>;
}

export interface LiveSetup {
  scenario: ScenarioProfile;
  marketId: string;
  seed: number;
  startMs: number;
  arrivals: LiveSettings['arrivals'];
  speed?: number;
  multiplier?: number;
  resume?: LiveResume;
}

/** A live simulation starting at `startMs`, with the scenario's pattern mix and lifecycle timings. */
export function createLiveSimulation(setup: LiveSetup): LiveSimulation {
  const market = getMarket(setup.marketId);
  const date = localDate(setup.startMs, market.utcOffsetMinutes);
  const world = new World({ seed: setup.seed, from: date, to: date, multiplier: setup.multiplier ?? 1, scenario: setup.scenario, marketId: setup.marketId });
  const patterns = Object.fromEntries(PATTERN_NAMES.map((p) => [p, setup.scenario.patterns[p].frequency])) as Record<PatternName, number>;
  return new LiveSimulation(world, setup.startMs, { arrivals: setup.arrivals, patterns, lifecycle: setup.scenario.lifecycle, speed: setup.speed ?? 1 }, setup.resume);
}
