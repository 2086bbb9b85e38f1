/**
 * What the management API does, told as business events: an order placed or moved through
 * the API and a stock change through the API or the demo buttons produce the same domain
 * events a simulated one does (order.created/updated/cancelled/delivered, stock.updated,
 * stock.low/out, alert.low_stock), on the business channels, after the change committed.
 *
 * With a live simulation the warehouse is the simulation's: it takes each new level over
 * (and emits the stock events itself, with its thresholds, alerts and reorders), and an
 * order the API moves is no longer moved by the simulation. Without one, the stock events
 * are published here.
 */
import { randomUUID } from 'node:crypto';
import type { OrderRecord, OrderStatus, ProductRecord } from '../domain/entities.js';
import type { EventHub } from '../hub/hub.js';
import type { LiveClock } from '../simulation/live-clock.js';
import { orderEventData } from '../simulation/order-events.js';

export interface StockFollowing {
  type: 'fulfilment' | 'return' | 'adjustment';
  orderId: string | null;
  reason: 'order_cancelled' | 'manual_adjustment' | null;
}

export class BusinessEvents {
  constructor(
    private readonly hub: EventHub,
    private readonly clock: LiveClock | null,
  ) {}

  /** A new order, and the stock its lines took. */
  orderPlaced(order: OrderRecord, products: readonly ProductRecord[], before: ReadonlyMap<string, number>): void {
    this.hub.publish({ event_type: 'order.created', data: orderEventData(order, 'pending', order.created_at), timestamp: order.created_at });
    this.stock(products, before, { type: 'fulfilment', orderId: order.order_id, reason: null });
  }

  /** An order moved a step (and, cancelled, gave its units back). */
  orderMoved(order: OrderRecord, previous: OrderStatus, products: readonly ProductRecord[], before: ReadonlyMap<string, number>): void {
    this.clock?.act((sim) => sim.release(order.order_id));
    const at = order.updated_at;
    const data = orderEventData(order, order.status, at);
    if (order.status === 'cancelled') this.hub.publish({ event_type: 'order.cancelled', data: { ...data, reason: order.cancellation_reason ?? 'cancelled' }, timestamp: at });
    else if (order.status === 'delivered') this.hub.publish({ event_type: 'order.delivered', data: { ...data, delivery_date: order.delivered_at ?? at }, timestamp: at });
    else this.hub.publish({ event_type: 'order.updated', data, timestamp: at });
    void previous;
    this.stock(products, before, { type: 'return', orderId: order.order_id, reason: 'order_cancelled' });
  }

  /** Stock set or changed by hand. */
  stockSet(product: ProductRecord, previous: number): void {
    this.stock([product], new Map([[product.product_id, previous]]), { type: 'adjustment', orderId: null, reason: 'manual_adjustment' });
  }

  private stock(products: readonly ProductRecord[], before: ReadonlyMap<string, number>, how: StockFollowing): void {
    for (const p of products) {
      const previous = before.get(p.product_id) ?? p.stock_quantity;
      if (previous === p.stock_quantity) continue;
      // The simulation's warehouse takes the level over and says what it means (thresholds, alerts, reorders).
      if (this.clock?.act((sim) => sim.followStock(p.product_id, p.stock_quantity - previous, how))) continue;
      this.publishStock(p, previous, how);
    }
  }

  /** Without a simulation that stocks the product: the events a warehouse would send. */
  private publishStock(p: ProductRecord, previous: number, how: StockFollowing): void {
    const now = p.stock_quantity;
    const at = new Date().toISOString();
    const ref = { product_id: p.product_id, product_name: p.name };
    this.hub.publish({
      event_type: 'stock.updated',
      data: { ...ref, previous_stock: previous, current_stock: now, movement_id: `MOV-API-${randomUUID()}`, movement_type: how.type, reason: how.reason, order_id: how.orderId },
      timestamp: at,
    });
    const threshold = p.reorder_threshold;
    if (now === 0 && previous > 0) this.hub.publish({ event_type: 'stock.out', data: ref, timestamp: at });
    if (now < threshold && previous >= threshold) {
      this.hub.publish({ event_type: 'stock.low', data: { ...ref, current_stock: now, threshold }, timestamp: at });
      this.hub.publish({
        event_type: 'alert.low_stock',
        data: { alert_id: randomUUID(), alert_level: now === 0 ? 'critical' : 'warning', affected_products: [{ ...ref, current_stock: now, threshold, reorder_point: threshold }] },
        timestamp: at,
      });
    }
  }
}
