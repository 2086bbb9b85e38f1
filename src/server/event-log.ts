/**
 * The hub's memory across restarts, kept in the store's outbox: every event this server
 * publishes is recorded with its seq (the live simulation's were written before they were
 * published; the others are recorded just after). On start, the recent history is loaded
 * back into the hub — sequence numbers go on from there, so a client resumes with `since`
 * across a restart — and whatever was committed but never published is published first.
 *
 * A seq is never issued twice, even after a crash. Events are recorded a moment after they
 * are published, so a killed server may have issued seqs it never recorded; numbering from
 * the last recorded one would give them to other events, and a client resuming after one of
 * them would skip those. So the log reserves seqs ahead (SEQ_RESERVE, renewed when half is
 * used, in the same transaction as the records), a restart after a crash goes on after the
 * reservation, and a clean stop writes its exact last seq, so numbering is unbroken then.
 * Only a store away for longer than half a reservation's events could let a crash reuse one.
 */
import type { SequencedEnvelope } from '../domain/events.js';
import type { EventHub, EventInput, HubEvent } from '../hub/hub.js';
import { prunePublished, readSeqReserved, recentPublished, recordPublished, unpublished, writeSeqReserved } from '../store/outbox.js';
import type { Queryable, Store } from '../store/store.js';

/** Records waiting for the store beyond this are dropped (they are history only; the events were delivered). */
const MAX_PENDING = 100_000;
const FLUSH_MS = 250;
const PRUNE_EVERY = 5_000;
const SEQ_RESERVE = 100_000;

export class EventLog {
  private marks: Array<{ id: number; seq: number }> = [];
  private added: Array<{ envelope: string; seq: number; changeId?: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private sincePrune = 0;
  private closed = false;
  /** Seqs up to this one are reserved in the store. */
  private reserved = 0;
  dropped = 0;

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly log: (message: string) => void,
  ) {
    hub.addLocalSink((e) => this.recorded(e));
    // Every seq counts, those of events fanned in from other servers too (they are not recorded here).
    hub.onSeq(() => {
      if (!this.closed && this.renewalDue) this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    });
  }

  private get renewalDue(): boolean {
    return this.hub.lastSeq > this.reserved - SEQ_RESERVE / 2;
  }

  /** The earlier run's history back into the hub, then what it committed but never published. Returns how many were published now. */
  async restore(): Promise<number> {
    const recent = await recentPublished(this.store, this.hub.history.capacity);
    this.hub.restore(recent.map((r) => ({ seq: r.seq, envelope: { ...(JSON.parse(r.envelope) as SequencedEnvelope), seq: r.seq } })));
    // After a crash, past whatever the last run may have issued; after a clean stop, exactly on.
    this.hub.skipTo((await readSeqReserved(this.store)) ?? 0);
    this.reserved = await reserveAhead(this.store, this.hub.lastSeq);
    const pending = await unpublished(this.store);
    for (const row of pending) {
      const { event_type, data, timestamp, event_id } = JSON.parse(row.envelope) as SequencedEnvelope;
      this.hub.publish({ event_type, data, timestamp, event_id, outboxId: row.id } as EventInput);
    }
    return pending.length;
  }

  private recorded(e: HubEvent): void {
    if (this.closed) return;
    if (e.outboxId !== undefined) this.marks.push({ id: e.outboxId, seq: e.seq });
    // A row change is kept whole in change_log: its record is the envelope without the data, and a reference.
    else if (e.changeId !== undefined) this.added.push({ envelope: JSON.stringify({ ...e.envelope, data: null }), seq: e.seq, changeId: e.changeId });
    else this.added.push({ envelope: e.frame, seq: e.seq });
    const over = this.marks.length + this.added.length - MAX_PENDING;
    if (over > 0) {
      this.dropped += over;
      this.added.splice(0, Math.min(over, this.added.length));
    }
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(async () => {
      const marks = this.marks;
      const added = this.added;
      if (!marks.length && !added.length && !this.renewalDue) return;
      this.marks = [];
      this.added = [];
      try {
        const reserved = await this.store.transaction(async (tx) => {
          await recordPublished(tx, marks, added);
          return this.renewalDue ? reserveAhead(tx, this.hub.lastSeq) : null;
        });
        if (reserved !== null) this.reserved = reserved;
        this.sincePrune += marks.length + added.length;
        if (this.sincePrune >= PRUNE_EVERY) {
          this.sincePrune = 0;
          await prunePublished(this.store, Math.max(this.hub.history.capacity, 10_000));
        }
      } catch (err) {
        // Kept for the next try (the store is away); the events themselves were delivered.
        this.marks = [...marks, ...this.marks];
        this.added = [...added, ...this.added];
        this.log(`event log: recording published events failed, will retry: ${(err as Error).message}`);
        if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), 2000);
      }
    });
    return this.writing;
  }

  /**
   * Stops without writing anything: a restore that failed part-way (it may have published some of
   * the pending events, arming the flush) must neither retry against a closed store nor record a
   * last seq, which could fall below what an earlier run reserved.
   */
  abandon(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The last records written, and the last seq exactly (the next run numbers on from it); events published after this are not recorded (the store is about to close). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await writeSeqReserved(this.store, this.hub.lastSeq).catch((err: Error) => this.log(`event log: could not write the last seq (the next start numbers past the reservation): ${err.message}`));
  }
}

/** Takes the seqs up to SEQ_RESERVE past `lastSeq`, so a crash never leaves one to reuse; returns the last one taken. */
async function reserveAhead(db: Queryable, lastSeq: number): Promise<number> {
  await writeSeqReserved(db, lastSeq + SEQ_RESERVE);
  return lastSeq + SEQ_RESERVE;
}
