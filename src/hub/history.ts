/**
 * The last N delivered events, by sequence: what a reconnecting WebSocket (`?since=`) or
 * SSE client (`Last-Event-ID`) missed. A ring buffer, so memory is fixed whatever the rate.
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

  /** Sequence of the oldest event still held (events are numbered from 1). */
  get oldestSeq(): number {
    return this.count - this.size + 1;
  }

  get lastSeq(): number {
    return this.count;
  }

  /** Every held event with seq > since, in order, and whether some were already evicted. */
  since(since: number): Replay {
    const from = Math.max(since + 1, this.oldestSeq);
    const events: HubEvent[] = [];
    for (let seq = from; seq <= this.count; seq++) events.push(this.ring[(seq - 1) % this.capacity]!);
    const missed = this.oldestSeq - (since + 1);
    const gap = missed > 0 && this.count > 0 ? { requestedSince: since, oldestAvailable: this.oldestSeq, missed } : null;
    return { events, gap };
  }
}
