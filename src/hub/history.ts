/**
 * The last N delivered events, by sequence: what a reconnecting WebSocket (`?since=`) or
 * SSE client (`Last-Event-ID`) missed. A ring buffer, so memory is fixed whatever the rate.
 * Sequences ascend but may skip numbers (a history restored after a restart holds what was
 * recorded of the previous run), so a position is found by binary search.
 */
import type { HubEvent } from './hub.js';

export interface Replay {
  events: HubEvent[];
  /** Set when the client asked for events older than the buffer holds. */
  gap: { requestedSince: number; oldestAvailable: number; missed: number } | null;
}

export class History {
  private readonly ring: Array<HubEvent | undefined>;
  private count = 0;
  /** Numbers never issued (after a crash, numbering goes on past a reservation): not missed by anyone. */
  private readonly unissued: Array<{ after: number; upTo: number }> = [];

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  push(event: HubEvent): void {
    this.ring[this.count % this.capacity] = event;
    this.count++;
  }

  get size(): number {
    return Math.min(this.count, this.capacity);
  }

  /** The i-th held event, oldest first. */
  private at(i: number): HubEvent {
    return this.ring[(this.count - this.size + i) % this.capacity]!;
  }

  /** Sequence of the oldest event still held (the next one to be issued when empty). */
  get oldestSeq(): number {
    return this.size ? this.at(0).seq : this.count + 1;
  }

  get lastSeq(): number {
    return this.size ? this.at(this.size - 1).seq : 0;
  }

  /** Seqs after `after` up to `upTo` will never be issued. */
  skipped(after: number, upTo: number): void {
    this.unissued.push({ after, upTo });
  }

  /** Held events with seq > since (at most `limit` of them), in order, and whether some were already evicted. */
  since(since: number, limit = Number.POSITIVE_INFINITY): Replay {
    const n = this.size;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid).seq <= since) lo = mid + 1;
      else hi = mid;
    }
    const events: HubEvent[] = [];
    for (let i = lo; i < n && events.length < limit; i++) events.push(this.at(i));
    const oldest = n ? this.at(0).seq : 0;
    let missed = n ? oldest - (since + 1) : 0;
    // Numbers in a jump were never issued: only events that existed count as missed.
    for (const { after, upTo } of this.unissued) missed -= Math.max(0, Math.min(upTo, oldest - 1) - Math.max(after, since));
    const gap = missed > 0 ? { requestedSince: since, oldestAvailable: this.at(0).seq, missed } : null;
    return { events, gap };
  }
}
