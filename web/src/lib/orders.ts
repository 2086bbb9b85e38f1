/** Order events folded into "the latest state of each order", for feeds and lists. */
import type { OrderStatus } from '../../../src/domain/entities.js';
import type { EventData, SequencedEnvelope } from '../../../src/domain/events.js';

export type OrderView = EventData<'order.created'> & { seq: number; changedAt: number };
export const ORDER_EVENTS = new Set(['order.created', 'order.updated', 'order.cancelled', 'order.delivered']);
export const OPEN: ReadonlySet<OrderStatus> = new Set(['pending', 'confirmed', 'processing', 'shipped']);

/** `changedAt`: when the view learnt of the change (rows flash for a moment after it); 0 for none to show. */
export function orderOf(e: SequencedEnvelope, changedAt = Date.now()): OrderView | null {
  if (!ORDER_EVENTS.has(e.event_type)) return null;
  const d = e.data as EventData<'order.created'> & { reason?: string; delivery_date?: string };
  const { reason: _r, delivery_date: _d, ...order } = d;
  return { ...(order as EventData<'order.created'>), seq: e.seq, changedAt };
}

/**
 * The newest `cap` orders (by first appearance), each at its latest status. Mutable and
 * O(1) per event, so a flood of events costs little; views copy it out when they render.
 */
export class OrderFeed {
  private readonly orders = new Map<string, OrderView>();
  constructor(private readonly cap: number) {}

  /** Returns how many orders changed. `quiet`: known before the view opened, so nothing to flash. */
  apply(events: readonly SequencedEnvelope[], { quiet = false } = {}): number {
    let changed = 0;
    const at = quiet ? 0 : Date.now();
    for (const e of events) {
      const o = orderOf(e, at);
      if (!o) continue;
      const before = this.orders.get(o.order_id);
      if (before && before.seq > o.seq) continue;
      this.orders.set(o.order_id, o);
      changed++;
      if (!before && this.orders.size > this.cap) this.orders.delete(this.orders.keys().next().value!);
    }
    return changed;
  }

  /** Older orders from a REST page: placed behind what the stream already brought. */
  seed(orders: OrderView[]): void {
    const live = [...this.orders.entries()];
    this.orders.clear();
    for (const o of [...orders].reverse()) if (!live.some(([id]) => id === o.order_id)) this.orders.set(o.order_id, o);
    for (const [id, o] of live) this.orders.set(id, o);
    while (this.orders.size > this.cap) this.orders.delete(this.orders.keys().next().value!);
  }

  /** Newest first. */
  list(): OrderView[] {
    return [...this.orders.values()].reverse();
  }
}
