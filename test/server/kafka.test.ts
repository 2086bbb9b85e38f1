import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sale, SequencedEnvelope } from '../../src/domain/events.js';
import { producerConfig } from '../../src/sinks/kafka.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { inProcessServer, RecordingClient, sleep, waitUntil } from '../helpers/server.js';
import { kafkaCheck, serviceMissing, startKafkaMock, type KafkaMock } from '../helpers/services.js';

const missing = await serviceMissing('Kafka peer (kcat mock cluster + @confluentinc/kafka-javascript)', kafkaCheck);
const LIFECYCLE = ['pending', 'confirmed', 'processing', 'shipped'];

/** Statuses per key must follow the lifecycle (a cancellation may end it early). */
function expectLifecycleOrder(byKey: Map<string, string[]>): void {
  for (const [key, statuses] of byKey) {
    const path = statuses.filter((s) => s !== 'cancelled');
    expect(path, key).toEqual(LIFECYCLE.slice(0, path.length));
    if (statuses.includes('cancelled')) expect(statuses.at(-1), key).toBe('cancelled');
  }
}


describe.skipIf(missing)('Kafka (librdkafka mock cluster via kcat)', () => {
  let mock: KafkaMock;
  let kafkaRun: CliResult;
  let consoleRun: CliResult;
  let brokerLog: string;
  beforeAll(async () => {
    mock = await startKafkaMock();
    // One `stream` to Kafka serves the first two tests (each ran one); the same run to the
    // console beside it, for comparison. Both are paced by the wall clock (3 s each).
    const args = ['stream', '--duration', '0.05', '--speed', '1200', '--rate', '120', '--start', '2025-01-06T08:00:00Z', '--seed', '8'];
    [kafkaRun, consoleRun] = await Promise.all([runCli([...args, '--kafka-bootstrap-servers', mock.bootstrap, '--kafka-topic', 'ecommerce-sales']), runCli(args)]);
    brokerLog = readFileSync(mock.logFile, 'utf8'); // before the serve test's producer joins in
  });
  afterAll(() => mock?.stop());

  it('the producer is configured acks=all and idempotent, and the broker saw an idempotent producer session', () => {
    const config = producerConfig({ bootstrapServers: mock.bootstrap, capacity: 1000, batchSize: 10, flushIntervalMs: 10 });
    expect(config.acks).toBe('all');
    expect(config['enable.idempotence']).toBe(true);
    expect(kafkaRun.code, kafkaRun.stderr).toBe(0);
    // Only an idempotent producer asks for a producer id; librdkafka refuses idempotence without acks=all.
    expect(brokerLog).toMatch(/Received InitProducerIdRequest/);
  });

  it('stream → Kafka: keyed by order_id, sale objects, every order in lifecycle order, same events as the console', () => {
    expect(kafkaRun.code, kafkaRun.stderr).toBe(0);
    expect(kafkaRun.stdout).toBe(''); // console output is off when Kafka is on
    expect(kafkaRun.stderr).toMatch(/=== Final Statistics ===/);
    const lines = consoleRun.stdout.trimEnd().split('\n');
    const messages = mock.consume('ecommerce-sales');
    expect(messages.length).toBe(lines.length);
    expect(kafkaRun.stderr).toContain(`Kafka: ${lines.length} events acknowledged`);
    const byKey = new Map<string, string[]>();
    for (const m of messages) {
      const sale = Sale.parse(JSON.parse(m.value));
      expect(m.key).toBe(sale.order_id);
      byKey.set(m.key, [...(byKey.get(m.key) ?? []), sale.status]);
    }
    expectLifecycleOrder(byKey);
    // Per key, Kafka holds exactly the console's sequence.
    const consoleByKey = new Map<string, string[]>();
    for (const l of lines) {
      const s = JSON.parse(l) as { order_id: string; status: string };
      consoleByKey.set(s.order_id, [...(consoleByKey.get(s.order_id) ?? []), s.status]);
    }
    expect(byKey).toEqual(consoleByKey);
  });

  it('serve → spec 003 topics keyed by entity id; an outage holds events in the fallback queue and loses none', async () => {
    const server = await inProcessServer({
      KAFKA_ENABLED: 'true',
      KAFKA_BOOTSTRAP_SERVERS: mock.bootstrap,
      KAFKA_TOPIC_ORDERS: 'os.orders',
      KAFKA_TOPIC_STOCK: 'os.stock',
      KAFKA_TOPIC_ALERTS: 'os.alerts',
      KAFKA_TOPIC_FORECASTS: 'os.forecasts',
      KAFKA_TOPIC_EVENTS: 'os.events',
      SIMULATION_SPEED: '120',
      SIMULATION_RATE: '120',
    });
    const status = async () => (await (await fetch(`${server.url}/stream/status`)).json()) as { kafka: { state: string; fallback_queue_size: number; delivered: number; dropped: number }; events: { by_channel: Record<string, number> } };
    try {
      const client = new RecordingClient(`${server.ws}/stream/ws`);
      await client.opened;
      await waitUntil(async () => (await status()).kafka.delivered > 200, 20_000, 'first deliveries');

      mock.pause(); // the brokers stop answering
      await waitUntil(async () => (await status()).kafka.state === 'unavailable', 20_000, 'Kafka reported unavailable');
      const during = await status();
      expect(during.kafka.fallback_queue_size).toBeGreaterThan(0);
      const queue = (await (await fetch(`${server.url}/stream/fallback-queue?limit=5`)).json()) as { size: number; oldest: Array<{ topic: string; key: string; event: unknown }> };
      expect(queue.size).toBeGreaterThan(0);
      expect(queue.oldest.length).toBeGreaterThan(0);
      SequencedEnvelope.parse(queue.oldest[0].event);
      const seenBefore = client.events().length;
      // WebSocket clients are served throughout: 50 more events reach the client while the brokers are down.
      await client.waitFor((c) => c.events().length > seenBefore + 50, 60_000); // the brokers stay down until resumed below
      expect(client.events().length).toBeGreaterThan(seenBefore + 50);
      expect(((await (await fetch(`${server.url}/health`)).json()) as { status: string }).status).toBe('degraded');

      mock.resume();
      await sleep(1000);
      await fetch(`${server.url}/api/simulation`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"paused":true}' });
      await waitUntil(async () => {
        const s = await status();
        return s.kafka.state === 'connected' && s.kafka.fallback_queue_size === 0;
      }, 60_000, 'the fallback queue to drain');
      const final = await status();
      expect(final.kafka.dropped).toBe(0);

      const topics = { orders: ['os.orders'], stock: ['os.stock'], alerts: ['os.alerts'], forecasts: ['os.forecasts'], others: ['os.events'] } as const;
      const published = final.events.by_channel;
      let total = 0;
      for (const [channel, [topic]] of Object.entries(topics)) {
        // Topics that never received a message do not exist on the mock; kcat then reads nothing.
        const expected = channel === 'others' ? published.analytics + published.payments + published.jobs + published.system : published[channel];
        const messages = expected > 0 ? mock.consume(topic) : [];
        const envelopes = messages.map((m) => SequencedEnvelope.parse(JSON.parse(m.value)));
        expect(messages.length, topic).toBe(expected);
        expect(new Set(envelopes.map((e) => e.event_id)).size, `${topic} duplicates`).toBe(envelopes.length);
        // Per key, the server's sequence order is preserved. Every message is checked; what breaks
        // the rules is gathered and shown at once (one expect, not two per message).
        const lastSeq = new Map<string, number>();
        const broken: string[] = [];
        messages.forEach((m, i) => {
          const seq = envelopes[i].seq;
          if (!(seq > (lastSeq.get(m.key) ?? 0))) broken.push(`${topic} key ${m.key}: seq ${seq} after ${lastSeq.get(m.key)}`);
          lastSeq.set(m.key, seq);
          const data = envelopes[i].data as Record<string, unknown>;
          const key = (data.order_id ?? data.product_id ?? (data.affected_products as Array<{ product_id: string }> | undefined)?.[0].product_id ?? data.category ?? data.date ?? data.month ?? '') as string;
          if (m.key !== key) broken.push(`${topic}: key ${m.key}, entity ${key}`);
        });
        expect(broken.slice(0, 20), `${broken.length} broken`).toEqual([]);
        if (channel === 'orders') {
          const byKey = new Map<string, string[]>();
          envelopes.forEach((e) => {
            const d = e.data as { order_id: string; status: string };
            byKey.set(d.order_id, [...(byKey.get(d.order_id) ?? []), d.status]);
          });
          expectLifecycleOrder(byKey);
        }
        total += messages.length;
      }
      expect(total).toBe(final.kafka.delivered);
      expect(total).toBeGreaterThan(1000);
      await client.close();
    } finally {
      await server.close();
    }
  });
});
