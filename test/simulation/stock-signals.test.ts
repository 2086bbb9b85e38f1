/**
 * Each alert fires exactly at its rule's boundary and not again until its condition has
 * cleared; the reorder policy's numbers match hand-computed cases.
 */
import { describe, expect, it } from 'vitest';
import type { EventData } from '../../src/domain/events.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { StockLedger, type PurchaseOrder } from '../../src/simulation/ledger.js';
import type { TimedEvent } from '../../src/simulation/order-events.js';
import { forecastPolicy, leadTimeMoments } from '../../src/simulation/policy.js';
import { DEAD_STOCK_DAYS, StockSignals } from '../../src/simulation/stock-signals.js';
import { World } from '../../src/simulation/world.js';
import { normalQuantile } from '../../src/random/distributions.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-03-04T08:00:00Z');

/** A warehouse of us-electronics' products with the alert rules wired in, product 0 under a policy we choose. */
function warehouse() {
  const s = getScenario('normal-ops');
  const world = new World({ seed: 5, from: '2024-03-04', to: '2024-03-04', multiplier: 1, scenario: s, marketId: 'us-electronics' });
  const events: TimedEvent[] = [];
  const pos: PurchaseOrder[] = [];
  let ledger!: StockLedger;
  const signals = new StockSignals(world, () => ledger, (e) => events.push(e), T0);
  ledger = new StockLedger(world, {
    movement: (m, before) => signals.moved(m, before),
    purchased: (po, position) => {
      pos.push(po);
      signals.purchased(po, position);
    },
    received: (po, before) => signals.received(po, before, po.arrivesAt),
    filled: () => undefined,
  });
  ledger.open(T0, new Map([[0, 30]]));
  ledger.replan(0, { reorderPoint: 20, orderUpTo: 60, safetyStock: 8, dailyDemand: 5 }, T0);
  /** Sets product 0's stock to `level` (a count, from outside): the rules see a movement. */
  const setLevel = (level: number, t: number) => ledger.follow(0, level - ledger.level[0], t, 'adjustment', -1, 'manual_adjustment');
  const of = <T extends TimedEvent['type']>(type: T, product = world.dims.products[0].product_id) =>
    events.filter((e) => e.type === type && JSON.stringify(e.data).includes(`"${product}"`)) as Array<TimedEvent & { data: EventData<T> }>;
  return { world, ledger, signals, events, pos, setLevel, of };
}

describe('alert rules at their boundaries', () => {
  it('reorder_needed: at the reorder point and not one unit above; once per purchase order', () => {
    const w = warehouse();
    w.setLevel(21, T0 + 1000);
    expect(w.of('alert.reorder_needed')).toHaveLength(0);
    w.setLevel(20, T0 + 2000);
    const alerts = w.of('alert.reorder_needed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].data).toMatchObject({ current_stock: 20, stock_position: 20, reorder_point: 20, recommended_quantity: 40 });
    expect(w.of('stock.ordered')[0].data).toMatchObject({ quantity: 40, placed_by: 'policy', purchase_order_id: alerts[0].data.purchase_order_id });
    // On order now: the position is back at 60, lower stock does not reorder again.
    w.setLevel(15, T0 + 3000);
    expect(w.of('alert.reorder_needed')).toHaveLength(1);
  });

  it('low_stock: at the hourly check after stock falls below safety stock (not at it), once, until back at the reorder point', () => {
    const w = warehouse();
    w.setLevel(8, T0 + 1000);
    w.signals.hourly(T0 + 3_600_000);
    expect(w.of('alert.low_stock')).toHaveLength(0); // at safety stock is not below it
    w.setLevel(7, T0 + 3_700_000);
    expect(w.of('alert.low_stock')).toHaveLength(0); // the check is hourly
    w.signals.hourly(T0 + 7_200_000);
    const first = w.of('alert.low_stock');
    expect(first).toHaveLength(1);
    expect(first[0].data).toMatchObject({ alert_level: 'warning', affected_products: [{ current_stock: 7, threshold: 8, reorder_point: 20 }] });
    w.signals.hourly(T0 + 10_800_000);
    w.setLevel(19, T0 + 11_000_000);
    w.setLevel(5, T0 + 11_100_000);
    w.signals.hourly(T0 + 14_400_000);
    expect(w.of('alert.low_stock')).toHaveLength(1); // never back at the reorder point: still the same condition
    w.setLevel(20, T0 + 15_000_000);
    w.setLevel(0, T0 + 15_100_000);
    w.signals.hourly(T0 + 18_000_000);
    const all = w.of('alert.low_stock');
    expect(all).toHaveLength(2);
    expect(all[1].data.alert_level).toBe('critical'); // out of stock
  });

  it('low_stock batches the products that went low since the last check into one alert', () => {
    const w = warehouse();
    w.ledger.replan(1, { reorderPoint: 10, orderUpTo: 40, safetyStock: 4, dailyDemand: 2 }, T0);
    w.ledger.follow(1, 3 - w.ledger.level[1], T0 + 1000, 'adjustment', -1, 'manual_adjustment');
    w.setLevel(2, T0 + 2000);
    w.signals.hourly(T0 + 3_600_000);
    const low = w.events.filter((e) => e.type === 'alert.low_stock') as Array<TimedEvent & { data: EventData<'alert.low_stock'> }>;
    expect(low).toHaveLength(1);
    expect(low[0].data.affected_products.map((p) => p.product_id).sort()).toEqual([w.world.dims.products[0].product_id, w.world.dims.products[1].product_id].sort());
  });

  it('stockout_risk: when stock ÷ daily demand falls short of the next delivery by a unit, not before; once, until the delivery', () => {
    const w = warehouse();
    w.ledger.replan(0, { reorderPoint: 20, orderUpTo: 60, safetyStock: 8, dailyDemand: 0.001 }, T0);
    w.setLevel(20, T0 + 1000); // reorders: a delivery is coming
    const po = w.pos[0];
    const t = T0 + 2000;
    // A demand at which 10 units last exactly until the delivery; 9 do not.
    const demand = (10 * DAY) / (po.arrivesAt - t);
    w.ledger.replan(0, { reorderPoint: 20, orderUpTo: 60, safetyStock: 8, dailyDemand: demand }, t);
    w.setLevel(10, t);
    expect(w.of('alert.stockout_risk')).toHaveLength(0);
    w.setLevel(9, t);
    const risk = w.of('alert.stockout_risk');
    expect(risk).toHaveLength(1);
    expect(risk[0].data).toMatchObject({ current_stock: 9, days_until_stockout: Math.round((9 / demand) * 1000) / 1000, next_delivery: new Date(po.arrivesAt).toISOString() });
    w.setLevel(8, t + 1);
    w.signals.hourly(t + 3_600_000);
    expect(w.of('alert.stockout_risk')).toHaveLength(1);
    w.ledger.arrive(po, po.arrivesAt); // the delivery clears it
    expect(w.of('stock.replenished')).toHaveLength(1);
    w.setLevel(0, po.arrivesAt + 1000); // nothing coming at this instant: announced at zero
    const after = w.of('alert.stockout_risk');
    expect(after).toHaveLength(2);
    expect(after[1].data.current_stock).toBe(0);
  });

  it('a stockout never comes unannounced: the risk alert is emitted before stock.out', () => {
    const w = warehouse();
    w.setLevel(0, T0 + 1000);
    const order = w.events.map((e) => e.type).filter((t) => t === 'alert.stockout_risk' || t === 'stock.out');
    expect(order).toEqual(['alert.stockout_risk', 'stock.out']);
  });

  it(`dead_stock: at exactly ${DEAD_STOCK_DAYS} days without a sale, once, and again ${DEAD_STOCK_DAYS} days after the next sale`, () => {
    const w = warehouse();
    const dead = () => w.of('alert.dead_stock');
    w.signals.sweep(T0 + DEAD_STOCK_DAYS * DAY - 1);
    expect(dead()).toHaveLength(0);
    w.signals.sweep(T0 + DEAD_STOCK_DAYS * DAY);
    expect(dead()).toHaveLength(1);
    const p = w.world.dims.products[0];
    expect(dead()[0].data).toMatchObject({ days_since_sale: DEAD_STOCK_DAYS, current_stock: 30, value: Math.round(30 * p.unit_price * 100) / 100 });
    w.signals.sweep(T0 + (DEAD_STOCK_DAYS + 1) * DAY);
    expect(dead()).toHaveLength(1);
    const sale = T0 + (DEAD_STOCK_DAYS + 2) * DAY;
    w.ledger.allocate({ index: 1, waiting: 0 }, 0, 0, 1, sale);
    w.signals.sweep(sale + DEAD_STOCK_DAYS * DAY - 1);
    expect(dead()).toHaveLength(1);
    w.signals.sweep(sale + DEAD_STOCK_DAYS * DAY);
    expect(dead()).toHaveLength(2);
  });
});

describe('the reorder policy, by hand', () => {
  const z95 = normalQuantile(0.95);

  it('a flat forecast: lead-time demand plus z·σ_L, then parDays of demand on top', () => {
    // 10 a day, σ_d = 4, lead time 2–4 days (mean 3, variance 1/3), 95%, 7 days of cycle stock.
    const p = forecastPolicy(Array(14).fill(10), 4, [2, 4], 0.95, 7, 3);
    const sd = Math.sqrt(3 * 16 + 100 * (4 / 12));
    expect(leadTimeMoments([2, 4])).toEqual({ mean: 3, variance: 4 / 12 });
    expect(p.safetyStock).toBe(Math.ceil(z95 * sd)); // 15
    expect(p.safetyStock).toBe(15);
    expect(p.reorderPoint).toBe(30 + 15);
    expect(p.orderUpTo).toBe(45 + 70);
    expect(p.dailyDemand).toBe(10);
  });

  it('a rising forecast over a fractional lead time counts the last day in part', () => {
    // 1.5 days: all of day 1 (10), half of day 2 (20) = 20 units; 13.33 a day on average.
    const p = forecastPolicy([10, 20, 30, 40], 0, [1, 2], 0.95, 7, 3);
    expect(p.dailyDemand).toBeCloseTo(20 / 1.5, 12);
    const sd = Math.sqrt((20 / 1.5) ** 2 / 12);
    expect(p.safetyStock).toBe(Math.ceil(z95 * sd)); // 7
    expect(p.reorderPoint).toBe(20 + 7);
    expect(p.orderUpTo).toBe(27 + Math.ceil(7 * (20 / 1.5)));
  });

  it('a product that does not sell keeps one line of stock, and a higher service level holds more', () => {
    const idle = forecastPolicy(Array(14).fill(0), 0, [2, 4], 0.95, 7, 3);
    expect(idle).toEqual({ dailyDemand: 0, reorderPoint: 0, orderUpTo: 3, safetyStock: 0 });
    const p95 = forecastPolicy(Array(14).fill(10), 4, [2, 4], 0.95, 7, 3);
    const p99 = forecastPolicy(Array(14).fill(10), 4, [2, 4], 0.99, 7, 3);
    expect(p99.safetyStock).toBe(Math.ceil(normalQuantile(0.99) * Math.sqrt(3 * 16 + 100 / 3)));
    expect(p99.reorderPoint).toBeGreaterThan(p95.reorderPoint);
  });
});
