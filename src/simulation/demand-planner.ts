/**
 * The demand planner, in both speeds: it learns each category's daily demand (units
 * ordered, by local day) and, from its forecasts, sets every product's reorder policy.
 *
 *  - every local midnight: each category's model takes in the day that ended and revises
 *    its 14-day forecast (`forecast.updated`);
 *  - every Monday (and the first time as soon as there are four weeks of history), and
 *    on request: the models are trained again on up to two years of
 *    history (`model.retrained`, with their accuracy on the last four weeks held out and
 *    the seasonal-naive baseline's beside it), each category and product gets a new
 *    forecast (`forecast.generated`), and each product's reorder point and order-up-to
 *    level are recomputed from it (policy.ts: `forecastPolicy`).
 *
 * Products get their category's forecast times their share of its recent demand: one
 * product's daily sales are mostly zeros and occasional lumps, where a model of its own is
 * noise, while the category's weekly shape is well measured. The spread of a product's
 * days around that forecast (σ) sizes its safety stock. Until a category has more than
 * four weeks of history, its products keep the policy sized from the plan (ledger.ts).
 */
import type { EventData } from '../domain/events.js';
import { evaluateOnHoldout, accuracyOf } from '../forecast/accuracy.js';
import { forecastDemand, trainDemand, observeDemand, CALIBRATION_DAYS, INTERVAL, type DailyForecast, type DemandModel } from '../forecast/demand-forecast.js';
import { varianceGrowth } from '../forecast/holt-winters.js';
import type { StockLedger } from './ledger.js';
import type { TimedEvent } from './order-events.js';
import { forecastPolicy, lineQuantityMoments } from './policy.js';
import { DAY_MS, iso, localDate, localWeekday } from './time.js';
import type { World } from './world.js';

/** Days of history kept and trained on. */
export const HISTORY_DAYS = 730;
export const HORIZON_DAYS = 14;
/** History a category needs before it is first trained (four weeks: four of each weekday). */
export const MIN_TRAINING_DAYS = 28;
/** Days held out at each retraining to measure the model (fewer while the history is young, never under a week). */
export const HOLDOUT_DAYS = 28;
const MIN_HOLDOUT_DAYS = 7;
/** Recent days a product's share of its category and its spread are measured over. */
export const SHARE_DAYS = CALIBRATION_DAYS;
const MONDAY = 1;
const Z = 1.959963984540054; // the 95% interval's normal quantile

const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export type RetrainReason = 'schedule' | 'request';

interface CategoryForecast {
  id: string;
  startDate: string;
  forecast: DailyForecast;
  total: number;
}

export class DemandPlanner {
  readonly categories: string[];
  private readonly categoryOf: Int32Array;
  private readonly productsOf: number[][];
  /** Units ordered today, per product. */
  private readonly today: Float64Array;
  /** Units ordered per product per day, the last HISTORY_DAYS days: product i, day d at i·HISTORY_DAYS + d mod HISTORY_DAYS. */
  private readonly history: Float64Array;
  /** Days ended so far. */
  private days = 0;
  private readonly models: Array<DemandModel | null>;
  private readonly current: Array<CategoryForecast | null>;
  private forecastSeq = 0;
  /** Each category's accuracy at its last retraining. */
  readonly lastMetrics = new Map<string, EventData<'model.retrained'>['metrics']>();
  private readonly meanLine: number;

  constructor(
    private readonly world: World,
    private readonly ledger: () => StockLedger,
    private readonly emit: (e: TimedEvent) => void,
  ) {
    const products = world.dims.products;
    this.categories = [...new Set(products.map((p) => p.category))].sort();
    this.categoryOf = Int32Array.from(products, (p) => this.categories.indexOf(p.category));
    this.productsOf = this.categories.map(() => []);
    products.forEach((_, i) => this.productsOf[this.categoryOf[i]].push(i));
    this.today = new Float64Array(products.length);
    this.history = new Float64Array(products.length * HISTORY_DAYS);
    this.models = this.categories.map(() => null);
    this.current = this.categories.map(() => null);
    this.meanLine = lineQuantityMoments(world.market, world.scenario).mean;
  }

  /** An order line came in (demand, whether or not the shelf can serve it). */
  ordered(product: number, qty: number): void {
    this.today[product] += qty;
  }

  /** The planner has forecasts (it has been trained at least once). */
  get trained(): boolean {
    return this.models.some((m) => m !== null);
  }

  /** The current forecast of a category (null before its first training). */
  forecastOf(category: string): CategoryForecast | null {
    return this.current[this.categories.indexOf(category)] ?? null;
  }

  /** Units ordered per day over the last `days` days (oldest first), for one product or a category's products. */
  series(products: readonly number[], days = Math.min(this.days, HISTORY_DAYS)): Float64Array {
    const out = new Float64Array(days);
    for (let k = 0; k < days; k++) {
      const slot = (this.days - days + k) % HISTORY_DAYS;
      let sum = 0;
      for (const i of products) sum += this.history[i * HISTORY_DAYS + slot];
      out[k] = sum;
    }
    return out;
  }

  /** A category's units ordered per day, all the history kept (oldest first). */
  categoryDemand(category: string): Float64Array {
    return this.series(this.productsOf[this.categories.indexOf(category)] ?? []);
  }

  /** At local midnight `t`: the day that ended goes into the history and every category's forecast is revised; on Mondays, retraining. */
  endOfDay(t: number): void {
    const slot = this.days % HISTORY_DAYS;
    const n = this.today.length;
    const totals = new Float64Array(this.categories.length);
    for (let i = 0; i < n; i++) {
      this.history[i * HISTORY_DAYS + slot] = this.today[i];
      totals[this.categoryOf[i]] += this.today[i];
    }
    this.today.fill(0);
    this.days++;
    const startDate = localDate(t, this.world.offset);
    this.categories.forEach((category, c) => {
      const model = this.models[c];
      const before = this.current[c];
      if (!model || !before) return;
      observeDemand(model, totals[c]);
      const next = this.categoryForecast(model, startDate, t);
      this.current[c] = next;
      this.emit({
        t,
        type: 'forecast.updated',
        data: { forecast_id: next.id, scope: 'category', category, horizon: `${HORIZON_DAYS}d`, start_date: startDate, old_forecast: before.total, new_forecast: next.total, daily: this.daily(next) },
      });
    });
    // Weekly, and the first time as soon as there is history enough to train on.
    if (localWeekday(t, this.world.offset) === MONDAY || (!this.trained && this.days >= MIN_TRAINING_DAYS)) this.retrain(t, 'schedule');
  }

  /** Trains every category's model again on its history, forecasts every product and sets its policy. */
  retrain(t: number, reason: RetrainReason): void {
    const startDate = localDate(t, this.world.offset);
    const days = Math.min(this.days, HISTORY_DAYS);
    if (days < MIN_TRAINING_DAYS) return;
    const ledger = this.ledger();
    const { serviceLevel, parDays } = this.world.scenario.stock;
    // Four weeks held out, or as many days as leave three weeks to train on (a young history).
    const holdout = Math.min(HOLDOUT_DAYS, days - 3 * 7);
    const products = this.world.dims.products;
    this.categories.forEach((category, c) => {
      const members = this.productsOf[c];
      const units = this.series(members, days);
      // One fit: on all but the held-out days when there are enough, measured on those,
      // then carried through them (they update its state, not its parameters).
      const evaluation = holdout >= MIN_HOLDOUT_DAYS ? evaluateOnHoldout(units, holdout) : null;
      const held = evaluation ? accuracyOf(evaluation.errors) : null;
      const model = evaluation?.model ?? trainDemand(units);
      this.models[c] = model;
      const forecast = this.categoryForecast(model, startDate, t);
      this.current[c] = forecast;
      const p = model.fit.params;
      const metrics = {
        mape: held?.mape == null ? null : r3(held.mape),
        mae: held ? r2(held.mae) : null,
        bias: held ? r2(held.bias) : null,
        baseline_mape: held?.baselineMape == null ? null : r3(held.baselineMape),
      };
      this.lastMetrics.set(category, metrics);
      this.emit({
        t,
        type: 'model.retrained',
        data: {
          category,
          method: 'holt_winters',
          reason,
          training_days: days,
          holdout_days: held?.days ?? 0,
          metrics,
          parameters: { alpha: p.alpha, beta: p.beta, gamma: p.gamma, phi: p.phi },
        },
      });
      this.emit({ t, type: 'forecast.generated', data: this.generated(forecast, category, null) });
      this.planProducts(c, model, units, t, startDate, serviceLevel, parDays, ledger, products);
    });
  }

  /** Each product of a category: its share of the category's forecast, its spread, its policy. */
  private planProducts(
    c: number,
    model: DemandModel,
    categoryUnits: Float64Array,
    t: number,
    startDate: string,
    serviceLevel: number,
    parDays: number,
    ledger: StockLedger,
    products: World['dims']['products'],
  ): void {
    const days = categoryUnits.length;
    // What the model expected of each recent day, one step ahead.
    const medians = model.recentMedians;
    const recent = Math.min(SHARE_DAYS, medians.length);
    const expectedThen = new Float64Array(recent);
    let categoryTotal = 0;
    for (let k = 0; k < recent; k++) {
      expectedThen[k] = medians[medians.length - recent + k] * model.meanRatio;
      categoryTotal += categoryUnits[days - recent + k];
    }
    const members = this.productsOf[c];
    const horizon = Math.max(HORIZON_DAYS, ...members.map((i) => Math.ceil(ledger.plannedLeadDays(i)[1])));
    const category = forecastDemand(model, horizon);
    const growth = varianceGrowth(model.fit.params, HORIZON_DAYS);
    for (const i of members) {
      const own = this.series([i], recent);
      let sold = 0;
      for (let k = 0; k < recent; k++) sold += own[k];
      const share = categoryTotal > 0 ? sold / categoryTotal : 1 / members.length;
      let squares = 0;
      for (let k = 0; k < recent; k++) squares += (own[k] - share * expectedThen[k]) ** 2;
      const sigma = recent > 0 ? Math.sqrt(squares / recent) : 0;
      const expected = category.expected.map((v) => v * share);
      ledger.replan(i, forecastPolicy(expected, sigma, ledger.plannedLeadDays(i), serviceLevel, parDays, this.meanLine), t);
      const p = products[i];
      const forecast: DailyForecast = {
        median: category.median.slice(0, HORIZON_DAYS).map((v) => v * share),
        expected: expected.slice(0, HORIZON_DAYS),
        lower: expected.slice(0, HORIZON_DAYS).map((v, h) => Math.max(0, v - Z * sigma * Math.sqrt(growth[h]))),
        upper: expected.slice(0, HORIZON_DAYS).map((v, h) => v + Z * sigma * Math.sqrt(growth[h])),
      };
      const f: CategoryForecast = { id: this.nextId(t), startDate, forecast, total: r2(forecast.expected.reduce((a, b) => a + b, 0)) };
      this.emit({ t, type: 'forecast.generated', data: this.generated(f, p.category, { product_id: p.product_id, product_name: p.name }) });
    }
  }

  /**
   * The business changed pace by `ratio` (a new arrival rate while running): the history and
   * the models are rescaled, so forecasts and policies start from the new level rather than
   * learning it over weeks.
   */
  rescale(ratio: number): void {
    if (!(ratio > 0) || ratio === 1) return;
    for (let k = 0; k < this.history.length; k++) this.history[k] *= ratio;
    for (let k = 0; k < this.today.length; k++) this.today[k] *= ratio;
    // On the log scale a factor is (nearly) a shift of the level.
    for (const model of this.models) if (model) model.fit.state.level += Math.log(ratio);
  }

  private categoryForecast(model: DemandModel, startDate: string, t: number): CategoryForecast {
    const forecast = forecastDemand(model, HORIZON_DAYS);
    return { id: this.nextId(t), startDate, forecast, total: r2(forecast.expected.reduce((a, b) => a + b, 0)) };
  }

  private nextId(t: number): string {
    return `FC-${localDate(t, this.world.offset).replaceAll('-', '')}-${String(++this.forecastSeq).padStart(6, '0')}`;
  }

  /** The horizon's dates from a start date (the same for every forecast made that day). */
  private datesFrom(startDate: string): string[] {
    if (this.dates.start !== startDate) {
      const start = Date.parse(`${startDate}T00:00:00Z`);
      this.dates = { start: startDate, list: Array.from({ length: HORIZON_DAYS }, (_, h) => iso(start + h * DAY_MS).slice(0, 10)) };
    }
    return this.dates.list;
  }
  private dates = { start: '', list: [] as string[] };

  private daily(f: CategoryForecast): EventData<'forecast.generated'>['daily'] {
    const dates = this.datesFrom(f.startDate);
    return Array.from(f.forecast.median, (median, h) => ({
      date: dates[h],
      demand: r2(median),
      expected: r2(f.forecast.expected[h]),
      lower: r2(f.forecast.lower[h]),
      upper: r2(f.forecast.upper[h]),
    }));
  }

  private generated(f: CategoryForecast, category: string, product: { product_id: string; product_name: string } | null): EventData<'forecast.generated'> {
    return {
      forecast_id: f.id,
      scope: product ? 'product' : 'category',
      category,
      product_id: product?.product_id ?? null,
      product_name: product?.product_name ?? null,
      horizon: `${HORIZON_DAYS}d`,
      start_date: f.startDate,
      predicted_demand: f.total,
      unit: 'units',
      method: product ? 'category_share' : 'holt_winters',
      interval: INTERVAL,
      daily: this.daily(f),
    };
  }
}
