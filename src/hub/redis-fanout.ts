/**
 * Fan-out across servers through Redis pub/sub (spec 003's "Redis for WebSocket pub/sub
 * across multiple API instances"). Each server publishes the events it produces, tagged
 * with its id, and delivers to its own clients the events the others publish, so every
 * client of every server receives every event exactly once. If Redis goes away, each
 * server keeps serving its own events to its own clients.
 */
import { Redis } from 'ioredis';
import { EventEnvelope } from '../domain/events.js';
import type { EventHub, EventInput } from './hub.js';

export type RedisState = 'connecting' | 'connected' | 'unavailable' | 'closed';

/** How long a start waits for Redis to be ready (connected and answering): long enough for a Redis that is still loading its data. */
const READY_TIMEOUT_MS = 30_000;

export class RedisFanout {
  state: RedisState = 'connecting';
  published = 0;
  received = 0;
  /** Events that could not be published while Redis was down (their local clients still got them). */
  failed = 0;
  /** Messages from Redis that were not valid envelopes (never delivered). */
  rejected = 0;
  lastError: string | null = null;
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** How this server's own messages begin (see start): they come back from Redis and are skipped unparsed. */
  private readonly ownPrefix: string;

  constructor(
    private readonly hub: EventHub,
    private readonly options: { url: string; channel: string; serverId: string; readyTimeoutMs?: number },
  ) {
    this.ownPrefix = `{"origin":${JSON.stringify(options.serverId)},`;
    const common = { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(2000, 100 * n) };
    // No offline queue on the publisher: while Redis is down, events are not hoarded in memory.
    this.pub = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.sub = new Redis(options.url, common);
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => (this.lastError = err.message));
      client.on('close', () => this.state !== 'closed' && (this.state = 'unavailable'));
      client.on('ready', () => (this.state = this.pub.status === 'ready' && this.sub.status === 'ready' ? 'connected' : this.state));
    }
  }

  async start(): Promise<void> {
    // ioredis bounds the TCP connect, not its ready check: a peer that takes the connection and never
    // answers (not a Redis server) would hold the start for ever.
    const limit = this.options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${limit / 1000} s: not a Redis server, or one still loading its data`)), limit);
    });
    const connecting = Promise.all([this.pub.connect(), this.sub.connect()]);
    connecting.catch(() => undefined); // after a timeout, close() ends it: its rejection is no news
    try {
      await Promise.race([connecting, silent]);
    } finally {
      clearTimeout(timer);
    }
    this.sub.on('message', (_channel: string, message: string) => this.onMessage(message));
    await this.sub.subscribe(this.options.channel);
    this.state = 'connected';
    this.hub.addLocalSink((event) => {
      const { seq: _seq, ...envelope } = event.envelope;
      // `origin` first: onMessage recognises this server's own messages by how they begin.
      this.pub.publish(this.options.channel, JSON.stringify({ origin: this.options.serverId, envelope })).then(
        () => this.published++,
        (err: Error) => {
          this.failed++;
          this.lastError = err.message;
        },
      );
    });
  }

  private onMessage(message: string): void {
    if (message.startsWith(this.ownPrefix)) return; // delivered locally when it was published
    let parsed: { origin?: unknown; envelope?: unknown };
    try {
      parsed = JSON.parse(message);
    } catch {
      this.rejected++;
      return;
    }
    if (parsed.origin === this.options.serverId) return; // delivered locally when it was published
    const envelope = EventEnvelope.safeParse(parsed.envelope);
    if (!envelope.success) {
      this.rejected++;
      return;
    }
    this.received++;
    this.hub.deliver(envelope.data as EventInput, false);
  }

  async close(): Promise<void> {
    this.state = 'closed';
    // quit() says goodbye on a connection that is up. On one never started (a start that failed
    // before Redis's turn) it would connect first, and on one that is retrying it fails and leaves the
    // retries running: either would keep the process alive. Those are disconnected instead.
    await Promise.allSettled([this.pub, this.sub].map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())));
  }
}
