/**
 * The `forecasts` and `analytics` channels (spec 003), in both speeds: hourly demand
 * forecasts per product category, a daily model check, daily and monthly summaries. The
 * engine feeds it as things happen (every call is at the engine's current time), so the
 * figures of a day are complete when its midnight tick comes.
 *
 * The forecast is simple exponential smoothing of each category's hourly demand, projected
 * over the next 24 hours; the daily `model.retrained` reports how well it did (MAPE).
 */
import type { TimedEvent } from './order-events.js';
import type { World } from './world.js';

type Emit = (e: TimedEvent) => void;

const ALPHA = 0.3;
const HORIZON_HOURS = 24;

interface Period {
  orders: number;
  revenueCents: number;
  shipped: number;
  cancelled: number;
}

const emptyPeriod = (): Period => ({ orders: 0, revenueCents: 0, shipped: 0, cancelled: 0 });

export class Analytics {
  private readonly categories: string[];
  private readonly categoryOf: Int32Array;
  private readonly hourUnits: Float64Array;
  private readonly level: Float64Array;
  private readonly started: Uint8Array;
  private readonly lastForecast: Float64Array;
  /** Absolute percentage errors of today's one-hour-ahead forecasts, per category. */
  private readonly errors: number[][];
  /** Units sold today, per product. */
  private readonly dayUnits: Float64Array;
  private day = emptyPeriod();
  private month = emptyPeriod();

  constructor(private readonly world: World) {
    const products = world.dims.products;
    this.categories = [...new Set(products.map((p) => p.category))].sort();
    this.categoryOf = Int32Array.from(products, (p) => this.categories.indexOf(p.category));
    const n = this.categories.length;
    this.hourUnits = new Float64Array(n);
    this.level = new Float64Array(n);
    this.started = new Uint8Array(n);
    this.lastForecast = new Float64Array(n);
    this.errors = this.categories.map(() => []);
    this.dayUnits = new Float64Array(products.length);
  }

  orderPlaced(totalCents: number): void {
    this.day.orders++;
    this.month.orders++;
    this.day.revenueCents += totalCents;
    this.month.revenueCents += totalCents;
  }

  /** Shipments known in advance, by local day number: counted when their day ends. */
  private readonly shipmentsAhead = new Map<number, number>();

  /** An order that will ship at `at` (a plan known to be final); `n` = −1 takes one back. */
  shipmentAhead(at: number, n = 1): void {
    const day = Math.floor((at + this.world.offset * 60_000) / 86_400_000);
    this.shipmentsAhead.set(day, (this.shipmentsAhead.get(day) ?? 0) + n);
  }

  orderCancelled(): void {
    this.day.cancelled++;
    this.month.cancelled++;
  }

  unitsSold(productIndex: number, qty: number): void {
    this.hourUnits[this.categoryOf[productIndex]] += qty;
    this.dayUnits[productIndex] += qty;
  }

  /** At the end of each simulated hour: update each category's level and forecast the next 24 hours. */
  hourly(t: number, emit: Emit): void {
    this.categories.forEach((category, c) => {
      const observed = this.hourUnits[c];
      if (this.started[c]) {
        // How far off was the one-hour-ahead forecast for the hour that just ended?
        if (this.level[c] > 0) this.errors[c].push(Math.abs(observed - this.level[c]) / this.level[c]);
        this.level[c] = ALPHA * observed + (1 - ALPHA) * this.level[c];
      } else {
        this.level[c] = observed;
      }
      this.hourUnits[c] = 0;
      const forecast = Math.round(this.level[c] * HORIZON_HOURS);
      if (!this.started[c]) {
        this.started[c] = 1;
        emit({ t, type: 'forecast.generated', data: { category, horizon: `${HORIZON_HOURS}h`, predicted_demand: forecast, unit: 'units', method: 'exponential_smoothing' } });
      } else {
        emit({ t, type: 'forecast.updated', data: { category, horizon: `${HORIZON_HOURS}h`, old_forecast: this.lastForecast[c], new_forecast: forecast } });
      }
      this.lastForecast[c] = forecast;
    });
  }

  /** At local midnight: the ended day's summary, the models' accuracy, and at a month's end its report. */
  daily(t: number, endedDate: string, startedDate: string, emit: Emit): void {
    const ended = Math.floor((t - 1 + this.world.offset * 60_000) / 86_400_000);
    const shipped = this.shipmentsAhead.get(ended) ?? 0;
    this.shipmentsAhead.delete(ended);
    this.day.shipped += shipped;
    this.month.shipped += shipped;
    const currency = this.world.market.currency;
    const products = this.world.dims.products;
    const top = [...this.dayUnits.entries()]
      .filter(([, units]) => units > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([i, units]) => ({ product_id: products[i].product_id, product_name: products[i].name, units }));
    emit({
      t,
      type: 'analytics.daily_summary',
      data: {
        date: endedDate,
        orders: this.day.orders,
        revenue: this.day.revenueCents / 100,
        currency,
        shipped: this.day.shipped,
        cancelled: this.day.cancelled,
        average_order_value: this.day.orders ? Math.round(this.day.revenueCents / this.day.orders) / 100 : 0,
        top_products: top,
      },
    });
    this.categories.forEach((category, c) => {
      const errs = this.errors[c];
      if (!errs.length) return;
      const mape = errs.reduce((a, b) => a + b, 0) / errs.length;
      emit({ t, type: 'model.retrained', data: { category, metrics: { mape: Math.round(mape * 1000) / 1000, samples: errs.length, alpha: ALPHA } } });
      this.errors[c] = [];
    });
    this.day = emptyPeriod();
    this.dayUnits.fill(0);
    if (endedDate.slice(0, 7) !== startedDate.slice(0, 7)) {
      emit({
        t,
        type: 'analytics.monthly_report',
        data: {
          month: endedDate.slice(0, 7),
          orders: this.month.orders,
          revenue: this.month.revenueCents / 100,
          currency,
          shipped: this.month.shipped,
          cancelled: this.month.cancelled,
        },
      });
      this.month = emptyPeriod();
    }
  }
}
