/**
 * What the warehouse says about itself: stock events for each movement and threshold
 * crossing, and the inventory alerts. Each alert has one rule, and once raised it is not
 * raised again for the same product until its condition has cleared (hysteresis):
 *
 *  - alert.low_stock — checked every hour: the products whose on-hand stock fell below
 *    their safety stock (the buffer meant for a slow delivery or a busy week is being used)
 *    since the last check, in one alert; `critical` when one of them is out of stock.
 *    Clears when the product is back at its reorder point. A change made by hand (the API)
 *    is checked at once (checkNow).
 *  - alert.reorder_needed — the stock position (on hand + on order − owed to waiting
 *    orders) reached the reorder point: a purchase order for the recommended quantity
 *    (up to the order-up-to level) went to the product's supplier. One per purchase order.
 *  - alert.stockout_risk — after every sale and every hour: at the forecast's daily demand,
 *    the stock on hand runs out before the next delivery arrives. Clears when a delivery
 *    arrives. A product that runs out without having raised it raises it at that moment,
 *    so no stockout goes unannounced.
 *  - alert.dead_stock — checked every midnight: nothing sold for DEAD_STOCK_DAYS days while
 *    units sit on the shelf. Clears with the next sale.
 *
 * stock.low is the plain threshold event: on-hand stock went below the reorder point.
 */
import type { EventData } from '../domain/events.js';
import { orderId as orderIdOf } from './ids.js';
import type { Movement, PurchaseOrder, StockLedger } from './ledger.js';
import { movementId } from './ledger.js';
import type { TimedEvent } from './order-events.js';
import { DAY_MS, iso } from './time.js';
import type { World } from './world.js';

export const DEAD_STOCK_DAYS = 30;

/** stock.updated for a movement: one builder for the live stream and the batch event log. */
export function movementEvent(world: World, m: Movement): EventData<'stock.updated'> {
  const p = world.dims.products[m.product];
  return {
    product_id: p.product_id,
    product_name: p.name,
    previous_stock: m.after - m.qty,
    current_stock: m.after,
    movement_id: movementId(m.ymd, m.seq),
    movement_type: m.type,
    reason: m.reason,
    order_id: m.order >= 0 ? orderIdOf(m.order) : null,
  };
}


export class StockSignals {
  private readonly lastSaleAt: Float64Array;
  private readonly riskFlagged: Uint8Array;
  private readonly deadFlagged: Uint8Array;
  private readonly lowFlagged: Uint8Array;
  /** The open purchase orders' arrivals per product, earliest first. */
  private readonly openArrivals: number[][];
  private alertSeq = 0;

  constructor(
    private readonly world: World,
    private readonly ledger: () => StockLedger,
    private readonly emit: (e: TimedEvent) => void,
    startMs: number,
  ) {
    const n = world.dims.products.length;
    this.lastSaleAt = new Float64Array(n).fill(startMs);
    this.riskFlagged = new Uint8Array(n);
    this.deadFlagged = new Uint8Array(n);
    this.lowFlagged = new Uint8Array(n);
    this.openArrivals = Array.from({ length: n }, () => []);
  }

  /** The open purchase orders' arrival times, per product, earliest first. */
  get openDeliveries(): ReadonlyArray<readonly number[]> {
    return this.openArrivals;
  }

  private alertId(t: number): string {
    return `ALR-${localYmd(this.world, t)}-${String(++this.alertSeq).padStart(6, '0')}`;
  }

  private product(i: number) {
    const p = this.world.dims.products[i];
    return { product_id: p.product_id, product_name: p.name };
  }

  /** After every movement: the threshold crossings it caused. */
  moved(m: Movement, before: number): void {
    const i = m.product;
    const after = m.after;
    const ledger = this.ledger();
    const threshold = ledger.reorderPoint[i];
    if (m.type === 'fulfilment') {
      this.lastSaleAt[i] = m.t;
      this.deadFlagged[i] = 0;
    }
    if (after >= threshold) this.lowFlagged[i] = 0;
    if (after < before) this.checkRisk(i, m.t);
    if (after === 0 && before > 0) this.emit({ t: m.t, type: 'stock.out', data: this.product(i) });
    if (after < threshold && before >= threshold) this.emit({ t: m.t, type: 'stock.low', data: { ...this.product(i), current_stock: after, threshold } });
  }

  /** A purchase order went out; `position` is the stock position it was placed at. */
  purchased(po: PurchaseOrder, position: number): void {
    const i = po.product;
    const list = this.openArrivals[i];
    list.push(po.arrivesAt);
    list.sort((a, b) => a - b);
    const ledger = this.ledger();
    const supplier = this.world.dims.products[i].supplier_id;
    this.emit({
      t: po.placedAt,
      type: 'stock.ordered',
      data: { ...this.product(i), purchase_order_id: po.id, quantity: po.qty, supplier_id: supplier, expected_arrival: iso(po.arrivesAt), placed_by: po.by },
    });
    if (po.by === 'policy')
      this.emit({
      t: po.placedAt,
      type: 'alert.reorder_needed',
      data: {
        alert_id: this.alertId(po.placedAt),
        ...this.product(i),
        current_stock: ledger.level[i],
        stock_position: position,
        reorder_point: Math.max(0, ledger.reorderPoint[i]),
        recommended_quantity: po.qty,
        supplier_id: supplier,
        purchase_order_id: po.id,
        expected_arrival: iso(po.arrivesAt),
      },
    });
    this.checkRisk(i, po.placedAt);
  }

  received(po: PurchaseOrder, before: number, t: number): void {
    const i = po.product;
    const list = this.openArrivals[i];
    const k = list.indexOf(po.arrivesAt);
    if (k >= 0) list.splice(k, 1);
    this.riskFlagged[i] = 0;
    this.emit({
      t,
      type: 'stock.replenished',
      data: { ...this.product(i), quantity_added: po.qty, new_stock: before + po.qty, supplier_id: this.world.dims.products[i].supplier_id, purchase_order_id: po.id },
    });
  }

  /** Whether, at the forecast's rate, the shelf empties before the next delivery (raised once until one arrives). */
  private checkRisk(i: number, t: number): void {
    if (this.riskFlagged[i]) return;
    const ledger = this.ledger();
    const level = ledger.level[i];
    const arrival = this.openArrivals[i][0];
    const demand = ledger.dailyDemand[i];
    let days: number;
    if (level <= 0) days = 0; // ran out unannounced: announced now, before stock.out
    else if (arrival === undefined || !(demand > 0)) return;
    else {
      days = level / demand;
      if (t + days * DAY_MS >= arrival) return;
    }
    this.riskFlagged[i] = 1;
    this.emit({
      t,
      type: 'alert.stockout_risk',
      data: {
        alert_id: this.alertId(t),
        ...this.product(i),
        current_stock: level,
        days_until_stockout: Math.round(days * 1000) / 1000,
        daily_demand: Math.round(demand * 100) / 100,
        next_delivery: arrival === undefined ? null : iso(arrival),
      },
    });
  }

  /** Every hour: products newly below their safety stock, in one alert; and the stockout risk at the current forecast. */
  hourly(t: number): void {
    const products = this.world.dims.products;
    const low: number[] = [];
    for (let i = 0; i < products.length; i++) {
      if (this.newlyLow(i)) low.push(i);
      if (this.ledger().level[i] > 0) this.checkRisk(i, t);
    }
    this.lowStockAlert(t, low);
  }

  /**
   * Someone changed a product's stock by hand (the API, a count): its low-stock rule is
   * checked at once, as a person who just took units off the shelf expects, rather than at
   * the next hourly check. The same hysteresis holds.
   */
  checkNow(i: number, t: number): void {
    if (this.newlyLow(i)) this.lowStockAlert(t, [i]);
    if (this.ledger().level[i] > 0) this.checkRisk(i, t);
  }

  /** The low-stock rule for one product: below its safety stock and not flagged yet (flags clear at the reorder point). */
  private newlyLow(i: number): boolean {
    const ledger = this.ledger();
    const level = ledger.level[i];
    if (level >= ledger.reorderPoint[i]) this.lowFlagged[i] = 0;
    else if (!this.lowFlagged[i] && level < Math.max(1, ledger.safetyStock[i])) {
      this.lowFlagged[i] = 1;
      return true;
    }
    return false;
  }

  private lowStockAlert(t: number, low: readonly number[]): void {
    if (!low.length) return;
    const ledger = this.ledger();
    this.emit({
      t,
      type: 'alert.low_stock',
      data: {
        alert_id: this.alertId(t),
        alert_level: low.some((i) => ledger.level[i] === 0) ? 'critical' : 'warning',
        affected_products: low.map((i) => ({ ...this.product(i), current_stock: ledger.level[i], threshold: Math.max(1, ledger.safetyStock[i]), reorder_point: ledger.reorderPoint[i] })),
      },
    });
  }

  /** Once a day: products that have not sold for DEAD_STOCK_DAYS days with units on the shelf. */
  sweep(t: number): void {
    const products = this.world.dims.products;
    const level = this.ledger().level;
    for (let i = 0; i < products.length; i++) {
      const quiet = t - this.lastSaleAt[i];
      if (quiet < DEAD_STOCK_DAYS * DAY_MS || this.deadFlagged[i] || level[i] <= 0) continue;
      this.deadFlagged[i] = 1;
      const p = products[i];
      this.emit({
        t,
        type: 'alert.dead_stock',
        data: {
          alert_id: this.alertId(t),
          ...this.product(i),
          days_since_sale: Math.floor(quiet / DAY_MS),
          current_stock: level[i],
          value: Math.round(level[i] * p.unit_price * 100) / 100,
          currency: this.world.market.currency,
        },
      });
    }
  }
}

let ymdDay = Number.NaN;
let ymdText = '';
/** YYYYMMDD of the local day of `t` (one date formatting per day, not per alert). */
function localYmd(world: World, t: number): string {
  const day = Math.floor((t + world.offset * 60_000) / DAY_MS);
  if (day !== ymdDay) {
    ymdDay = day;
    ymdText = iso(day * DAY_MS).slice(0, 10).replaceAll('-', '');
  }
  return ymdText;
}
