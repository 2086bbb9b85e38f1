/**
 * Sellable stock for one day. Every product opens the day at its par level and a nightly
 * replenishment brings it back to par, which keeps days independent (and so parallel)
 * while stock still runs dry when a day's demand outgrows the shelf.
 */
import type { ProductRecord } from '../domain/entities.js';
import type { DayContext } from './day-context.js';
import { iso } from './time.js';

export class StockLedger {
  private readonly level: Int32Array;
  private readonly backorders = new Map<number, Array<{ qty: number; orderId: string }>>();

  constructor(private readonly ctx: DayContext) {
    const products = ctx.world.dims.products;
    this.level = Int32Array.from(products, (p) => p.stock_quantity);
  }

  private product(i: number): ProductRecord {
    return this.ctx.world.dims.products[i];
  }

  private move(i: number, type: 'fulfilment' | 'restock' | 'adjustment', qty: number, t: number, orderId: string | null, reason: string | null): void {
    const p = this.product(i);
    const before = this.level[i];
    this.level[i] = before + qty;
    const after = this.level[i];
    this.ctx.records.inventory_movements.push({
      movement_id: this.ctx.nextMovementId(),
      product_id: p.product_id,
      movement_type: type,
      quantity: qty,
      stock_after: after,
      order_id: orderId,
      reason,
      occurred_at: iso(t),
    });
    if (!this.ctx.events) return;
    this.ctx.emit(t, 'stock.updated', { product_id: p.product_id, previous_stock: before, current_stock: after, movement_type: type });
    if (type === 'restock') this.ctx.emit(t, 'stock.replenished', { product_id: p.product_id, quantity_added: qty, new_stock: after });
    if (after === 0 && before > 0) this.ctx.emit(t, 'stock.out', { product_id: p.product_id });
    else if (after < p.reorder_threshold && before >= p.reorder_threshold) {
      this.ctx.emit(t, 'stock.low', { product_id: p.product_id, product_name: p.name, current_stock: after, threshold: p.reorder_threshold });
    }
  }

  /** Reserve units for an order line at placement; false when the shelf cannot cover it (backordered). */
  allocate(i: number, qty: number, t: number, orderId: string): boolean {
    if (this.level[i] >= qty) {
      this.move(i, 'fulfilment', -qty, t, orderId, null);
      return true;
    }
    this.backorder(i, qty, orderId);
    return false;
  }

  private backorder(i: number, qty: number, orderId: string): void {
    const list = this.backorders.get(i) ?? [];
    list.push({ qty, orderId });
    this.backorders.set(i, list);
  }

  /** Injected stockout: the units picked for this line turn out damaged; they are written off and the line waits for the replenishment. */
  failPick(i: number, qty: number, t: number, orderId: string): void {
    const lost = Math.min(this.level[i], qty);
    if (lost > 0) this.move(i, 'adjustment', -lost, t, orderId, 'damaged_on_pick');
    this.backorder(i, qty, orderId);
  }

  /** Returned goods go to the returns bin: recorded, not sellable until the next replenishment. */
  recordReturn(productId: string, qty: number, t: number, orderId: string, reason: string): void {
    const id = this.ctx.nextMovementId(); // numbered even when cut off, so ids do not depend on --to
    if (!this.ctx.happened(t)) return;
    this.ctx.records.inventory_movements.push({
      movement_id: id,
      product_id: productId,
      movement_type: 'return',
      quantity: qty,
      stock_after: null,
      order_id: orderId,
      reason,
      occurred_at: iso(t),
    });
  }

  /** Nightly replenishment to par, then the backorders of orders still open are filled from the new stock. */
  closeDay(t: number, cancelledOrders: ReadonlySet<string>): void {
    const products = this.ctx.world.dims.products;
    for (let i = 0; i < products.length; i++) {
      const open = (this.backorders.get(i) ?? []).filter((b) => !cancelledOrders.has(b.orderId));
      const owed = open.reduce((sum, b) => sum + b.qty, 0);
      const refill = products[i].stock_quantity - this.level[i] + owed;
      if (refill > 0) this.move(i, 'restock', refill, t, null, 'nightly_replenishment');
      for (const b of open) this.move(i, 'fulfilment', -b.qty, t, b.orderId, 'backorder_filled');
    }
  }
}
