/**
 * Writes the live simulation through to the store: new orders with their items, status
 * changes (appended to status_history), shelf levels, and where the simulation is, so a
 * restarted server resumes from there. Changes are gathered and written every flush
 * interval in one transaction, so the database sees a few transactions a second however
 * fast the simulation runs; the change feed then streams the rows to every client.
 */
import type { OrderItemRecord, OrderRecord, OrderStatus } from '../domain/entities.js';
import { appendJsonArraySql } from './json-append.js';
import { lockChangeFeed } from './queries/locks.js';
import { insertRecords } from './queries/records.js';
import { META_SCHEMA, tableOf } from './schema.js';
import type { Queryable, Store } from './store.js';

export interface LiveState {
  /** The simulated time written last (ms since the epoch). */
  simulatedMs: number;
  /** The global index of the next order. */
  nextOrderIndex: number;
  seed: number;
  scenario: string;
  market: string;
}

export const LIVE_STATE_KEY = 'live_state';

export async function readLiveState(db: Queryable): Promise<LiveState | null> {
  const { rows } = await db.query<{ value: LiveState }>(`SELECT value FROM ${META_SCHEMA}.settings WHERE key = $1`, [LIVE_STATE_KEY]);
  return rows[0]?.value ?? null;
}

export async function writeLiveState(db: Queryable, state: LiveState): Promise<void> {
  await db.query(
    `INSERT INTO ${META_SCHEMA}.settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [LIVE_STATE_KEY, JSON.stringify(state)],
  );
}

interface StatusChange {
  status: OrderStatus;
  history: Array<{ status: OrderStatus; at: string }>;
  at: string;
  reason: string | null;
}

export class LiveWriter {
  private orders: OrderRecord[] = [];
  private items: OrderItemRecord[] = [];
  private statuses = new Map<string, StatusChange>();
  private stock = new Map<string, number>();
  private state: LiveState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  written = 0;
  failed = 0;
  lastError: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly flushMs = 250,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  placed(order: OrderRecord, items: OrderItemRecord[]): void {
    this.orders.push(order);
    this.items.push(...items);
    this.schedule();
  }

  statusChanged(orderId: string, status: OrderStatus, at: string, reason: string | null): void {
    const change = this.statuses.get(orderId) ?? { status, history: [], at, reason: null };
    change.status = status;
    change.at = at;
    change.reason = reason ?? change.reason;
    change.history.push({ status, at });
    this.statuses.set(orderId, change);
    this.schedule();
  }

  stockChanged(productId: string, level: number): void {
    this.stock.set(productId, level);
    this.schedule();
  }

  progressed(state: LiveState): void {
    this.state = state;
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
  }

  /** Writes what has gathered; calls never overlap, so the database sees changes in simulation order. */
  flush(): Promise<void> {
    const batch = { orders: this.orders, items: this.items, statuses: this.statuses, stock: this.stock, state: this.state };
    this.orders = [];
    this.items = [];
    this.statuses = new Map();
    this.stock = new Map();
    this.state = null;
    this.writing = this.writing.then(() => this.write(batch)).catch((err: Error) => {
      this.failed++;
      this.lastError = err.message;
      this.onError(err);
    });
    return this.writing;
  }

  private async write(b: { orders: OrderRecord[]; items: OrderItemRecord[]; statuses: Map<string, StatusChange>; stock: Map<string, number>; state: LiveState | null }): Promise<void> {
    if (!b.orders.length && !b.statuses.size && !b.stock.size && !b.state) return;
    await this.store.transaction(async (tx) => {
      await lockChangeFeed(tx); // before any row lock, like every writer of tracked tables (see migration 003)
      for (let i = 0; i < b.orders.length; i += 500) await insertRecords(tx, 'orders', b.orders.slice(i, i + 500));
      for (let i = 0; i < b.items.length; i += 500) await insertRecords(tx, 'order_items', b.items.slice(i, i + 500));
      for (const [orderId, c] of b.statuses) {
        await tx.query(
          `UPDATE ${tableOf('orders')} SET status = $2, status_history = ${appendJsonArraySql('status_history', '$3')}, updated_at = $4,
             cancellation_reason = COALESCE($5, cancellation_reason) WHERE order_id = $1`,
          [orderId, c.status, JSON.stringify(c.history), c.at, c.reason],
        );
      }
      if (b.stock.size) {
        const ids = [...b.stock.keys()];
        await tx.query(
          `UPDATE ${tableOf('products')} AS p SET stock_quantity = v.level FROM unnest($1::text[], $2::int[]) AS v(product_id, level)
           WHERE p.product_id = v.product_id AND p.stock_quantity <> v.level`,
          [ids, ids.map((id) => b.stock.get(id))],
        );
      }
      if (b.state) await writeLiveState(tx, b.state);
    });
    this.written += b.orders.length + b.statuses.size + b.stock.size;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
