/**
 * The live simulation into Kafka: every event on its channel's topic, keyed by its order id
 * (else its product id), so one order's events stay in order on one partition. Runs at 60×
 * real time until stopped (Ctrl-C).
 *
 *   KAFKA_BROKERS=localhost:9092 npx tsx examples/kafka-producer.ts
 *
 * Needs the optional @confluentinc/kafka-javascript client (installed with orderstream where
 * it builds). `orderstream serve` with KAFKA_ENABLED=true does the same with retries and a
 * fallback queue; this is the shape of it in your own code.
 */
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { channelOf, simulate } from 'orderstream';

const producer = new KafkaJS.Kafka({ kafkaJS: { brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',') } }).producer({
  kafkaJS: { acks: -1, idempotent: true },
});
await producer.connect();

const simulation = simulate({ scenario: 'normal-ops', speed: 60 });
process.once('SIGINT', () => simulation.stop());

for await (const event of simulation) {
  const data = event.data as { order_id?: string; product_id?: string };
  await producer.send({
    topic: `orderstream.${channelOf(event.event_type)}`,
    messages: [{ key: data.order_id ?? data.product_id ?? null, value: JSON.stringify({ type: 'event', ...event }) }],
  });
}
await producer.disconnect();
