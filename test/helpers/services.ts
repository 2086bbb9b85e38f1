/**
 * Real services for integration tests: the machine's Redis, a librdkafka mock cluster
 * started with kcat, and the Kafka client. A test whose service is missing is skipped
 * with the reason printed — unless ORDERSTREAM_REQUIRE_SERVICES=1 (CI), where it fails.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export const REQUIRE_SERVICES = process.env.ORDERSTREAM_REQUIRE_SERVICES === '1';

/** Returns null when available, else the reason; throws instead when services are required. */
export async function serviceMissing(name: string, check: () => Promise<void> | void): Promise<string | null> {
  try {
    await check();
    return null;
  } catch (err) {
    const reason = `${name} unavailable: ${(err as Error).message}`;
    if (REQUIRE_SERVICES) throw new Error(`${reason} (ORDERSTREAM_REQUIRE_SERVICES=1, so this fails instead of skipping)`);
    console.warn(`SKIPPED — ${reason}`);
    return reason;
  }
}

export function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer from ${host}:${port}`))), timeoutMs);
    socket.once('connect', () => (clearTimeout(timer), socket.end(), resolve()));
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const redisCheck = () => tcpReachable('127.0.0.1', 6379);

export async function kafkaCheck(): Promise<void> {
  execFileSync('kcat', ['-V'], { stdio: 'ignore' });
  await import('@confluentinc/kafka-javascript');
}

export interface KafkaMock {
  bootstrap: string;
  logFile: string;
  process: ChildProcess;
  /** SIGSTOP: the brokers stop answering, as in an outage. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  /** Everything in the topic, read by an independent consumer (kcat). */
  consume(topic: string): Array<{ key: string; partition: number; value: string }>;
}

export async function startKafkaMock(): Promise<KafkaMock> {
  const dir = tempDir('orderstream-kafka-');
  const logFile = join(dir, 'mock.log');
  const { openSync } = await import('node:fs');
  const child = spawn('kcat', ['-b', 'x:1', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', 'warmup', '-o', 'beginning'], {
    stdio: ['ignore', 'ignore', openSync(logFile, 'w')],
  });
  let bootstrap = '';
  for (let i = 0; i < 100 && !bootstrap; i++) {
    await new Promise((r) => setTimeout(r, 50));
    bootstrap = /bootstrap\.servers=(\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1] ?? '';
  }
  if (!bootstrap) throw new Error('the kcat mock cluster did not print bootstrap.servers');
  return {
    bootstrap,
    logFile,
    process: child,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
    consume: (topic) => {
      const out = execFileSync('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%p\t%s\n'], { maxBuffer: 1 << 30, encoding: 'utf8' });
      return out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [key, partition, ...rest] = line.split('\t');
          return { key, partition: Number(partition), value: rest.join('\t') };
        });
    },
  };
}
