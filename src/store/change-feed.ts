/**
 * The change feed: follows mock_data.change_log (migration 003) and emits every committed
 * row change once, in commit order. NOTIFY only says "something changed"; the table is the
 * truth, read after a cursor (the last change_id emitted). That is what makes the feed
 * lossless: a missed notification, a dropped listener or a restart of the LISTEN
 * connection only delays changes, because the next read after the cursor finds them.
 */
import type { RowChange } from '../domain/events.js';
import type { Listener, Queryable, Store } from './store.js';

export const CHANGE_CHANNEL = 'orderstream_changes';

export type ChangeFeedState = 'stopped' | 'starting' | 'listening' | 'reconnecting';

export interface ChangeFeedOptions {
  onChange: (change: RowChange) => void;
  /** Problems worth a log line (a failed read, a dropped listener); the feed carries on. */
  onError?: (message: string) => void;
  /** Emit changes after this change_id; unset starts at the newest (a server does not replay old history). */
  startAfter?: number;
  /** Rows per read; a backlog is read in pages of this size until none is left. */
  batchSize?: number;
  /** The first wait before re-listening after the connection drops; doubles up to reconnectMaxMs. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** A read now and then whatever the notifications say, in case one went missing. 0 turns it off. */
  pollIntervalMs?: number;
  /** How often old change_log rows are pruned (0: never), and what is kept. */
  pruneIntervalMs?: number;
  retention?: Retention;
}

export interface Retention {
  /** Keep at most this many of the newest rows… */
  maxRows: number;
  /** …and none older than this. */
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: Retention = { maxRows: 100_000, maxAgeMs: 24 * 3600_000 };

export interface ChangeFeedReport {
  state: ChangeFeedState;
  cursor: number | null;
  emitted: number;
  notifications: number;
  reads: number;
  reconnects: number;
  pruned: number;
  last_change_at: string | null;
  /** From the change's clock_timestamp() in the database to its emission here, for the last change. */
  lag_ms: number | null;
  last_error: string | null;
}

export interface ChangeRow {
  change_id: number;
  table_name: RowChange['table'];
  op: RowChange['op'];
  row_id: string;
  old_row: Record<string, unknown> | null;
  new_row: Record<string, unknown> | null;
  changed_at: string;
}

/** The columns a change is read with (the feed, and the event log joining its records back). */
export const CHANGE_COLUMNS = 'change_id, table_name, op, row_id, old_row, new_row, changed_at';

const READ_SQL = `SELECT ${CHANGE_COLUMNS} FROM mock_data.change_log WHERE change_id > $1 ORDER BY change_id LIMIT $2`;

/** A change_log row as the feed emits it. */
export function rowChangeOf(row: ChangeRow): RowChange {
  return { table: row.table_name, op: row.op, row_id: row.row_id, change_id: Number(row.change_id), old: row.old_row, new: row.new_row, changed_at: row.changed_at };
}

/** After a failed read (the database briefly away), try again this soon rather than waiting for the poll. */
const READ_RETRY_MS = 1000;

export class ChangeFeed {
  private stateValue: ChangeFeedState = 'stopped';
  private cursor: number | null;
  private listener: Listener | null = null;
  private stopped = true;

  /** One read in flight at a time; a notification during it sets `readAgain`. */
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private connecting: Promise<void> | null = null;
  private pruning: Promise<unknown> | null = null;

  private backoffMs: number;
  private listeningSince = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;

  private readonly counts = { emitted: 0, notifications: 0, reads: 0, reconnects: 0, pruned: 0 };
  private lastChangeAt: string | null = null;
  private lagMs: number | null = null;
  private lastError: string | null = null;

  private readonly batchSize: number;
  private readonly reconnectInitialMs: number;
  private readonly reconnectMaxMs: number;

  constructor(
    private readonly store: Store,
    private readonly options: ChangeFeedOptions,
  ) {
    this.cursor = options.startAfter ?? null;
    this.batchSize = options.batchSize ?? 1000;
    this.reconnectInitialMs = options.reconnectInitialMs ?? 100;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 5000;
    this.backoffMs = this.reconnectInitialMs;
  }

  get state(): ChangeFeedState {
    return this.stateValue;
  }

  /** The last change_id emitted (or the start position before any). */
  get position(): number | null {
    return this.cursor;
  }

  /**
   * Listens and reads whatever is already after the cursor. Resolves after the first
   * attempt either way: if the database cannot be listened to yet, the feed keeps trying
   * in the background (state `reconnecting`) rather than failing whoever started it.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.stateValue = 'starting';
    const poll = this.options.pollIntervalMs ?? 5000;
    if (poll > 0) this.pollTimer = setInterval(() => this.requestRead(), poll).unref();
    const prune = this.options.pruneIntervalMs ?? 60_000;
    if (prune > 0) this.pruneTimer = setInterval(() => void this.prune(), prune).unref();
    await this.connect();
  }

  /** Stops listening and waits for a read in flight, so the store can be closed right after. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stateValue = 'stopped';
    for (const timer of [this.reconnectTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    for (const timer of [this.pollTimer, this.pruneTimer]) if (timer) clearInterval(timer);
    this.reconnectTimer = this.retryTimer = this.pollTimer = this.pruneTimer = null;
    await this.connecting;
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
    // Settled, not all: a prune failing during shutdown is already reported and must not fail stop().
    await Promise.allSettled([this.reading, this.pruning]);
  }

  report(): ChangeFeedReport {
    return {
      state: this.stateValue,
      cursor: this.cursor,
      ...this.counts,
      last_change_at: this.lastChangeAt,
      lag_ms: this.lagMs,
      last_error: this.lastError,
    };
  }

  /** Deletes change_log rows past the retention that this feed has already emitted. */
  async prune(): Promise<number> {
    if (this.stopped || this.cursor === null || this.pruning) return 0;
    const run = pruneChangeLog(this.store, this.cursor, this.options.retention ?? DEFAULT_RETENTION);
    this.pruning = run;
    try {
      const deleted = await run;
      this.counts.pruned += deleted;
      return deleted;
    } catch (err) {
      this.fail(`pruning change_log failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.pruning = null;
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= this.listenOnce().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** One attempt to LISTEN; on failure the next attempt is scheduled with a longer wait. */
  private async listenOnce(): Promise<void> {
    // A drop reported before listen() has even resolved (the connection died during LISTEN)
    // makes this attempt a failure instead of leaving a dead listener in place.
    let established = false;
    let earlyDrop: Error | null = null;
    let listener: Listener | null = null;
    try {
      listener = await this.store.listen(CHANGE_CHANNEL, {
        onNotify: () => {
          if (!established) return; // the read after LISTEN covers it
          this.counts.notifications++;
          this.requestRead();
        },
        onDrop: (err) => {
          if (established) this.dropped(err);
          else earlyDrop = err;
        },
      });
      if (earlyDrop) throw earlyDrop;
      // LISTEN before taking the start position, so nothing committed in between is missed.
      if (this.cursor === null) this.cursor = await currentChangeId(this.store);
    } catch (err) {
      await listener?.close();
      if (this.stopped) return;
      this.fail(`change feed cannot listen: ${(err as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await listener.close();
      return;
    }
    this.listener = listener;
    established = true;
    this.stateValue = 'listening';
    this.listeningSince = Date.now();
    // Whatever was committed while nobody listened (or before start) is in the table.
    this.requestRead();
  }

  private dropped(err: Error): void {
    if (this.stopped) return;
    this.listener = null;
    this.counts.reconnects++;
    // Only a connection that held for a while earns a quick retry; one that drops as soon as
    // it is back (a flapping network, a server killing it) keeps the longer wait.
    if (Date.now() - this.listeningSince >= this.reconnectMaxMs) this.backoffMs = this.reconnectInitialMs;
    this.fail(`change feed listener dropped: ${err.message}`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.stateValue = 'reconnecting';
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.reconnectMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private requestRead(): void {
    if (this.stopped || this.cursor === null) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.readAgain = false;
    this.reading = this.drain().finally(() => {
      this.reading = null;
      if (this.readAgain) this.requestRead();
    });
  }

  /** Reads pages after the cursor until one comes back short: the backlog is then empty. */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        this.counts.reads++;
        const { rows } = await this.store.query<ChangeRow>(READ_SQL, [this.cursor, this.batchSize]);
        if (this.stopped) return;
        for (const row of rows) this.emit(row);
        if (rows.length < this.batchSize) return;
      }
    } catch (err) {
      if (this.stopped) return;
      this.fail(`reading change_log failed: ${(err as Error).message}`);
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.requestRead();
      }, READ_RETRY_MS);
    }
  }

  private emit(row: ChangeRow): void {
    const change = rowChangeOf(row);
    // The cursor moves first: a consumer that throws must not make the feed emit the change again forever.
    this.cursor = row.change_id;
    this.counts.emitted++;
    this.lastChangeAt = row.changed_at;
    this.lagMs = Math.max(0, Date.now() - Date.parse(row.changed_at));
    try {
      this.options.onChange(change);
    } catch (err) {
      this.fail(`change ${row.change_id} consumer failed: ${(err as Error).message}`);
    }
  }

  private fail(message: string): void {
    this.lastError = message;
    this.options.onError?.(message);
  }
}

/** The newest change_id, 0 for an empty log: where a feed that does not replay starts. */
export async function currentChangeId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT COALESCE(max(change_id), 0)::bigint AS id FROM mock_data.change_log');
  return rows[0].id;
}

/**
 * Deletes the rows outside the retention (beyond the newest maxRows, or older than maxAgeMs),
 * but never one after `upTo`: a change nobody has read yet stays whatever its age.
 * Cheap by construction: every step walks the change_id index from the oldest end, so it
 * touches only the rows it deletes plus one, however large the log is.
 */
export async function pruneChangeLog(db: Queryable, upTo: number, retention: Retention): Promise<number> {
  const { rowCount } = await db.query(
    `WITH newest AS (SELECT COALESCE(max(change_id), 0) AS id FROM mock_data.change_log),
          first_young AS (
            SELECT change_id FROM mock_data.change_log
            WHERE changed_at >= now() - $3::double precision * interval '1 millisecond'
            ORDER BY change_id LIMIT 1)
     DELETE FROM mock_data.change_log
     WHERE change_id <= LEAST($1::bigint, GREATEST(
       (SELECT id FROM newest) - $2::bigint,
       COALESCE((SELECT change_id FROM first_young) - 1, (SELECT id FROM newest))))`,
    [upTo, retention.maxRows, retention.maxAgeMs],
  );
  return rowCount;
}
