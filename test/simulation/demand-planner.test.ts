/**
 * The demand planner and the alerts on simulated sales: forecasts that beat the
 * seasonal-naive baseline on a year of data, the forecast and retraining cadence, the
 * policy it sets, and alerts a planner would read (few, and no stockout unannounced).
 */
import { describe, expect, it } from 'vitest';
import { runEngineOnly } from '../../src/batch/run-days.js';
import type { EventData } from '../../src/domain/events.js';
import { holdoutAccuracy } from '../../src/forecast/accuracy.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import type { TimedEvent } from '../../src/simulation/order-events.js';
import { localWeekday } from '../../src/simulation/time.js';
import type { SimulationConfig } from '../../src/simulation/world.js';

const config = (scenario: string, from: string, to: string, seed = 21): SimulationConfig => {
  const s = getScenario(scenario);
  return { seed, from, to, multiplier: 1, scenario: s, marketId: s.market };
};

function run(c: SimulationConfig) {
  const events: TimedEvent[] = [];
  const { world, engine } = runEngineOnly(c, (e) => events.push(e));
  return { world, engine, events, of: <T extends TimedEvent['type']>(type: T) => events.filter((e) => e.type === type) as Array<TimedEvent & { type: T; data: EventData<T> }> };
}

describe('forecast accuracy on a year of simulated sales (last 8 weeks held out)', () => {
  for (const scenario of ['normal-ops', 'peak-season']) {
    it(`${scenario}: every category's MAPE is at least 10% below the seasonal-naive baseline's`, () => {
      const { engine } = run(config(scenario, '2024-01-01', '2024-12-31'));
      const rows = engine.planner.categories.map((c) => ({ category: c, ...holdoutAccuracy(engine.planner.categoryDemand(c), 56) }));
      console.log(`${scenario}: ${rows.map((r) => `${r.category} ${r.mape!.toFixed(3)} vs ${r.baselineMape!.toFixed(3)}`).join('; ')}`);
      for (const r of rows) {
        expect(r.days, r.category).toBe(56);
        expect(r.mape!, r.category).toBeLessThanOrEqual(0.9 * r.baselineMape!);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(rows.map((r) => r.mape!))).toBeLessThan(0.8 * mean(rows.map((r) => r.baselineMape!)));
    }, 120_000);
  }
});

describe('three simulated months of normal-ops', () => {
  const r = run(config('normal-ops', '2024-01-01', '2024-03-31'));
  const products = r.world.dims.products.length;
  const offset = r.world.offset;

  it('forecasts: each category first at four weeks of history, then revised every midnight, each revision starting from the last', () => {
    const byCategory = new Map<string, TimedEvent[]>();
    for (const e of r.events.filter((x) => x.type === 'forecast.generated' || x.type === 'forecast.updated')) {
      const d = e.data as { scope: string; category: string };
      if (d.scope === 'category') byCategory.set(d.category, [...(byCategory.get(d.category) ?? []), e]);
    }
    expect([...byCategory.keys()].sort()).toEqual(r.engine.planner.categories);
    const firstDay = Date.parse('2024-01-29T00:00:00Z') - offset * 60_000; // 28 days after the start
    for (const [category, evs] of byCategory) {
      expect(evs[0].type, category).toBe('forecast.generated');
      expect(evs[0].t).toBe(firstDay);
      let last = (evs[0].data as EventData<'forecast.generated'>).predicted_demand;
      for (const e of evs.slice(1)) {
        if (e.type === 'forecast.updated') {
          const d = e.data as EventData<'forecast.updated'>;
          expect(d.old_forecast).toBe(last);
          last = d.new_forecast;
        } else last = (e.data as EventData<'forecast.generated'>).predicted_demand;
        expect((e.data as { daily: unknown[] }).daily).toHaveLength(14);
      }
      // Every midnight from the first forecast on brings a revision.
      expect(evs.filter((e) => e.type === 'forecast.updated').length).toBeGreaterThanOrEqual(Math.floor((Date.parse('2024-04-01') - firstDay) / 86_400_000) - 1);
    }
  });

  it('models are retrained on Mondays (and first as soon as they can be), every category each time, with their accuracy beside the baseline', () => {
    const retrained = r.of('model.retrained');
    const times = [...new Set(retrained.map((e) => e.t))];
    expect(times.length).toBeGreaterThanOrEqual(9);
    for (const t of times.slice(1)) expect(localWeekday(t, offset)).toBe(1);
    for (const t of times) expect(retrained.filter((e) => e.t === t).map((e) => e.data.category).sort()).toEqual(r.engine.planner.categories);
    const last = retrained.filter((e) => e.t === times.at(-1));
    for (const e of last) {
      expect(e.data.holdout_days).toBe(28);
      expect(e.data.metrics.mape).not.toBeNull();
      expect(e.data.metrics.baseline_mape).not.toBeNull();
    }
  });

  it("products: each retraining forecasts every product as its share of its category, and sets its policy from it", () => {
    const generated = r.of('forecast.generated');
    const t = generated.at(-1)!.t;
    const now = generated.filter((e) => e.t === t);
    expect(now.filter((e) => e.data.scope === 'product')).toHaveLength(products);
    for (const category of r.engine.planner.categories) {
      const whole = now.find((e) => e.data.scope === 'category' && e.data.category === category)!.data.predicted_demand;
      const parts = now.filter((e) => e.data.scope === 'product' && e.data.category === category).reduce((s, e) => s + e.data.predicted_demand, 0);
      expect(Math.abs(parts - whole)).toBeLessThanOrEqual(0.01 * whole + 1);
    }
    // The policy follows the forecast: a product expected to sell more has the higher reorder point, product for product within a supplier.
    const ledger = r.engine.ledger;
    for (let i = 0; i < products; i++) {
      expect(ledger.orderUpTo[i]).toBeGreaterThan(ledger.reorderPoint[i]);
      expect(ledger.reorderPoint[i]).toBeGreaterThanOrEqual(ledger.safetyStock[i]);
    }
    const selling = [...ledger.dailyDemand].filter((d) => d > 1).length;
    expect(selling).toBeGreaterThan(products / 2);
  });

  it('alerts: fewer than 5 per product per simulated week, and every stockout announced by a stockout_risk alert', () => {
    const alerts = r.events.filter((e) => e.type.startsWith('alert.'));
    const weeks = 91 / 7;
    const lastMonth = alerts.filter((e) => e.t >= Date.parse('2024-03-01T00:00:00Z'));
    const rate = alerts.length / products / weeks;
    const lastMonthRate = lastMonth.length / products / (31 / 7);
    const byType = Object.fromEntries(['low_stock', 'reorder_needed', 'stockout_risk', 'dead_stock'].map((t) => [t, alerts.filter((e) => e.type === `alert.${t}`).length]));
    // Announced: a stockout_risk alert for the product since its last delivery, at or before the stockout.
    const riskSince = new Map<string, number>();
    let announced = 0;
    let warnedADayAhead = 0;
    const stockouts = r.of('stock.out');
    for (const e of r.events) {
      if (e.type === 'stock.replenished') riskSince.delete((e.data as { product_id: string }).product_id);
      if (e.type === 'alert.stockout_risk' && !riskSince.has(e.data.product_id)) riskSince.set(e.data.product_id, e.t);
      if (e.type === 'stock.out') {
        const at = riskSince.get(e.data.product_id);
        if (at !== undefined && at <= e.t) announced++;
        if (at !== undefined && e.t - at >= 86_400_000) warnedADayAhead++;
      }
    }
    console.log(
      `alerts: ${alerts.length} (${JSON.stringify(byType)}), ${rate.toFixed(2)} a product a week (last month ${lastMonthRate.toFixed(2)}); ` +
        `stockouts ${stockouts.length}, announced ${announced}, a day or more ahead ${warnedADayAhead}`,
    );
    expect(rate).toBeLessThan(5);
    expect(lastMonthRate).toBeLessThan(5);
    expect(byType.reorder_needed).toBeGreaterThan(0);
    expect(stockouts.length).toBeGreaterThan(0);
    expect(announced).toBe(stockouts.length);
  });

  it('is deterministic: the same run twice gives the same events', () => {
    const again = run(config('normal-ops', '2024-01-01', '2024-03-31'));
    expect(again.events.length).toBe(r.events.length);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(r.events));
  });

  it("the last day's summary and forecasts are in the run (made at the midnight that ends it)", () => {
    const summaries = r.of('analytics.daily_summary');
    expect(summaries).toHaveLength(91);
    expect(summaries.at(-1)!.data.date).toBe('2024-03-31');
    expect(r.of('analytics.monthly_report').map((e) => e.data.month)).toEqual(['2024-01', '2024-02', '2024-03']);
  });
});
