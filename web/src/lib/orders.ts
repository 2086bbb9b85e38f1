/** Order events folded into "the latest state of each order", for feeds and lists. */
import type { OrderStatus } from '../../../src/domain/entities.js';
import type { EventData, SequencedEnvelope } from '../../../src/domain/events.js';

export type OrderView = EventData<'order.created'> & { seq: number; changedAt: number };
export const ORDER_EVENTS = new Set(['order.created', 'order.updated', 'order.cancelled', 'order.delivered']);
export const OPEN: ReadonlySet<OrderStatus> = new Set(['pending', 'confirmed', 'processing', 'shipped']);

export function orderOf(e: SequencedEnvelope): OrderView | null {
  if (!ORDER_EVENTS.has(e.event_type)) return null;
  const d = e.data as EventData<'order.created'> & { reason?: string; delivery_date?: string };
  const { reason: _r, delivery_date: _d, ...order } = d;
  return { ...(order as EventData<'order.created'>), seq: e.seq, changedAt: Date.now() };
}

/** Folds events into a map of the newest `cap` orders (by first appearance), each at its latest status. */
export function foldOrders(current: Map<string, OrderView>, events: readonly SequencedEnvelope[], cap: number): Map<string, OrderView> {
  let next: Map<string, OrderView> | null = null;
  for (const e of events) {
    const o = orderOf(e);
    if (!o) continue;
    next ??= new Map(current);
    const before = next.get(o.order_id);
    if (before && before.seq > o.seq) continue;
    if (before) next.set(o.order_id, o);
    else {
      // Newest first: re-insert at the front.
      const entries: Array<[string, OrderView]> = [[o.order_id, o], ...next.entries()];
      next = new Map(entries.slice(0, cap));
    }
  }
  return next ?? current;
}
