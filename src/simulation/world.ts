/**
 * Everything fixed for a run: the resolved scenario and market, the dimension tables and
 * the samplers built from them, and the day plan (the time-series engine's output).
 * A worker builds the same World from the same SimulationConfig.
 */
import { getMarket } from '../catalog/index.js';
import type { Basket, MarketPack } from '../catalog/types.js';
import type { OrderAnomalyKind } from '../domain/anomalies.js';
import { ORDER_ANOMALY_KINDS } from '../domain/anomalies.js';
import { DIMENSION_ENTITIES, PATTERN_NAMES, type PatternName } from '../domain/entities.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { AliasTable } from '../random/distributions.js';
import { planDay, type DayPlan } from './arrivals.js';
import { Rng } from '../random/rng.js';
import { CalendarIndex, type CalendarDay } from './calendar.js';
import { buildDimensions, type Dimensions } from './dimensions.js';
import { meanLinesPerOrder } from './policy.js';
import { DAY_MS, dayOfYear, localMidnight, localWeekday } from './time.js';

export type { DayPlan } from './arrivals.js';

export interface SimulationConfig {
  seed: number;
  /** The first simulated day (local midnight of it is the run's epoch: day 0). */
  from: string;
  to: string;
  multiplier: number;
  scenario: ScenarioProfile;
  marketId: string;
  /** The dataset's "now", if not the end of `to` (serve seeds its store up to the instant it starts). */
  asOfMs?: number;
}

function normalisedProduct(a: readonly number[], b: readonly number[]): number[] {
  const prod = a.map((v, i) => v * b[i]);
  const mean = prod.reduce((x, y) => x + y, 0) / prod.length;
  return prod.map((v) => v / mean);
}

export interface BasketTables {
  lines: AliasTable<number>;
  quantities: AliasTable<number>;
  bulkFactor: readonly [number, number];
}

export class World {
  readonly market: MarketPack;
  readonly scenario: ScenarioProfile;
  readonly offset: number;
  readonly startMs: number;
  /** The dataset's "now": nothing after this instant has happened yet. */
  readonly asOfMs: number;
  readonly dayCount: number;
  readonly dims: Dimensions;
  readonly hourWeights: number[];
  /** Orders per local weekday (mean 1): the calendar's businesses and households mixed by the market's B2B share, times the scenario's curve. */
  readonly weekdayWeights: number[];
  /** The market's calendar: working days, holidays, promotions, Ramadan. */
  readonly calendar: CalendarIndex;
  /** Businesses' and households' weekday curves (each mean 1), and the market's B2B share of orders. */
  private readonly b2bWeekday: number[];
  private readonly b2cWeekday: number[];
  private readonly b2bShare: number;
  private readonly dayHours = new Map<number[], { table: AliasTable<number>; weights: number[] }>();
  /** What each basket looks like: lines and units per line, for private customers and businesses. */
  readonly baskets: { b2c: BasketTables; b2b: BasketTables };
  /** The customers' sales regions, sorted: an order's region travels between threads as an index into it. */
  readonly regionNames: readonly string[];
  private readonly regionIndex: Map<string, number>;

  readonly hours: AliasTable<number>;
  readonly patterns: AliasTable<PatternName>;
  readonly paymentMethods: AliasTable<string>;
  readonly products: AliasTable<number>;
  readonly b2bCustomers: AliasTable<number> | null;
  readonly b2cCustomers: AliasTable<number> | null;
  readonly vipCustomers: AliasTable<number> | null;
  readonly anomalyKinds: AliasTable<OrderAnomalyKind>;
  readonly visitTypes: AliasTable<string>;
  /** Why an injected cancellation happens: any of the market's reasons but running out of stock (that one is the warehouse's, emergent). */
  readonly injectedCancellationReasons: readonly string[];

  constructor(readonly config: SimulationConfig) {
    this.market = getMarket(config.marketId);
    this.scenario = config.scenario;
    this.offset = this.market.utcOffsetMinutes;
    this.startMs = localMidnight(config.from, this.offset);
    this.asOfMs = config.asOfMs ?? localMidnight(config.to, this.offset) + DAY_MS;
    this.dayCount = Math.max(0, Math.ceil((this.asOfMs - this.startMs) / DAY_MS));
    this.dims = buildDimensions({
      seed: config.seed,
      multiplier: config.multiplier,
      startMs: this.startMs,
      market: this.market,
      scenario: this.scenario,
    });
    this.regionNames = [...new Set(this.dims.customers.map((c) => c.region))].sort();
    this.regionIndex = new Map(this.regionNames.map((r, i) => [r, i]));
    const activity = this.market.activity;
    this.hourWeights = normalisedProduct(activity.hourOfDay, this.scenario.timeSeries.hourOfDay);
    this.calendar = new CalendarIndex(this.market.calendar, this.offset);
    const flat7 = Array<number>(7).fill(1);
    this.b2bWeekday = normalisedProduct(this.market.calendar.dayOfWeek.b2b, flat7);
    this.b2cWeekday = normalisedProduct(this.market.calendar.dayOfWeek.b2c, flat7);
    this.b2bShare = this.dims.customers.some((c) => c.company_id === null) ? this.market.customers.b2bOrderShare : 1;
    const mixed = this.b2bWeekday.map((b, d) => this.b2bShare * b + (1 - this.b2bShare) * this.b2cWeekday[d]);
    this.weekdayWeights = normalisedProduct(mixed, this.scenario.timeSeries.dayOfWeek);
    const basket = (b: Basket): BasketTables => ({
      lines: new AliasTable(b.lines.map((_, i) => i + 1), b.lines),
      quantities: AliasTable.of(b.quantities),
      bulkFactor: b.bulkFactor,
    });
    this.baskets = { b2c: basket(this.market.orders.baskets.b2c), b2b: basket(this.market.orders.baskets.b2b) };

    this.hours = new AliasTable(this.hourWeights.map((_, h) => h), this.hourWeights);
    this.patterns = new AliasTable(PATTERN_NAMES, PATTERN_NAMES.map((p) => this.scenario.patterns[p].frequency));
    this.paymentMethods = AliasTable.of(this.market.orders.paymentMethods);
    this.products = new AliasTable(this.dims.products.map((_, i) => i), this.dims.productWeights);

    // Repeat business: some accounts order far more than others (a gentle Zipf, s = 0.6).
    const customers = this.dims.customers;
    const pool = (filter: (i: number) => boolean): AliasTable<number> | null => {
      const idx = customers.map((_, i) => i).filter(filter);
      if (!idx.length) return null;
      const rank = Rng.derive(config.seed, 'customer-ranks', idx.length).shuffle(idx.map((_, k) => k + 1));
      return new AliasTable(idx, rank.map((r) => 1 / Math.pow(r, 0.6)));
    };
    this.b2bCustomers = pool((i) => customers[i].company_id !== null);
    this.b2cCustomers = pool((i) => customers[i].company_id === null);
    this.vipCustomers = pool((i) => customers[i].tier === 'vip');
    const mix = this.scenario.anomalyMix;
    this.anomalyKinds = new AliasTable(ORDER_ANOMALY_KINDS, ORDER_ANOMALY_KINDS.map((k) => mix[k]));
    this.visitTypes = AliasTable.of(this.market.maintenance.visitTypes);
    const reasons = this.market.orders.cancellationReasons.filter((r) => r !== 'out_of_stock');
    this.injectedCancellationReasons = reasons.length ? reasons : ['customer_request'];
  }

  /** The calendar day of an instant. */
  dayAt(ms: number): CalendarDay {
    return this.calendar.at(ms);
  }

  /** How a day's holidays and promotions move its orders, relative to its weekday. */
  calendarFactor(dayStartMs: number): number {
    const day = this.calendar.at(dayStartMs);
    if (day.b2b === 1 && day.b2c === 1) return 1;
    const w = day.weekday;
    const plain = this.b2bShare * this.b2bWeekday[w] + (1 - this.b2bShare) * this.b2cWeekday[w];
    return (this.b2bShare * this.b2bWeekday[w] * day.b2b + (1 - this.b2bShare) * this.b2cWeekday[w] * day.b2c) / plain;
  }

  /** The chance that an order placed at `ms` comes from a business: high on working days, low on weekends and holidays. */
  b2bShareAt(ms: number): number {
    const day = this.calendar.at(ms);
    const w = day.weekday;
    const b = this.b2bShare * this.b2bWeekday[w] * day.b2b;
    const c = (1 - this.b2bShare) * this.b2cWeekday[w] * day.b2c;
    return b + c > 0 ? b / (b + c) : this.b2bShare;
  }

  /** The hour-of-day curve of a day (the market's, or its calendar's for days like Ramadan), with its sampler. */
  hoursOn(dayStartMs: number): { table: AliasTable<number>; weights: number[] } {
    const curve = this.calendar.at(dayStartMs).hourOfDay;
    if (!curve) return { table: this.hours, weights: this.hourWeights };
    let entry = this.dayHours.get(curve);
    if (!entry) {
      const weights = normalisedProduct(curve, this.scenario.timeSeries.hourOfDay);
      entry = { table: new AliasTable(weights.map((_, h) => h), weights), weights };
      this.dayHours.set(curve, entry);
    }
    return entry;
  }

  regionOf(name: string): number {
    return this.regionIndex.get(name) ?? 0;
  }

  /** Orders on an average day at the run's start (before weekday, season and growth). */
  expectedOrdersPerDay(): number {
    const s = this.scenario;
    return s.entityVolumes.ordersPerDay * this.config.multiplier * s.volume.orderFactor;
  }

  /** Expected orders on a day: rate × (weekday × holidays and promotions × season, at mean 1 over its year) × growth. */
  expectedOrders(dayIndex: number): number {
    const s = this.scenario;
    const dayStart = this.startMs + dayIndex * DAY_MS;
    const growth = Math.pow(1 + s.volume.monthlyGrowth, dayIndex / 30);
    const year = new Date(dayStart + this.offset * 60_000).getUTCFullYear();
    return s.entityVolumes.ordersPerDay * this.config.multiplier * s.volume.orderFactor * (this.dayShape(dayStart) / this.yearMean(year)) * growth;
  }

  /** A day's weekday × calendar × season, before normalising. */
  private dayShape(dayStart: number): number {
    const ts = this.scenario.timeSeries;
    const season = 1 + ts.seasonality.amplitude * Math.cos((2 * Math.PI * (dayOfYear(dayStart, this.offset) - ts.seasonality.peakDayOfYear)) / 365.25);
    return this.weekdayWeights[localWeekday(dayStart, this.offset)] * this.calendarFactor(dayStart) * season;
  }

  private readonly yearMeans = new Map<number, number>();

  /**
   * The mean day shape over a calendar year: holidays and promotions move orders between
   * days, they do not change a scenario's volume (peak-season stays 3× normal-ops). A pure
   * function of the year, so batch and live and any date range agree.
   */
  private yearMean(year: number): number {
    let mean = this.yearMeans.get(year);
    if (mean === undefined) {
      const first = Date.UTC(year, 0, 1) - this.offset * 60_000;
      const days = Math.round((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS);
      let sum = 0;
      for (let d = 0; d < days; d++) sum += this.dayShape(first + d * DAY_MS);
      mean = sum / days;
      this.yearMeans.set(year, mean);
    }
    return mean;
  }

  /** The time-series engine's plan of every day of the run (see arrivals.ts). */
  planDays(): DayPlan[] {
    const plans: DayPlan[] = [];
    let offset = 0;
    for (let d = 0; d < this.dayCount; d++) {
      const plan = planDay(this, d, offset);
      plans.push(plan);
      offset += plan.count;
    }
    return plans;
  }

  /**
   * Records per order, to check the record limit before any work is done: an upper bound.
   * The order, its payment, shipment, discount, audit trail, refund and about two records a
   * line (the line and its pick), plus what the scenario's injected anomalies add (a
   * cancellation or failed delivery returns every line, a damaged pick is written off and
   * picked again). Measured on half a year of every scenario × market at multipliers 0.2–3:
   * at most 0.95 of the estimate (test/quality/realism.test.ts).
   */
  estimatedRecordsPerOrder(): number {
    const lines = meanLinesPerOrder(this.market);
    const mix = this.scenario.anomalyMix;
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    const cost = { payment_delay: 0.5, delivery_delay: 0.5, delivery_failure: lines + 3, cancellation: lines + 2, stockout: 3, refund: lines + 1 };
    const anomaly = (Object.keys(cost) as Array<keyof typeof cost>).reduce((sum, k) => sum + ((mix[k] ?? 0) / total) * cost[k], 0);
    return 6.2 + 2 * lines + this.scenario.anomalyRate * anomaly;
  }

  /** The run's size before any work: the planned orders' records plus the dimension tables (checked against the record limit). */
  estimatedRecords(plans: readonly DayPlan[] = this.planDays()): number {
    const planned = plans.reduce((sum, p) => sum + p.count, 0);
    const dimensions = DIMENSION_ENTITIES.reduce((sum, e) => sum + this.dims[e].length, 0);
    return Math.round(planned * this.estimatedRecordsPerOrder()) + dimensions + Math.ceil(plans.length * this.engineRecordsPerDay());
  }

  /**
   * Forecasts, alerts and summaries a day, at most: each category's daily revision, the
   * weekly forecasts of every category and product, the day's summary, and alerts (measured:
   * 0.44 a product a week on a year of normal-ops; counted here at 1).
   */
  engineRecordsPerDay(): number {
    const products = this.dims.products.length;
    const categories = new Set(this.dims.products.map((p) => p.category)).size;
    return categories + (products + categories) / 7 + products / 7 + 1;
  }
}
