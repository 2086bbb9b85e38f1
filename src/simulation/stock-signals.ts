/**
 * What the warehouse says about itself: stock events for each movement and threshold
 * crossing, and the inventory alerts of spec 003. Each alert has one rule:
 *
 *  - stock.low + alert.low_stock: on-hand falls below the reorder point (once per fall);
 *  - stock.out: on-hand reaches zero;
 *  - alert.reorder_needed: the stock position reached the reorder point and a purchase
 *    order went out (with its quantity, supplier and expected arrival);
 *  - alert.stockout_risk: at the expected daily demand, on-hand runs out before the next
 *    delivery arrives (once until that delivery);
 *  - alert.dead_stock: nothing sold for DEAD_STOCK_DAYS days while units sit on the shelf
 *    (once per quiet spell).
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
  /** The earliest open purchase order's arrival per product (NaN: none open). */
  private readonly nextArrival: Float64Array;
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
    this.nextArrival = new Float64Array(n).fill(Number.NaN);
    this.openArrivals = Array.from({ length: n }, () => []);
  }

  private alertId(t: number): string {
    return `ALR-${localYmd(this.world, t)}-${String(++this.alertSeq).padStart(6, '0')}`;
  }

  /** After every movement: the threshold crossings it caused. */
  moved(m: Movement, before: number): void {
    const i = m.product;
    const p = this.world.dims.products[i];
    const after = m.after;
    const threshold = this.ledger().reorderPoint[i];
    if (m.type === 'fulfilment') {
      this.lastSaleAt[i] = m.t;
      this.deadFlagged[i] = 0;
    }
    if (after === 0 && before > 0) this.emit({ t: m.t, type: 'stock.out', data: { product_id: p.product_id, product_name: p.name } });
    if (after < threshold && before >= threshold) {
      this.emit({ t: m.t, type: 'stock.low', data: { product_id: p.product_id, product_name: p.name, current_stock: after, threshold } });
      this.emit({
        t: m.t,
        type: 'alert.low_stock',
        data: {
          alert_id: this.alertId(m.t),
          alert_level: after === 0 ? 'critical' : 'warning',
          affected_products: [{ product_id: p.product_id, product_name: p.name, current_stock: after, threshold }],
        },
      });
    }
    if (after < before) this.checkRisk(i, m.t);
  }

  purchased(po: PurchaseOrder, position: number): void {
    const i = po.product;
    const p = this.world.dims.products[i];
    const list = this.openArrivals[i];
    list.push(po.arrivesAt);
    if (Number.isNaN(this.nextArrival[i]) || po.arrivesAt < this.nextArrival[i]) this.nextArrival[i] = po.arrivesAt;
    this.emit({
      t: po.placedAt,
      type: 'alert.reorder_needed',
      data: {
        alert_id: this.alertId(po.placedAt),
        product_id: p.product_id,
        product_name: p.name,
        current_stock: this.ledger().level[i],
        reorder_point: Math.max(0, this.ledger().reorderPoint[i]),
        recommended_quantity: po.qty,
        supplier_id: p.supplier_id,
        purchase_order_id: po.id,
        expected_arrival: iso(po.arrivesAt),
      },
    });
    void position;
    this.checkRisk(i, po.placedAt);
  }

  received(po: PurchaseOrder, before: number, t: number): void {
    const i = po.product;
    const p = this.world.dims.products[i];
    const list = this.openArrivals[i];
    const k = list.indexOf(po.arrivesAt);
    if (k >= 0) list.splice(k, 1);
    this.nextArrival[i] = list.length ? Math.min(...list) : Number.NaN;
    this.riskFlagged[i] = 0;
    this.emit({
      t,
      type: 'stock.replenished',
      data: { product_id: p.product_id, product_name: p.name, quantity_added: po.qty, new_stock: before + po.qty, supplier_id: p.supplier_id, purchase_order_id: po.id },
    });
  }

  private checkRisk(i: number, t: number): void {
    if (this.riskFlagged[i]) return;
    const arrival = this.nextArrival[i];
    const demand = this.ledger().dailyDemand[i];
    const level = this.ledger().level[i];
    if (Number.isNaN(arrival) || demand <= 0 || level <= 0) return;
    const days = level / demand;
    if (t + days * DAY_MS >= arrival) return;
    this.riskFlagged[i] = 1;
    const p = this.world.dims.products[i];
    this.emit({
      t,
      type: 'alert.stockout_risk',
      data: { alert_id: this.alertId(t), product_id: p.product_id, product_name: p.name, current_stock: level, days_until_stockout: Math.round(days * 1000) / 1000 },
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
          product_id: p.product_id,
          product_name: p.name,
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
