/**
 * The live simulation: the engine with an arrival process of its own and settings that
 * change while it runs (arrivals, pattern mix, lifecycle timings; the clock's speed and
 * pause live in LiveClock). With the scenario's arrivals and no change, it produces exactly
 * the events a batch run writes for the same days: orders are planned the same way, day by
 * day from the same epoch, and numbered in arrival order from the same first index.
 *
 * A change applies from the moment it is made: the pattern mix and timings to orders
 * placed afterwards, a new arrival rate to arrivals afterwards (and the stock policy is
 * resized for it).
 */
import { getMarket } from '../catalog/index.js';
import { PATTERN_NAMES, type PatternName } from '../domain/entities.js';
import { mergePatterns, type LiveSettings, type SimulationPatch } from '../domain/live.js';
import type { LifecycleTimings, ScenarioProfile } from '../domain/scenario.js';
import { AliasTable } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import { arrivalTimes, planDay } from './arrivals.js';
import { Engine, type EngineStats, type OrderSource, type Placement, type Track } from './engine.js';
import { ALLOCATED, type Outcome } from './lifecycle.js';
import { effectsOf, planOrder, replan, type OrderSettings, type PlannedOrder } from './order-plan.js';
import { draftOrder } from './orders.js';
import type { TimedEvent } from './order-events.js';
import { DAY_MS, MINUTE_MS, localDate, localMidnight } from './time.js';
import { orderIndexOf } from '../domain/ids.js';
import { World } from './world.js';
import type { Movement, PurchaseOrder } from './ledger.js';

/** A published event, with the plan of the order it belongs to (the store writes the order's rows from it). */
export type LiveEvent = TimedEvent & { plan?: PlannedOrder };

export function patternTable(freq: Record<PatternName, number>): AliasTable<PatternName> {
  return new AliasTable(PATTERN_NAMES, PATTERN_NAMES.map((p) => freq[p]));
}

/** New orders: day plans of the scenario, or a flat Poisson rate, or uniform gaps; each planned when it arrives. */
class LiveArrivals implements OrderSource {
  private day = -1;
  private times: Float64Array = new Float64Array(0);
  private next = 0;
  private nextAt = Number.NaN;
  private readonly gaps: Rng;
  nextIndex: number;

  constructor(
    private readonly world: World,
    private readonly sim: LiveSimulation,
    firstIndex: number,
  ) {
    this.nextIndex = firstIndex;
    this.gaps = Rng.derive(world.config.seed, 'live', 'arrivals');
  }

  /** The arrival settings changed at `now`: arrivals from now on follow them. */
  restart(now: number): void {
    const a = this.sim.arrivalSettings;
    if (a.mode === 'scenario') {
      this.day = Math.floor((now - this.world.startMs) / DAY_MS);
      this.load(now);
    } else {
      this.nextAt = now + this.gap();
    }
  }

  private load(from: number): void {
    const plan = planDay(this.world, this.day, 0);
    this.times = arrivalTimes(this.world, plan);
    this.next = 0;
    while (this.next < this.times.length && this.times[this.next] < from) this.next++;
  }

  private gap(): number {
    const a = this.sim.arrivalSettings;
    // Fractional milliseconds: at high rates whole-millisecond gaps would cap arrivals at 60,000 a minute.
    if (a.mode === 'rate') return (-Math.log(1 - this.gaps.next()) / a.ratePerMinute) * MINUTE_MS;
    if (a.mode === 'delay') return this.gaps.range(a.delaySeconds[0], a.delaySeconds[1]) * 1000;
    throw new Error('no gap in scenario mode');
  }

  peek(): number {
    if (this.sim.arrivalSettings.mode !== 'scenario') return this.nextAt;
    // The day is over: the next day's plan (never more than one day ahead of the clock).
    while (this.next >= this.times.length) {
      this.day++;
      this.load(Number.NEGATIVE_INFINITY);
    }
    return this.times[this.next];
  }

  take(): Placement | null {
    const scenario = this.sim.arrivalSettings.mode === 'scenario';
    const t0 = scenario ? this.times[this.next++] : this.nextAt;
    if (!scenario) this.nextAt = t0 + this.gap();
    // A safety valve, not a model: past the cap on orders in flight, arrivals do not happen.
    if (this.sim.atCapacity()) return null;
    const settings = this.sim.orderSettings;
    const plan = planOrder(this.world, this.nextIndex++, t0, settings, ALLOCATED);
    const lines = plan.draft.lines;
    return {
      index: plan.draft.index,
      t0,
      products: lines.map((l) => l.productIndex),
      quantities: lines.map((l) => l.quantity),
      damaged: plan.draft.anomaly === 'stockout',
      totalCents: plan.draft.totalCents,
      region: this.world.regionOf(plan.draft.customer.region),
      pattern: PATTERN_NAMES.indexOf(plan.draft.pattern),
      effects: effectsOf(plan),
      plan,
      settings,
    };
  }

  replan(order: Track, outcome: Outcome): PlannedOrder {
    const settings = order.settings as OrderSettings;
    const draft = order.plan?.draft ?? draftOrder(this.world, order.index, order.t0, settings.patterns);
    return replan(this.world, draft, settings.timings, outcome);
  }

  planOf(order: Track): PlannedOrder {
    return planOrder(this.world, order.index, order.t0, order.settings as OrderSettings, order.outcome);
  }
}

export interface LiveHooks {
  onMovement?: (m: Movement) => void;
  /** The simulation reached its cap on orders in flight (new arrivals are skipped), or went back below it. */
  onCapacity?: (full: boolean, active: number) => void;
}

/** Orders in flight (placed and not yet delivered, failed or cancelled) beyond which arrivals are skipped. */
export const DEFAULT_MAX_ACTIVE_ORDERS = 100_000;

/** Something a planner did to the running simulation through the API. */
type StockFollowing = { type: 'fulfilment' | 'return' | 'adjustment'; orderId: string | null; reason: 'order_cancelled' | 'manual_adjustment' | null };
/** What the API asks of the running simulation; each is recorded, so a restart replays it. */
export type PlannerAction =
  | { kind: 'retrain' }
  | { kind: 'reorder'; productId: string; quantity: number }
  | { kind: 'stock'; productId: string; change: number; how: StockFollowing };

/**
 * A change that shaped the simulation (arrivals, pattern mix, timings; a retraining or a
 * purchase order asked for through the API), with the simulated instant it took effect.
 */
export interface SimulationChange {
  atMs: number;
  patch?: SimulationPatch;
  action?: PlannerAction;
}

export class LiveSimulation {
  private settings: LiveSettings;
  /** Every change that shaped the simulation, in order: with the epoch and the seed, what a restart replays. */
  readonly changes: SimulationChange[] = [];
  orderSettings: OrderSettings;
  private readonly arrivals: LiveArrivals;
  private readonly engine: Engine;
  private out: LiveEvent[] = [];

  constructor(
    readonly world: World,
    /** The simulation's epoch: its first instant (stock opens, day 0 begins). */
    readonly startMs: number,
    settings: Omit<LiveSettings, 'paused' | 'speed'> & Partial<Pick<LiveSettings, 'paused' | 'speed'>>,
    private readonly options: { firstOrderIndex?: number; hooks?: LiveHooks; publishMovements?: boolean; attachPlans?: boolean; maxActive?: number } = {},
  ) {
    this.settings = { speed: 1, paused: false, ...settings };
    this.orderSettings = { patterns: patternTable(this.settings.patterns), timings: this.settings.lifecycle };
    this.arrivals = new LiveArrivals(world, this, options.firstOrderIndex ?? 0);
    this.engine = new Engine({
      world,
      startMs,
      source: this.arrivals,
      publishOrders: true,
      publishMovements: options.publishMovements ?? true,
      // The plan rides along only where a consumer writes the order's rows (it keeps the plan alive).
      onEvent: options.attachPlans ? (e, _order, plan) => this.out.push(plan && (e.type === 'order.created' || e.type === 'order.updated') ? { ...e, plan } : e) : (e) => this.out.push(e),
      onMovement: options.hooks?.onMovement,
      ordersPerDay: this.ordersPerMinute() * 1440,
    });
    this.arrivals.restart(startMs);
  }

  get now(): number {
    return this.engine.now;
  }

  get stats(): EngineStats {
    return this.engine.stats;
  }

  /** The global index the next order will take. */
  get nextOrderIndex(): number {
    return this.arrivals.nextIndex;
  }

  get ledger() {
    return this.engine.ledger;
  }

  current(): LiveSettings {
    return structuredClone(this.settings);
  }

  private full = false;
  /** At the cap on orders in flight (as of the last arrival). */
  get capped(): boolean {
    return this.full;
  }
  /** Whether the orders in flight reached the cap (told to the hooks when it changes). */
  atCapacity(): boolean {
    const cap = this.options.maxActive ?? DEFAULT_MAX_ACTIVE_ORDERS;
    const active = this.engine.stats.active;
    const full = this.full ? active >= cap * 0.9 : active >= cap;
    if (full !== this.full) {
      this.full = full;
      this.options.hooks?.onCapacity?.(full, active);
    }
    return full;
  }

  /** Speed and pause, uncopied (the clock reads them on every tick). */
  get pacing(): Readonly<Pick<LiveSettings, 'speed' | 'paused'>> {
    return this.settings;
  }

  /** The arrival settings, uncopied (read on every arrival). */
  get arrivalSettings(): LiveSettings['arrivals'] {
    return this.settings.arrivals;
  }

  /** Mean new orders per simulated minute under the current arrival settings (or under `a`). */
  ordersPerMinute(a: LiveSettings['arrivals'] = this.settings.arrivals): number {
    if (a.mode === 'scenario') return this.world.expectedOrdersPerDay() / 1440;
    return a.mode === 'rate' ? a.ratePerMinute : 60 / ((a.delaySeconds[0] + a.delaySeconds[1]) / 2);
  }

  /** Applies a validated patch from now on; throws RangeError (with a readable message) when the patterns cannot add up. */
  update(patch: SimulationPatch): LiveSettings {
    const next = structuredClone(this.settings);
    const previousArrivals = this.settings.arrivals;
    if (patch.patterns) next.patterns = mergePatterns(next.patterns, patch.patterns);
    if (patch.lifecycle) next.lifecycle = { ...next.lifecycle, ...patch.lifecycle } as LifecycleTimings;
    if (patch.ratePerMinute !== undefined) next.arrivals = { mode: 'rate', ratePerMinute: patch.ratePerMinute };
    if (patch.delaySeconds !== undefined) next.arrivals = { mode: 'delay', delaySeconds: patch.delaySeconds };
    if (patch.arrivals === 'scenario') next.arrivals = { mode: 'scenario' };
    if (patch.speed !== undefined) next.speed = patch.speed;
    if (patch.paused !== undefined) next.paused = patch.paused;
    const arrivalsChanged = JSON.stringify(next.arrivals) !== JSON.stringify(this.settings.arrivals);
    const ordersChanged = patch.patterns !== undefined || patch.lifecycle !== undefined;
    if (arrivalsChanged || ordersChanged) {
      const { speed: _speed, paused: _paused, ...shaping } = patch;
      this.changes.push({ atMs: this.engine.now, patch: shaping });
    }
    this.settings = next;
    if (ordersChanged) this.orderSettings = { patterns: patternTable(next.patterns), timings: next.lifecycle };
    if (arrivalsChanged) {
      const before = this.ordersPerMinute(previousArrivals);
      // Poisson arrivals are memoryless, and a day plan is redrawn from now: the next arrival follows the new settings.
      this.arrivals.restart(this.engine.now);
      this.engine.planner.rescale(this.ordersPerMinute() / before);
      this.engine.ledger.setDemand(this.ordersPerMinute() * 1440, this.engine.now);
    }
    return this.current();
  }

  /** Applies a planner's action now (and records it, so a restart replays it). */
  act(action: PlannerAction): { retrained: string[] } | { purchaseOrder: PurchaseOrder } | { followed: boolean } {
    if (action.kind === 'stock') return { followed: this.followStock(action.productId, action.change, action.how) };
    this.changes.push({ atMs: this.engine.now, action });
    if (action.kind === 'retrain') {
      this.engine.retrain();
      return { retrained: this.engine.planner.categories.filter((c) => this.engine.planner.forecastOf(c) !== null) };
    }
    const i = this.productIndex.get(action.productId);
    if (i === undefined) throw new RangeError(`this simulation does not stock ${action.productId}`);
    return { purchaseOrder: this.engine.reorder(i, action.quantity) };
  }

  /** Whether the simulation stocks a product. */
  stocks(productId: string): boolean {
    return this.productIndex.has(productId);
  }

  /** The demand planner: its forecasts and last accuracy figures. */
  get planner() {
    return this.engine.planner;
  }

  /** Purchase orders not yet arrived, per product index. */
  get openOrders(): ReadonlyArray<readonly number[]> {
    return this.engine.signals.openDeliveries;
  }

  /**
   * Runs everything due at or before `t` and returns the events it produced, in time order.
   * With a `budget`, it stops after that many steps (`now` is then the last one's time).
   */
  advanceTo(t: number, budget = Number.POSITIVE_INFINITY): LiveEvent[] {
    this.engine.advanceTo(t, budget);
    const events = this.out;
    this.out = [];
    return events;
  }

  /** When the next thing is due (for the clock to sleep until then). */
  nextDue(): number {
    return this.engine.nextDue();
  }

  /**
   * Stock someone else changed (the API, a manual count) by `change` units: the warehouse
   * follows now, and acts on it like on any change (alerts, reorders, waiting orders).
   * Returns false for a product this simulation does not stock.
   */
  followStock(productId: string, change: number, how: StockFollowing): boolean {
    const i = this.productIndex.get(productId);
    if (i === undefined) return false;
    // Recorded like the planner's actions: a restart replays it, so stock, alerts and their ids come out the same.
    this.changes.push({ atMs: this.engine.now, action: { kind: 'stock', productId, change, how } });
    this.engine.ledger.follow(i, change, this.engine.now, how.type, how.orderId ? orderIndexOf(how.orderId) : -1, how.reason);
    if (how.reason === 'manual_adjustment') this.engine.signals.checkNow(i, this.engine.now);
    return true;
  }

  /** An order the API now drives: the simulation stops moving it. */
  release(orderId: string): boolean {
    const index = orderIndexOf(orderId);
    return index >= 0 && this.engine.release(index);
  }

  private get productIndex(): Map<string, number> {
    return (this.productIndexCache ??= new Map(this.world.dims.products.map((p, i) => [p.product_id, i])));
  }
  private productIndexCache: Map<string, number> | null = null;
}

export interface LiveSetup {
  scenario: ScenarioProfile;
  marketId: string;
  seed: number;
  /** The first instant published: everything before it is simulated silently. */
  startMs: number;
  /** The arrivals it starts with (at the epoch). */
  arrivals: LiveSettings['arrivals'];
  /**
   * The simulation's first instant (default: with scenario arrivals, the local midnight of
   * `startMs`'s day, so its orders, stock and ids are those `generate --from <that day>`
   * writes; otherwise `startMs` itself).
   */
  epochMs?: number;
  /** Changes made before `startMs` (a restarted server replays them), in order. */
  changes?: readonly SimulationChange[];
  speed?: number;
  multiplier?: number;
  firstOrderIndex?: number;
  hooks?: LiveHooks;
  /** Attach each order's plan to its created and updated events (to write its rows). */
  attachPlans?: boolean;
  /** The cap on orders in flight (default DEFAULT_MAX_ACTIVE_ORDERS). */
  maxActive?: number;
}

/**
 * Where a stopped simulation resumes: its last step's instant, exact. Steps fall on fractional
 * milliseconds, so a rounded instant would replay a step published already (rounded down: the
 * restarted server sent that order again and failed to store it twice) or skip one (rounded up).
 */
export function resumePoint(sim: LiveSimulation): number {
  return sim.now;
}

/** The `startMs` that continues a simulation stopped at `point`: replayed silently through it, published after it. */
export function resumeStartMs(point: number): number {
  return point + 1;
}

/** A live simulation of the scenario, run silently from its epoch up to `startMs` (steps at `startMs - 1` included). */
export function createLiveSimulation(setup: LiveSetup): LiveSimulation {
  const market = getMarket(setup.marketId);
  const offset = market.utcOffsetMinutes;
  const epoch = setup.epochMs ?? (setup.arrivals.mode === 'scenario' ? localMidnight(localDate(setup.startMs, offset), offset) : setup.startMs);
  const date = localDate(epoch, offset);
  const world = new World({ seed: setup.seed, from: date, to: date, multiplier: setup.multiplier ?? 1, scenario: setup.scenario, marketId: setup.marketId });
  const patterns = Object.fromEntries(PATTERN_NAMES.map((p) => [p, setup.scenario.patterns[p].frequency])) as Record<PatternName, number>;
  const sim = new LiveSimulation(
    world,
    epoch,
    { arrivals: setup.arrivals, patterns, lifecycle: setup.scenario.lifecycle, speed: setup.speed ?? 1 },
    { firstOrderIndex: setup.firstOrderIndex, hooks: setup.hooks, attachPlans: setup.attachPlans, maxActive: setup.maxActive },
  );
  for (const change of setup.changes ?? []) {
    sim.advanceTo(change.atMs);
    if (change.patch) sim.update(change.patch);
    if (change.action) sim.act(change.action);
  }
  if (sim.now < setup.startMs) sim.advanceTo(setup.startMs - 1);
  return sim;
}
