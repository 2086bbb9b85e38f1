/**
 * Kafka output with the guarantees specs 003 and 004 ask for: acks=all, an idempotent
 * producer (so retries never duplicate or reorder), messages keyed by entity id so one
 * entity's events stay in order on one partition.
 *
 * The client is Confluent's librdkafka binding (KafkaJS-compatible API). It is an optional
 * dependency: where it could not be built, Kafka output fails with instructions and
 * everything else still works.
 *
 * Outages: librdkafka keeps retrying undelivered messages in order (no message timeout).
 * Events accepted but not yet acknowledged are the fallback queue, bounded by `capacity`;
 * while the broker cannot be reached, events wait there (or, before the first connection,
 * in our own queue) and drain in order when it returns. Past the bound, new events are
 * dropped and counted, never silently.
 */
import { UsageError } from '../domain/errors.js';

export interface KafkaMessage {
  topic: string;
  key: string | null;
  value: string;
}

export interface KafkaSinkOptions {
  bootstrapServers: string;
  clientId?: string;
  /** Events held while Kafka is unreachable (accepted, not yet acknowledged). */
  capacity: number;
  /** Messages per produce request (librdkafka batch.num.messages). */
  batchSize: number;
  /** How long a partial batch may wait, in ms (librdkafka linger.ms). */
  flushIntervalMs: number;
  /** How long without an acknowledgement, with messages outstanding, before Kafka counts as unavailable. */
  stallMs?: number;
  onStateChange?: (state: KafkaState, detail: string | null) => void;
}

export type KafkaState = 'connecting' | 'connected' | 'unavailable' | 'closed';

/** The producer settings, exported so the tests can assert exactly what is configured. */
export function producerConfig(o: KafkaSinkOptions): Record<string, string | number | boolean> {
  return {
    'bootstrap.servers': o.bootstrapServers,
    'client.id': o.clientId ?? 'orderstream',
    acks: 'all',
    'enable.idempotence': true,
    // Never give up on a message: an outage delays delivery, it does not lose or reorder events.
    'message.timeout.ms': 0,
    'linger.ms': Math.max(0, Math.round(o.flushIntervalMs)),
    'batch.num.messages': Math.max(1, o.batchSize),
    'queue.buffering.max.messages': Math.min(10_000_000, Math.max(100_000, o.capacity * 2)),
    'socket.keepalive.enable': true,
    'reconnect.backoff.max.ms': 1000,
    dr_cb: true,
    log_level: 2,
  };
}

/** The librdkafka producer (node-rdkafka API): no promise per message, one delivery report each. */
interface RawProducer {
  connect(options: { timeout?: number }, cb: (err: Error | null) => void): void;
  produce(topic: string, partition: number | null, value: Buffer, key: string | null, timestamp: number, opaque: number): unknown;
  setPollInterval(ms: number): void;
  flush(timeoutMs: number, cb: (err: Error | null) => void): void;
  disconnect(cb: (err: Error | null) => void): void;
  on(event: 'delivery-report', fn: (err: Error | null, report: { opaque: number }) => void): void;
  on(event: 'event.error', fn: (err: Error) => void): void;
}

type ProducerClass = new (c: object) => RawProducer;

/** The client library, or a UsageError saying how to install it. */
export async function kafkaClient(): Promise<ProducerClass> {
  let mod: { Producer?: ProducerClass; default?: { Producer: ProducerClass } };
  try {
    // A variable specifier: the optional package may be absent, and the build must not depend on it.
    const specifier = '@confluentinc/kafka-javascript';
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    throw new UsageError(
      `Kafka output needs @confluentinc/kafka-javascript, which is not installed (${(err as Error).message.split('\n')[0]}).\n` +
        '  With internet access `npm install` fetches its prebuilt binary. Offline, build it from source:\n' +
        '    apt-get install -y libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev\n' +
        '    CKJS_LINKING=dynamic npm install @confluentinc/kafka-javascript',
    );
  }
  return mod.Producer ?? mod.default!.Producer;
}

async function loadProducer(config: Record<string, unknown>): Promise<RawProducer> {
  const Producer = await kafkaClient();
  return new Producer(config);
}

export class KafkaSink {
  state: KafkaState = 'connecting';
  lastError: string | null = null;
  /** Acknowledged by Kafka. */
  delivered = 0;
  /** Refused because the fallback queue was full, or failed fatally. */
  dropped = 0;
  private producer: RawProducer | null = null;
  /** Accepted and not yet acknowledged, oldest first (Map keeps insertion order). */
  private readonly pending = new Map<number, KafkaMessage>();
  /** Accepted before the first connection: handed over, in order, once connected. */
  private waiting: KafkaMessage[] = [];
  private nextId = 0;
  private lastAckAt = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(readonly options: KafkaSinkOptions) {}

  /** Connects, retrying in the background; events are queued meanwhile. Resolves once connected (or closed). */
  start(): Promise<void> {
    this.watchdog = setInterval(() => this.checkStall(), 250);
    this.watchdog.unref();
    return this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    let producer: RawProducer;
    try {
      producer = await loadProducer(producerConfig(this.options));
    } catch (err) {
      this.setState('closed', (err as Error).message);
      throw err;
    }
    producer.on('delivery-report', (err, report) => this.onReport(err, report.opaque));
    producer.on('event.error', (err) => (this.lastError = err.message));
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => producer.connect({ timeout: 10_000 }, (err) => (err ? reject(err) : resolve())));
        if (this.closed) {
          // Closed while this attempt was in flight: nothing will use the producer.
          producer.disconnect(() => undefined);
          return;
        }
        producer.setPollInterval(5);
        this.producer = producer;
        this.lastAckAt = Date.now();
        this.setState('connected', null);
        const waiting = this.waiting;
        this.waiting = [];
        for (const m of waiting) this.produce(m);
        return;
      } catch (err) {
        this.setState('unavailable', `connect failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }

  /** Messages accepted and not yet acknowledged: the fallback queue. */
  get queued(): number {
    return this.waiting.length + this.pending.size;
  }

  /** The oldest messages still waiting for Kafka (for GET /stream/fallback-queue). */
  peek(limit: number): KafkaMessage[] {
    const out: KafkaMessage[] = this.waiting.slice(0, limit);
    for (const m of this.pending.values()) {
      if (out.length >= limit) break;
      out.push(m);
    }
    return out;
  }

  /** Accepts a message; false when the fallback queue is full (the message is counted as dropped). */
  send(message: KafkaMessage): boolean {
    if (this.closed) return false;
    if (this.queued >= this.options.capacity) {
      this.dropped++;
      return false;
    }
    if (!this.producer) this.waiting.push(message);
    else this.produce(message);
    return true;
  }

  private produce(m: KafkaMessage): void {
    const id = this.nextId++;
    // The stall clock starts when there is something to wait for, not at the last ack before a quiet spell.
    if (this.pending.size === 0) this.lastAckAt = Date.now();
    this.pending.set(id, m);
    try {
      this.producer!.produce(m.topic, null, Buffer.from(m.value), m.key, Date.now(), id);
    } catch (err) {
      // Only a full local queue or a fatal client error can get here; the capacity check prevents the first.
      this.pending.delete(id);
      this.dropped++;
      this.lastError = (err as Error).message;
    }
  }

  private onReport(err: Error | null, id: number): void {
    this.pending.delete(id);
    if (err) {
      // With no message timeout only fatal errors are reported; they are counted, not retried, and the link is reported unhealthy.
      this.dropped++;
      this.setState('unavailable', `delivery failed: ${err.message}`);
      return;
    }
    this.delivered++;
    this.lastAckAt = Date.now();
    if (this.state !== 'connected') this.setState('connected', null);
  }

  private checkStall(): void {
    if (this.state !== 'connected' || this.pending.size === 0) return;
    const stallMs = this.options.stallMs ?? 2000;
    const quiet = Date.now() - this.lastAckAt;
    if (quiet > stallMs) this.setState('unavailable', `no acknowledgement for ${Math.round(quiet / 1000)} s; events are held and will be delivered in order`);
  }

  private setState(state: KafkaState, detail: string | null): void {
    if (detail) this.lastError = detail;
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state, detail);
  }

  /** Waits until everything accepted is acknowledged (or the timeout passes); returns what is still outstanding. */
  async flush(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.queued > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.queued;
  }

  async close(timeoutMs = 30_000): Promise<number> {
    const left = await this.flush(timeoutMs);
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    const producer = this.producer;
    if (producer) await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    this.state = 'closed';
    return left;
  }
}
