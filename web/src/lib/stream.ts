/**
 * One WebSocket to /stream/ws shared by every view. It reconnects with backoff and
 * resumes with `since=<last seq>`, so nothing is lost or shown twice across a server
 * restart (events are also deduplicated by id). Incoming events are buffered and handed to
 * subscribers once per animation frame: at a thousand events a second React still renders
 * a few dozen times a second, not a thousand.
 */
import type { SequencedEnvelope } from '../../../src/domain/events.js';
import { streamUrl } from './api.js';

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; serverId: string }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { kind: 'offline' };

export interface StreamStatus {
  state: ConnectionState;
  /** Where the page resumes from: the newest event's seq it received, or (before its first event) the server's last seq when it connected. */
  lastSeq: number;
  /** When the newest event reached this page (null before the first): with it, lastSeq is that event's seq. */
  lastEventAt: number | null;
  received: number;
  /** Set when the server said events were missed (stream.gap). */
  gap: { missed: number | null; at: number } | null;
}

type Listener = (events: readonly SequencedEnvelope[]) => void;

const MAX_BACKOFF_MS = 10_000;
const DEDUPE_WINDOW = 50_000;
/** Events kept for views that open later (the event explorer starts with them). */
const RECENT = 500;
/**
 * The header's "last event · seq" is re-rendered at most this often while events flow:
 * once per frame, its text change cost a style, layout and paint pass of the whole page
 * sixty times a second (the largest share of /monitoring's main thread at 1,000 events/s).
 * Connection changes (live, reconnecting, a gap) are still announced at once.
 */
const PROGRESS_MS = 500;

class Stream {
  private socket: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private statusListeners = new Set<() => void>();
  private buffer: SequencedEnvelope[] = [];
  private recentEvents: SequencedEnvelope[] = [];
  private flushScheduled = false;
  private seen = new Set<string>();
  private seenOrder: string[] = [];
  private attempt = 0;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private progressAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  // The progress as it stands; published in `status` at most every PROGRESS_MS.
  private seq = -1;
  private eventAt: number | null = null;
  private count = 0;
  /**
   * What the views render (through useSyncExternalStore): a new object at each change, never
   * changed in place — a change made in place is one React cannot see, and one a render
   * between two publications would show half of.
   */
  status: StreamStatus = { state: { kind: 'connecting', attempt: 1 }, lastSeq: -1, lastEventAt: null, received: 0, gap: null };

  start(): void {
    if (this.socket) return;
    this.connect();
    window.addEventListener('online', () => this.retryNow());
  }

  private setStatus(patch: Partial<StreamStatus>): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.progressAt = Date.now();
    this.status = { ...this.status, ...patch, lastSeq: this.seq, lastEventAt: this.eventAt, received: this.count };
    for (const l of this.statusListeners) l();
  }

  /** lastSeq, received and lastEventAt moved on: tell the listeners, at most every PROGRESS_MS. */
  private progress(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => this.setStatus({}), Math.max(0, this.progressAt + PROGRESS_MS - Date.now()));
  }

  private connect(): void {
    this.attempt++;
    if (this.attempt > 1 || this.status.state.kind !== 'connecting') this.setStatus({ state: { kind: 'connecting', attempt: this.attempt } });
    const since = this.seq >= 0 ? this.seq : undefined;
    const socket = new WebSocket(streamUrl('/stream/ws', { channels: 'all', since }, true));
    this.socket = socket;
    socket.onmessage = (msg) => this.onFrame(msg.data as string);
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry(e.reason || (e.code === 1001 ? 'the server is restarting' : `closed (${e.code})`));
    };
  }

  private scheduleRetry(reason: string): void {
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.attempt, 6)) * (0.75 + Math.random() * 0.5);
    if (!navigator.onLine) return this.setStatus({ state: { kind: 'offline' } });
    this.setStatus({ state: { kind: 'reconnecting', attempt: this.attempt, retryInMs: Math.round(delay), reason } });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  retryNow(): void {
    if (this.socket) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.connect();
  }

  private onFrame(raw: string): void {
    let frame: { type: string; [k: string]: unknown };
    try {
      frame = JSON.parse(raw) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'connected') {
      this.attempt = 0;
      // A fresh client starts live: from the server's last seq (no event of this page's: the header says so).
      if (this.seq < 0 && typeof frame.last_seq === 'number') this.seq = frame.last_seq;
      this.setStatus({ state: { kind: 'connected', serverId: String(frame.server_id) } });
      return;
    }
    if (frame.type === 'ping') {
      this.socket?.send(JSON.stringify({ action: 'pong' }));
      return;
    }
    if (frame.type !== 'event') return;
    const event = frame as unknown as SequencedEnvelope;
    if (this.seen.has(event.event_id)) return;
    this.remember(event.event_id);
    this.seq = Math.max(this.seq, event.seq);
    this.eventAt = Date.now();
    this.count++;
    this.buffer.push(event);
    this.scheduleFlush();
    if (event.event_type === 'stream.gap') this.setStatus({ gap: { missed: (event.data as { missed: number | null }).missed, at: Date.now() } });
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > DEDUPE_WINDOW) {
      for (const old of this.seenOrder.splice(0, DEDUPE_WINDOW / 2)) this.seen.delete(old);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    let done = false;
    const flush = () => {
      if (done) return;
      done = true;
      this.flushScheduled = false;
      const batch = this.buffer;
      this.buffer = [];
      for (const e of batch) this.recentEvents.push(e);
      if (this.recentEvents.length > RECENT * 2) this.recentEvents.splice(0, this.recentEvents.length - RECENT);
      // A copy: one that subscribes meanwhile starts after this batch; one that left meanwhile is skipped.
      for (const l of [...this.listeners]) if (this.listeners.has(l)) l(batch);
      this.progress();
    };
    requestAnimationFrame(flush);
    // A hidden tab gets no animation frames: events still arrive, a few times a second.
    setTimeout(flush, 250);
  }

  /** The last events this page received (oldest first), before any view subscribed. */
  recent(): SequencedEnvelope[] {
    return this.recentEvents.slice(-RECENT);
  }

  /**
   * Calls `listener` with each batch from now on. With `after` (an event recent() returned, or
   * null for none), it is first handed, in the same step, the recent events received after that
   * one: a view that shows recent() when it renders and subscribes in its effects would
   * otherwise lose a batch delivered between the two (an animation frame can fall there).
   */
  subscribe(listener: Listener, after?: SequencedEnvelope | null): () => void {
    if (after !== undefined) {
      const recent = this.recentEvents;
      // Not found: trimmed away, so every event still held came after it.
      const missed = recent.slice(after === null ? 0 : recent.lastIndexOf(after) + 1);
      if (missed.length) listener(missed);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  dismissGap(): void {
    this.setStatus({ gap: null });
  }
}

export const stream = new Stream();
