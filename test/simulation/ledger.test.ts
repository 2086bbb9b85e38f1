/**
 * Continuous stock in the batch speed: the warehouse carries over from day to day, every
 * product's movements add up to its closing stock and never take it below zero, purchase
 * orders follow the reorder policy, and an order that waited for stock ships only after
 * the delivery that filled it. A disrupted supply chain (warehouse-outage) runs products dry
 * for days.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { visitDays } from '../../src/batch/run-days.js';
import type { InventoryMovementRecord, OrderRecord } from '../../src/domain/entities.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import type { World } from '../../src/simulation/world.js';

const HOUR = 3_600_000;

interface Run {
  world: World;
  stock: Int32Array;
  movements: InventoryMovementRecord[];
  orders: Map<string, OrderRecord>;
}

async function run(scenario: string): Promise<Run> {
  const movements: InventoryMovementRecord[] = [];
  const orders = new Map<string, OrderRecord>();
  const s = getScenario(scenario);
  // ×1 (~18,700 orders, 50,000–62,000 movements) is pressure enough: 3,300 restocks (bound 100), 800
  // and 4,100 lines filled from backorders (bounds 20 and 200), warehouse-outage's longest
  // stockout 1,600 hours (bound 48). ×2 doubled every count and the cost.
  const { world, stock } = await visitDays({ seed: 4, from: '2024-01-01', to: '2024-12-31', multiplier: 1, scenario: s, marketId: s.market }, (day) => {
    movements.push(...day.records.inventory_movements);
    for (const o of day.records.orders) orders.set(o.order_id, o);
  });
  return { world, stock, movements, orders };
}

/** Each product's movements in the order they happened (ids number them within a day, days in order). */
function byProduct(movements: InventoryMovementRecord[]): Map<string, InventoryMovementRecord[]> {
  const out = new Map<string, InventoryMovementRecord[]>();
  for (const m of movements) {
    const list = out.get(m.product_id);
    if (list) list.push(m);
    else out.set(m.product_id, [m]);
  }
  return out;
}

describe.each(['normal-ops', 'warehouse-outage'])('a year of %s', (scenario) => {
  let r: Run;
  beforeAll(async () => {
    r = await run(scenario);
  }, 120_000);

  it('opens every product with its balance, and opening + movements = closing stock, never below zero', () => {
    const products = byProduct(r.movements);
    expect(products.size).toBe(r.world.dims.products.length);
    // Every movement is checked; what breaks the rules is gathered and shown at once (one expect, not two per movement).
    const broken: string[] = [];
    r.world.dims.products.forEach((p, i) => {
      const moves = products.get(p.product_id)!;
      if (moves[0].reason !== 'opening_balance') broken.push(`${p.product_id} opens with ${moves[0].reason}`);
      let level = 0;
      for (const m of moves) {
        level += m.quantity;
        if (m.stock_after !== level) broken.push(`${m.movement_id}: stock_after ${m.stock_after}, movements add up to ${level}`);
        if (!(level >= 0)) broken.push(`${m.movement_id}: level ${level}`);
      }
      if (level !== r.stock[i]) broken.push(`${p.product_id}: movements end at ${level}, closing stock ${r.stock[i]}`);
    });
    expect(broken.slice(0, 20), `${broken.length} broken`).toEqual([]);
  });

  it('replenishes through purchase orders: stock carries over (no nightly reset) and restocks come in deliveries', () => {
    const restocks = r.movements.filter((m) => m.movement_type === 'restock');
    expect(restocks.length).toBeGreaterThan(100);
    expect(restocks.every((m) => m.reason === 'purchase_order')).toBe(true);
    // Restocks are spread over the day (arrivals after a lead time), not all at midnight.
    const hours = new Set(restocks.map((m) => new Date(m.occurred_at).getUTCHours()));
    expect(hours.size).toBeGreaterThan(12);
  });

  it('an order that waited for stock is processed only after the delivery (or return) that filled it', () => {
    const restocked = new Set(r.movements.filter((m) => m.movement_type === 'restock' || m.movement_type === 'return').map((m) => `${m.product_id}@${m.occurred_at}`));
    const fills = r.movements.filter((m) => m.reason === 'backorder_filled');
    expect(fills.length).toBeGreaterThan(scenario === 'normal-ops' ? 20 : 200);
    let shipped = 0;
    for (const f of fills) {
      expect(restocked.has(`${f.product_id}@${f.occurred_at}`), f.movement_id).toBe(true);
      const order = r.orders.get(f.order_id!)!;
      const processing = order.status_history.find((h) => h.status === 'processing');
      if (processing) expect(processing.at > f.occurred_at, order.order_id).toBe(true);
      if (order.status_history.some((h) => h.status === 'shipped')) shipped++;
    }
    expect(shipped).toBeGreaterThan(0);
  });

  if (scenario === 'warehouse-outage') {
    it('runs products dry for days: at least one stockout lasts more than 48 hours', () => {
      let longest = 0;
      for (const moves of byProduct(r.movements).values()) {
        let emptySince: number | null = null;
        for (const m of moves) {
          const t = Date.parse(m.occurred_at);
          if (m.stock_after === 0 && emptySince === null) emptySince = t;
          else if (m.stock_after! > 0 && emptySince !== null) {
            longest = Math.max(longest, t - emptySince);
            emptySince = null;
          }
        }
      }
      expect(longest / HOUR).toBeGreaterThan(48);
    });
  }
});
