/**
 * The event hub: every event the server delivers passes here once. It stamps the
 * per-server sequence, serialises the frame once for every client, keeps the resume
 * history and hands the event to the local clients (WebSocket, SSE) and, for events that
 * originate on this server, to the outbound sinks (Kafka, Redis fan-out).
 */
import { randomUUID } from 'node:crypto';
import { channelOf, CHANNELS, type Channel, type EventType, type SequencedEnvelope } from '../domain/events.js';
import { History } from './history.js';

export interface HubEvent {
  seq: number;
  channel: Exclude<Channel, 'all'>;
  envelope: SequencedEnvelope;
  /** The WebSocket frame, serialised once. */
  frame: string;
  /** Whether this server produced it (false for events fanned in from another server). */
  local: boolean;
}

export interface EventInput {
  event_type: EventType;
  data: Record<string, unknown>;
  timestamp?: string;
  event_id?: string;
}

/** A connected client: the hub asks whether it wants a channel and hands it the event. */
export interface HubClient {
  wants(channel: Exclude<Channel, 'all'>): boolean;
  deliver(event: HubEvent): void;
  channels(): ReadonlySet<Channel>;
}

export type Sink = (event: HubEvent) => void;

export class EventHub {
  readonly history: History;
  private seq = 0;
  private readonly clients = new Set<HubClient>();
  private readonly localSinks: Sink[] = [];
  readonly published: Record<string, number> = Object.fromEntries(CHANNELS.filter((c) => c !== 'all').map((c) => [c, 0]));

  constructor(historySize: number) {
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
    const envelope: SequencedEnvelope = {
      type: 'event',
      event_id: input.event_id ?? randomUUID(),
      event_type: input.event_type,
      timestamp: input.timestamp ?? new Date().toISOString(),
      data: input.data,
      seq: ++this.seq,
    };
    const channel = channelOf(envelope.event_type);
    const event: HubEvent = { seq: envelope.seq, channel, envelope, frame: JSON.stringify(envelope), local };
    this.history.push(event);
    this.published[channel]++;
    for (const client of this.clients) if (client.wants(channel)) client.deliver(event);
    return event;
  }

  /** Sinks see only events that originate on this server, so each event leaves the cluster once. */
  addLocalSink(sink: Sink): void {
    this.localSinks.push(sink);
  }

  add(client: HubClient): void {
    this.clients.add(client);
  }

  remove(client: HubClient): void {
    this.clients.delete(client);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Clients per subscribed channel (spec 003's channel_stats). */
  channelStats(): Record<string, number> {
    const stats: Record<string, number> = {};
    for (const client of this.clients) for (const c of client.channels()) stats[c] = (stats[c] ?? 0) + 1;
    return stats;
  }
}

/** Channel filter shared by WebSocket and SSE clients: `all` takes everything, `system` always arrives. */
export function wantsChannel(subscribed: ReadonlySet<Channel>, channel: Exclude<Channel, 'all'>): boolean {
  return channel === 'system' || subscribed.has('all') || subscribed.has(channel);
}
