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
  /** Messages handed to the client per call. */
  batchSize: number;
  /** How long a partial batch waits, in ms. */
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
    'linger.ms': 5,
    'queue.buffering.max.messages': Math.min(10_000_000, Math.max(100_000, o.capacity * 2)),
    'socket.keepalive.enable': true,
    'reconnect.backoff.max.ms': 1000,
    log_level: 2,
  };
}

interface Producer {
  connect(): Promise<void>;
  send(record: { topic: string; messages: Array<{ key: string | null; value: string }> }): Promise<unknown>;
  flush(options?: { timeout?: number }): Promise<void>;
  disconnect(): Promise<void>;
}

async function loadProducer(config: Record<string, unknown>): Promise<Producer> {
  let mod: { KafkaJS: { Kafka: new (c: object) => { producer(c: object): Producer } } };
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
  return new mod.KafkaJS.Kafka({}).producer(config);
}

export class KafkaSink {
  state: KafkaState = 'connecting';
  lastError: string | null = null;
  /** Acknowledged by Kafka. */
  delivered = 0;
  /** Refused because the fallback queue was full. */
  dropped = 0;
  private producer: Producer | null = null;
  private readonly waiting: KafkaMessage[] = [];
  private waitingHead = 0;
  private batch: KafkaMessage[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly sends = new Set<Promise<void>>();
  private lastAckAt = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(readonly options: KafkaSinkOptions) {}

  /** Connects in the background, retrying; events are queued meanwhile. Resolves once connected (or closed). */
  start(): Promise<void> {
    this.watchdog = setInterval(() => this.checkStall(), 250);
    this.watchdog.unref();
    this.connecting = this.connectLoop();
    return this.connecting;
  }

  /** Fails fast if the client library is missing (a usage problem, not an outage). */
  static async ensureClient(): Promise<void> {
    await loadProducer({}).catch((err) => {
      if (err instanceof UsageError) throw err;
    });
  }

  private async connectLoop(): Promise<void> {
    const config = producerConfig(this.options);
    let producer: Producer;
    try {
      producer = await loadProducer(config);
    } catch (err) {
      this.setState('closed', (err as Error).message);
      throw err;
    }
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await producer.connect();
        this.producer = producer;
        this.lastAckAt = Date.now();
        this.setState('connected', null);
        this.drainWaiting();
        return;
      } catch (err) {
        this.setState('unavailable', `connect failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }

  /** Messages accepted and not yet acknowledged: the fallback queue. */
  get queued(): number {
    return this.waiting.length - this.waitingHead + this.batch.length + this.inFlight;
  }

  /** The oldest messages still waiting for Kafka (for GET /stream/fallback-queue). */
  peek(limit: number): KafkaMessage[] {
    return [...this.waiting.slice(this.waitingHead, this.waitingHead + limit), ...this.batch].slice(0, limit);
  }

  /** Accepts a message; false when the fallback queue is full (the message is counted as dropped). */
  send(message: KafkaMessage): boolean {
    if (this.closed) return false;
    if (this.queued >= this.options.capacity) {
      this.dropped++;
      return false;
    }
    if (!this.producer) {
      this.waiting.push(message);
      return true;
    }
    this.batch.push(message);
    if (this.batch.length >= this.options.batchSize) this.flushBatch();
    else if (!this.batchTimer) this.batchTimer = setTimeout(() => this.flushBatch(), this.options.flushIntervalMs);
    return true;
  }

  private drainWaiting(): void {
    while (this.waitingHead < this.waiting.length) {
      const end = Math.min(this.waiting.length, this.waitingHead + this.options.batchSize);
      this.batch = this.waiting.slice(this.waitingHead, end);
      this.waitingHead = end;
      this.flushBatch();
    }
    this.waiting.length = 0;
    this.waitingHead = 0;
  }

  private flushBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const batch = this.batch;
    this.batch = [];
    if (!batch.length || !this.producer) return;
    // One send per run of the same topic keeps the hand-over order exactly the arrival order.
    let start = 0;
    for (let i = 1; i <= batch.length; i++) {
      if (i < batch.length && batch[i].topic === batch[start].topic) continue;
      const topic = batch[start].topic;
      const messages = batch.slice(start, i).map((m) => ({ key: m.key, value: m.value }));
      start = i;
      this.inFlight += messages.length;
      const p = this.producer
        .send({ topic, messages })
        .then(
          () => {
            this.delivered += messages.length;
            this.lastAckAt = Date.now();
            if (this.state !== 'connected') this.setState('connected', null);
          },
          (err: Error) => {
            // Only fatal client errors get here (no message timeout is set); they are reported, not retried.
            this.lastError = err.message;
            this.dropped += messages.length;
          },
        )
        .finally(() => {
          this.inFlight -= messages.length;
          this.sends.delete(p);
        });
      this.sends.add(p);
    }
  }

  private checkStall(): void {
    if (this.state !== 'connected' || this.inFlight === 0) return;
    const stallMs = this.options.stallMs ?? 2000;
    if (Date.now() - this.lastAckAt > stallMs) this.setState('unavailable', `no acknowledgement for ${Math.round((Date.now() - this.lastAckAt) / 1000)} s; events are held and will be delivered in order`);
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
    while (this.queued > 0 && Date.now() < deadline) {
      if (this.producer) this.flushBatch();
      await Promise.race([Promise.all([...this.sends]), new Promise((r) => setTimeout(r, 100))]);
    }
    return this.queued;
  }

  async close(timeoutMs = 30_000): Promise<number> {
    const left = await this.flush(timeoutMs);
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.producer) await this.producer.disconnect().catch(() => undefined);
    this.state = 'closed';
    return left;
  }
}
