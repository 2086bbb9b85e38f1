/**
 * The event hub: every event the server delivers passes here once. It stamps the
 * per-server sequence, serialises the frame once for every client, keeps the resume
 * history and hands the event to the local clients (WebSocket, SSE) and, for events that
 * originate on this server, to the outbound sinks (Kafka, Redis fan-out).
 */
import { randomUUID } from 'node:crypto';
import { channelOf, CHANNELS, type Channel, type EventData, type EventType, type SequencedEnvelope } from '../domain/events.js';
import { History } from './history.js';

export interface HubEvent {
  seq: number;
  channel: Exclude<Channel, 'all'>;
  envelope: SequencedEnvelope;
  /** The WebSocket frame, serialised once. */
  frame: string;
  /** Whether this server produced it (false for events fanned in from another server). */
  local: boolean;
  /**
   * Transport encodings, built once by the first client that needs them and shared by all;
   * dropped once its batch is delivered (a replay encodes from `frame`), so the history does
   * not hold every event three or four times over.
   */
  wsFrame?: Buffer;
  sseText?: string;
  /** The same, one form only (SSE `names=named` or `names=unnamed`). */
  sseNamed?: string;
  sseUnnamed?: string;
  /** Its row in the store's outbox, when it was written there before it was published. */
  outboxId?: number;
  /** The change_log row a row-change event tells of (the store keeps its data there). */
  changeId?: number;
}

/** An event to publish: a type and the payload its schema declares (the typed emit of the whole server). */
export type EventInput = {
  [T in EventType]: { event_type: T; data: EventData<T>; timestamp?: string; event_id?: string; test?: true; note?: string; outboxId?: number; changeId?: number };
}[EventType];

/**
 * A connected client. The hub hands it each batch of events in seq order; the client keeps
 * those on its channels with seq > `afterSeq` (set when it joins, so nothing it was
 * replayed arrives twice).
 */
export interface HubClient {
  afterSeq: number;
  wants(channel: Exclude<Channel, 'all'>): boolean;
  deliver(events: readonly HubEvent[], batch: BatchCache): void;
  channels(): ReadonlySet<Channel>;
}

/**
 * Per-flush scratch shared by all clients: encodings of the whole batch for one channel
 * selection, so a thousand clients on `all` share one buffer instead of building a thousand.
 */
export type BatchCache = Map<string, Buffer | string>;

export type Sink = (event: HubEvent) => void;

export class EventHub {
  readonly history: History;
  private seq = 0;
  private readonly clients = new Set<HubClient>();
  private readonly localSinks: Sink[] = [];
  readonly published: Record<string, number> = Object.fromEntries(CHANNELS.filter((c) => c !== 'all').map((c) => [c, 0]));

  private readonly seqWatchers: Array<(seq: number) => void> = [];
  private pending: HubEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  /**
   * `coalesceMs`: events published within this window reach each client in one socket
   * write. It bounds the added latency; it saves a system call per event per client, which
   * is what limits fan-out to many clients.
   */
  constructor(
    historySize: number,
    private readonly coalesceMs = 5,
  ) {
    this.history = new History(historySize);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Publishes an event produced here: delivered locally and passed to the outbound sinks. */
  publish(input: EventInput): HubEvent {
    const event = this.deliver(input, true);
    for (const sink of this.localSinks) sink(event);
    return event;
  }

  /** Delivers an event to this server's clients without passing it on (fan-in from another server). */
  deliver(input: EventInput, local: boolean): HubEvent {
    const envelope = {
      type: 'event',
      event_id: input.event_id ?? randomUUID(),
      event_type: input.event_type,
      timestamp: input.timestamp ?? new Date().toISOString(),
      data: input.data,
      ...(input.test ? { test: true, ...(input.note !== undefined ? { note: input.note } : {}) } : {}),
      seq: ++this.seq,
    } as SequencedEnvelope;
    const channel = channelOf(envelope.event_type);
    const event: HubEvent = { seq: envelope.seq, channel, envelope, frame: JSON.stringify(envelope), local };
    if (input.outboxId !== undefined) event.outboxId = input.outboxId;
    if (input.changeId !== undefined) event.changeId = input.changeId;
    for (const watch of this.seqWatchers) watch(envelope.seq);
    this.history.push(event);
    this.published[channel]++;
    this.pending.push(event);
    this.flushTimer ??= setTimeout(this.flush, this.coalesceMs);
    return event;
  }

  /** Hands every pending event to every client (called by the coalescing timer, and on shutdown). */
  flush = (): void => {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    const cache: BatchCache = new Map();
    for (const client of this.clients) client.deliver(batch, cache);
    for (const e of batch) e.wsFrame = e.sseText = e.sseNamed = e.sseUnnamed = undefined;
  };

  /**
   * A history kept from an earlier run (the store's record of it): sequence numbers go on
   * from its last one, so a client resumes across the restart with `since`.
   */
  restore(events: ReadonlyArray<{ seq: number; envelope: SequencedEnvelope }>): void {
    for (const { seq, envelope } of events) {
      if (seq <= this.seq) continue;
      const channel = channelOf(envelope.event_type);
      this.history.push({ seq, channel, envelope, frame: JSON.stringify(envelope), local: true });
      this.published[channel]++;
      this.seq = seq;
    }
  }

  /** Numbering goes on after `seq` (never back): seqs an earlier run may have issued unrecorded are not issued again. */
  skipTo(seq: number): void {
    if (seq <= this.seq) return;
    this.history.skipped(this.seq, seq);
    this.seq = seq;
  }

  /** Called with every seq issued, local or fanned in. */
  onSeq(watch: (seq: number) => void): void {
    this.seqWatchers.push(watch);
  }

  /** Sinks see only events that originate on this server, so each event leaves the cluster once. */
  addLocalSink(sink: Sink): void {
    this.localSinks.push(sink);
  }

  /** Registers a client; it receives events published from now on (anything earlier comes from a replay). */
  add(client: HubClient): void {
    client.afterSeq = this.seq;
    this.clients.add(client);
  }

  remove(client: HubClient): void {
    this.clients.delete(client);
  }

  /** Clients that receive a channel (each counted once, whatever else it subscribed to). */
  recipients(channel: Exclude<Channel, 'all'>): number {
    let n = 0;
    for (const client of this.clients) if (client.wants(channel)) n++;
    return n;
  }
}

/** Clients per subscribed channel (spec 003's channel_stats). */
export function channelStats(clients: Iterable<HubClient>): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const client of clients) for (const c of client.channels()) stats[c] = (stats[c] ?? 0) + 1;
  return stats;
}

/**
 * What every transport's client shares: its channels, the channel filter (`all` takes
 * everything, `system` always arrives), where its live stream starts, and the batch-cache
 * key of its channel selection.
 */
export abstract class Subscription implements HubClient {
  private readonly subscribed: Set<Channel>;
  private selection: string | null = null;
  afterSeq = 0;

  constructor(channels: readonly Channel[]) {
    this.subscribed = new Set(channels);
  }

  subscribe(channel: Channel): void {
    this.subscribed.add(channel);
    this.selection = null;
  }

  unsubscribe(channel: Channel): void {
    this.subscribed.delete(channel);
    this.selection = null;
  }

  channels(): ReadonlySet<Channel> {
    return this.subscribed;
  }

  wants(channel: Exclude<Channel, 'all'>): boolean {
    return channel === 'system' || this.subscribed.has('all') || this.subscribed.has(channel);
  }

  /** Clients with the same channels receive the same bytes: the key under which a batch's encoding is shared, or null when this client must skip part of the batch. */
  protected batchKey(transport: string, events: readonly HubEvent[]): string | null {
    if (events[0].seq <= this.afterSeq) return null;
    this.selection ??= [...this.subscribed].sort().join(',');
    return `${transport}:${this.selection}`;
  }

  abstract deliver(events: readonly HubEvent[], batch: BatchCache): void;
}
