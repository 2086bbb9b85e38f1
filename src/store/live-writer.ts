/**
 * Writes the live simulation through to the store: new orders with their items, status
 * changes (appended to status_history), stock movements, and where the simulation is, so
 * a restart resumes from there — and the events that tell of them, into the outbox, in the
 * same transaction. The events are handed back for publishing only once that committed:
 * nothing is published that the store does not hold (durable before published). Changes
 * gather while a write is in flight and go in the next transaction, so the database sees a
 * steady stream of commits however fast the simulation runs.
 *
 * The simulation is not the only writer: stock is written as movements (added to what the
 * row holds, never below zero), and a status change applies only if the order is still
 * where the simulation left it, so a change made through the API or psql is never undone.
 */
import type { EngineEntity, Entities, InventoryMovementRecord, OrderItemRecord, OrderRecord, OrderStatus } from '../domain/entities.js';
import { appendJsonArraySql } from './json-append.js';
import { appendUnpublished } from './outbox.js';
import { lockChangeFeed } from './queries/locks.js';
import { insertRecords, insertRecordsUnnest } from './queries/records.js';
import { META_SCHEMA, tableOf } from './schema.js';
import type { Queryable, Store } from './store.js';

export interface LiveState {
  version: 2;
  /** The simulation's first instant: a restart replays it from here. */
  epochMs: number;
  /** The global index of its first order. */
  firstOrderIndex: number;
  /** Where the simulation resumes (ms since 1970, exact: fractional, see resumePoint). */
  simulatedMs: number;
  /** The global index of the next order. */
  nextOrderIndex: number;
  seed: number;
  scenario: string;
  market: string;
  /** The changes made to it while it ran (replayed on restart). */
  changes: Array<{ atMs: number; patch?: Record<string, unknown>; action?: Record<string, unknown> }>;
}

export const LIVE_STATE_KEY = 'live_state';

export async function clearLiveState(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM ${META_SCHEMA}.settings WHERE key = $1`, [LIVE_STATE_KEY]);
}

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
  /** The statuses the order may be in for the first change to apply. */
  from: readonly OrderStatus[];
  status: OrderStatus;
  history: Array<{ status: OrderStatus; at: string }>;
  at: string;
  reason: string | null;
  trackingNumber: string | null;
  deliveredAt: string | null;
}

/** What a status change sets besides the status. */
export interface StatusDetails {
  reason: string | null;
  trackingNumber: string | null;
  deliveredAt: string | null;
}

interface Batch<E> {
  events: Array<{ payload: E; envelope: string }>;
  orders: OrderRecord[];
  items: OrderItemRecord[];
  statuses: Map<string, StatusChange>;
  movements: InventoryMovementRecord[];
  /** Forecasts, alerts and daily summaries, per table. */
  said: Map<EngineEntity, unknown[]>;
  stock: Map<string, number>;
  state: LiveState | null;
}

const emptyBatch = <E>(): Batch<E> => ({ events: [], orders: [], items: [], statuses: new Map(), movements: [], said: new Map(), stock: new Map(), state: null });
const isEmpty = (b: Batch<unknown>): boolean =>
  !b.orders.length && !b.items.length && !b.statuses.size && !b.stock.size && !b.movements.length && !b.said.size && !b.state && !b.events.length;

/**
 * Errors worth waiting out: the connection, a restart, a deadlock or serialisation victim,
 * a database that is (for now) not there.
 */
function transient(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return (code !== undefined && /^(08|57P0|53|40001|40P01|3D000)/.test(code)) || /ECONN|ETIMEDOUT|terminat|Connection|does not exist/i.test((err as Error).message);
}

export interface LiveWriterHooks<E> {
  onError?: (err: Error, willRetry: boolean) => void;
  /**
   * Whether writes are allowed right now (the safety guard): false refuses (the batch's rows
   * are dropped, its events still go out); a throw means the store could not be asked, an
   * outage like any failed write.
   */
  allowed?: () => Promise<boolean>;
  /**
   * Checked inside each write's transaction, once it holds the change-feed lock (so after any
   * job that held it has committed): false abandons the write — its rows are not stored, its
   * events still go out. A replacing job detaches the simulation this way, with no window.
   */
  writable?: () => boolean;
  /** Puts back rows the simulation's orders refer to (after a cleanup or a replacing job); one retry follows. */
  repair?: () => Promise<void>;
  /** Events whose changes committed (or could not be stored: outboxId null), in order, to publish now. */
  committed?: (events: Array<{ payload: E; outboxId: number | null }>) => void;
  /** The store went away (writes wait and retry) or came back. */
  outage?: (down: boolean, reason: string) => void;
}

/** A write abandoned because the store no longer takes the simulation's rows (see LiveWriterHooks.writable). */
class WriteAbandoned extends Error {}

export class LiveWriter<E = unknown> {
  private pending: Batch<E> = emptyBatch();
  private inFlight = 0;
  private down = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private abandoned = false;
  private retryMs = 0;
  /** Not before this (ms since 1970): the backoff after a failed write. */
  private retryAt = 0;
  private closed = false;
  written = 0;
  failed = 0;
  dropped = 0;
  lastError: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly flushMs = 250,
    private readonly hooks: LiveWriterHooks<E> = {},
  ) {}

  /**
   * Every write waits until `ready` settles (the rows they continue are still being loaded),
   * gathering meanwhile into one batch rather than a queue of small ones. Its failure is the
   * caller's to handle; writes then go on (the hooks decide what they do).
   */
  waitFor(ready: Promise<unknown>): void {
    // A batch is cut only after the write before it (see cut): everything gathers behind this.
    this.writing = this.writing.then(() =>
      ready.then(
        () => undefined,
        () => undefined,
      ),
    );
  }

  /**
   * Drops what is gathered and waiting, unwritten and untold (the server stops before the data
   * it continues was stored: a restart simulates it again), and everything after it.
   */
  abandon(): void {
    this.abandoned = true;
    this.pending = emptyBatch();
  }

  /** Events that tell of the changes gathered with them: stored in the outbox with them, published after. */
  told(payload: E, envelope: string): void {
    this.pending.events.push({ payload, envelope });
    this.schedule();
  }

  /** Events not yet published: gathering, and in the write under way. */
  get backlog(): number {
    return this.pending.events.length + this.inFlight;
  }

  placed(order: OrderRecord, items: OrderItemRecord[]): void {
    this.pending.orders.push(order);
    this.pending.items.push(...items);
    this.schedule();
  }

  statusChanged(orderId: string, from: readonly OrderStatus[], status: OrderStatus, at: string, details: StatusDetails): void {
    const change = this.pending.statuses.get(orderId) ?? { from, status, history: [], at, reason: null, trackingNumber: null, deliveredAt: null };
    change.status = status;
    change.at = at;
    change.reason = details.reason ?? change.reason;
    change.trackingNumber = details.trackingNumber ?? change.trackingNumber;
    change.deliveredAt = details.deliveredAt ?? change.deliveredAt;
    change.history.push({ status, at });
    this.pending.statuses.set(orderId, change);
    this.schedule();
  }

  /** An inventory movement: its row, and (unless the store has it already) the product's stock moved by its quantity. */
  moved(movement: InventoryMovementRecord, applyStock = true): void {
    this.pending.movements.push(movement);
    if (applyStock) this.pending.stock.set(movement.product_id, (this.pending.stock.get(movement.product_id) ?? 0) + movement.quantity);
    this.schedule();
  }

  /** A row of what the warehouse or the planner said (a forecast, an alert, a day's summary). */
  recorded<K extends EngineEntity>(entity: K, row: Entities[K]): void {
    const rows = this.pending.said.get(entity) ?? [];
    rows.push(row);
    this.pending.said.set(entity, rows);
    this.schedule();
  }

  progressed(state: LiveState): void {
    this.pending.state = state;
    this.schedule();
  }

  private schedule(delayMs = this.flushMs): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => void this.writing.then(() => this.cut()), delayMs);
  }

  /**
   * The batch is cut only once the write before it is done (group commit): what gathers
   * meanwhile joins it. Cut at once, a slow write would leave a queue of small transactions
   * behind it, each paying its own statements and commit, and the last of them waiting for
   * all. The timer stays set until the cut, so no second one waits alongside.
   */
  private cut(): Promise<void> {
    const wait = this.retryAt - Date.now();
    if (wait > 0 && !this.closed) {
      // A write failed meanwhile: its backoff holds for what gathered since too.
      this.timer = setTimeout(() => void this.cut(), wait);
      return this.writing;
    }
    this.timer = null;
    return this.closed ? this.writing : this.flush();
  }

  /** Writes what has gathered; calls never overlap, so the database sees changes in simulation order. */
  flush(): Promise<void> {
    const batch = this.pending;
    if (isEmpty(batch)) return this.writing;
    this.pending = emptyBatch();
    this.inFlight += batch.events.length;
    this.writing = this.writing.then(() => this.attempt(batch)).finally(() => (this.inFlight -= batch.events.length));
    return this.writing;
  }

  private published(batch: Batch<E>, ids: number[] | null): void {
    if (batch.events.length) this.hooks.committed?.(batch.events.map((e, i) => ({ payload: e.payload, outboxId: ids ? ids[i] : null })));
  }

  private recovered(): void {
    this.retryMs = 0;
    if (!this.down) return;
    this.down = false;
    this.hooks.outage?.(false, '');
  }

  private async attempt(batch: Batch<E>): Promise<void> {
    if (this.abandoned) return;
    try {
      if (this.hooks.allowed && !(await this.hooks.allowed())) {
        // Refused by the safety rules: the simulation goes on without the store.
        this.dropped += batch.orders.length + batch.statuses.size;
        this.published(batch, null);
        return;
      }
      this.published(batch, await this.write(batch));
      this.recovered();
    } catch (err) {
      if (err instanceof WriteAbandoned) {
        this.dropped += batch.orders.length + batch.statuses.size;
        this.published(batch, null);
        return;
      }
      this.failed++;
      this.lastError = (err as Error).message;
      if (transient(err)) {
        // Back in front of what has gathered since, and tried again later: nothing is lost, and nothing published, during an outage.
        this.hooks.onError?.(err as Error, true);
        if (!this.down) {
          this.down = true;
          this.hooks.outage?.(true, (err as Error).message);
        }
        this.pending = merge(batch, this.pending);
        this.retryMs = Math.min(5000, Math.max(250, this.retryMs * 2));
        this.retryAt = Date.now() + this.retryMs;
        this.schedule(this.retryMs);
        return;
      }
      try {
        if (!this.hooks.repair) throw err;
        await this.hooks.repair();
        this.published(batch, await this.write(batch));
        this.recovered();
      } catch (again) {
        // Rows that cannot be stored at all (not an outage): dropped, and said so; what happened is still told.
        this.dropped += batch.orders.length + batch.statuses.size;
        this.hooks.onError?.(again as Error, false);
        this.published(batch, null);
      }
    }
  }

  /** One transaction: the rows, then the events that tell of them; returns the events' outbox ids. */
  private async write(b: Batch<E>): Promise<number[]> {
    if (isEmpty(b)) return [];
    const abandoned = () => (this.hooks.writable && !this.hooks.writable() ? new WriteAbandoned('the store no longer takes the simulation\'s rows') : null);
    return this.store.transaction(async (tx) => {
      const gone = abandoned();
      if (gone) throw gone;
      // The statements are issued back to back and awaited together. Each helper below issues its
      // one statement when called, and a transaction runs them in the order issued (the
      // PostgreSQL store queues them, sending each after the one before; the embedded database's
      // thread takes them first come, first served, all at once). On the embedded database,
      // awaiting each before sending the next cost a message to its thread and back per
      // statement, each waiting for whatever this thread was doing (tens of milliseconds under load).
      // The change-feed lock comes first, before any row lock, like every writer of tracked
      // tables (see migration 003). A job that replaced the dataset while this waited for it is
      // caught after the statements ran (below), and the transaction rolls back.
      const sent: Array<Promise<unknown>> = [lockChangeFeed(tx)];
      for (let i = 0; i < b.orders.length; i += 500) sent.push(insertRecords(tx, 'orders', b.orders.slice(i, i + 500)));
      for (let i = 0; i < b.items.length; i += 500) sent.push(insertRecords(tx, 'order_items', b.items.slice(i, i + 500)));
      if (b.movements.length) {
        // An order a cleanup removed keeps its stock effects, no longer its link: checked in the
        // INSERT itself, not by a SELECT before it (a round trip less per batch).
        // Movement ids continue the seeded dataset's numbering; against another dataset an id may exist already.
        sent.push(insertRecordsUnnest(tx, 'inventory_movements', b.movements, 'skip', {
          order_id: `(SELECT o.order_id FROM ${tableOf('orders')} o WHERE o.order_id = v.order_id)`,
        }));
      }
      if (b.statuses.size) {
        // One statement for the batch, not one per order: each statement is a round trip (and on
        // PGlite a parse and plan on the database's one thread). An order's guard (the statuses it
        // may be in) travels as comma-joined text: a text[] per row would need a 2-D array.
        const changes = [...b.statuses];
        sent.push(tx.query(
          `UPDATE ${tableOf('orders')} AS o SET status = v.status, status_history = ${appendJsonArraySql('o.status_history', 'v.history')}, updated_at = v.at,
             cancellation_reason = COALESCE(v.reason, o.cancellation_reason), tracking_number = COALESCE(v.tracking, o.tracking_number), delivered_at = COALESCE(v.delivered, o.delivered_at)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
             AS v(order_id, status, history, at, reason, from_statuses, tracking, delivered)
           WHERE o.order_id = v.order_id AND o.status = ANY(string_to_array(v.from_statuses, ','))`,
          [
            changes.map(([id]) => id),
            changes.map(([, c]) => c.status),
            changes.map(([, c]) => JSON.stringify(c.history)),
            changes.map(([, c]) => c.at),
            changes.map(([, c]) => c.reason),
            changes.map(([, c]) => c.from.join(',')),
            changes.map(([, c]) => c.trackingNumber),
            changes.map(([, c]) => c.deliveredAt),
          ],
        ));
      }
      if (b.stock.size) {
        const ids = [...b.stock.keys()];
        sent.push(tx.query(
          `UPDATE ${tableOf('products')} AS p SET stock_quantity = GREATEST(0, p.stock_quantity + v.delta) FROM unnest($1::text[], $2::int[]) AS v(product_id, delta)
           WHERE p.product_id = v.product_id AND v.delta <> 0`,
          [ids, ids.map((id) => b.stock.get(id))],
        ));
      }
      // Replayed after a restart, a row may be there already: the same id, the same content.
      for (const [entity, rows] of b.said) for (let i = 0; i < rows.length; i += 500) sent.push(insertRecords(tx, entity, rows.slice(i, i + 500) as never[], 'skip'));
      if (b.state) sent.push(writeLiveState(tx, b.state));
      // Last: its later chunks (over 5,000 events) are sent as the earlier ones answer, after everything above.
      const outboxIds = appendUnpublished(tx, b.events.map((e) => e.envelope));
      // One awaits all, so a failure rejects here and no statement's rejection goes unhandled.
      let ids: number[];
      try {
        [, ids] = await Promise.all([Promise.all(sent), outboxIds]);
      } catch (err) {
        throw abandoned() ?? err;
      }
      const replaced = abandoned();
      if (replaced) throw replaced;
      this.written += b.orders.length + b.statuses.size + b.movements.length;
      return ids;
    });
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    this.closed = true;
  }
}

/** A failed batch followed by what gathered after it, as one batch in simulation order. */
function merge<E>(first: Batch<E>, then: Batch<E>): Batch<E> {
  const statuses = new Map(first.statuses);
  for (const [id, c] of then.statuses) {
    const before = statuses.get(id);
    statuses.set(
      id,
      before
        ? {
            from: before.from,
            status: c.status,
            at: c.at,
            reason: c.reason ?? before.reason,
            trackingNumber: c.trackingNumber ?? before.trackingNumber,
            deliveredAt: c.deliveredAt ?? before.deliveredAt,
            history: [...before.history, ...c.history],
          }
        : c,
    );
  }
  const said = new Map(first.said);
  for (const [entity, rows] of then.said) said.set(entity, [...(said.get(entity) ?? []), ...rows]);
  const stock = new Map(first.stock);
  for (const [id, d] of then.stock) stock.set(id, (stock.get(id) ?? 0) + d);
  return {
    events: [...first.events, ...then.events],
    orders: [...first.orders, ...then.orders],
    items: [...first.items, ...then.items],
    statuses,
    movements: [...first.movements, ...then.movements],
    said,
    stock,
    state: then.state ?? first.state,
  };
}
