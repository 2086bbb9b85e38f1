/**
 * Kafka produce throughput: the server's Kafka sink (acks=all, idempotent producer, keyed
 * by entity id) delivering realistic event frames to a librdkafka mock cluster (kcat, three
 * brokers). The rate counts events acknowledged by the cluster, from first send to last ack.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entityKey } from '../src/domain/events.js';
import { ServerEnv } from '../src/domain/server-config.js';
import { KafkaSink } from '../src/sinks/kafka.js';
import { iso } from '../src/simulation/time.js';
import { samplePayloads } from './fanout/payloads.js';

export interface KafkaResult {
  events: number;
  seconds: number;
  rate: number;
  bytes: number;
}

export async function benchKafka(events: number): Promise<KafkaResult> {
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-kafka-bench-'));
  const log = join(dir, 'mock.log');
  const mock = spawn('kcat', ['-b', 'x:1', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', 'warmup'], { stdio: ['ignore', 'ignore', openSync(log, 'w')] });
  try {
    let bootstrap = '';
    for (let i = 0; i < 100 && !bootstrap; i++) {
      await new Promise((r) => setTimeout(r, 50));
      bootstrap = /bootstrap\.servers=(\S+)/.exec(readFileSync(log, 'utf8'))?.[1] ?? '';
    }
    if (!bootstrap) throw new Error('kcat mock cluster did not start');
    const payloads = samplePayloads();
    const frames = payloads.map((e, i) => ({
      key: entityKey(e),
      value: JSON.stringify({ type: 'event', event_id: crypto.randomUUID(), event_type: e.type, timestamp: iso(e.t), data: e.data, seq: i + 1 }),
    }));
    // The server's own defaults (STREAM_BATCH_SIZE, STREAM_FLUSH_INTERVAL), so the figure is what `serve` does.
    const defaults = ServerEnv.parse({});
    const sink = new KafkaSink({ bootstrapServers: bootstrap, capacity: events + 1, batchSize: defaults.STREAM_BATCH_SIZE, flushIntervalMs: defaults.STREAM_FLUSH_INTERVAL * 1000 });
    await sink.start();
    // Warm-up: topic auto-creation and the producer id happen before timing.
    for (let i = 0; i < 1000; i++) sink.send({ topic: 'bench.orders', ...frames[i % frames.length] });
    await sink.flush();
    const before = sink.delivered;
    let bytes = 0;
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      const f = frames[i % frames.length];
      bytes += f.value.length;
      sink.send({ topic: 'bench.orders', key: f.key, value: f.value });
      if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r)); // let acknowledgements in
    }
    const left = await sink.flush(120_000);
    const seconds = (performance.now() - started) / 1000;
    const delivered = sink.delivered - before;
    await sink.close();
    if (left > 0 || delivered !== events) throw new Error(`only ${delivered} of ${events} acknowledged`);
    return { events, seconds, rate: events / seconds, bytes };
  } finally {
    mock.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
