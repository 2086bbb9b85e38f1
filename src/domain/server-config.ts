/**
 * `orderstream serve` configuration: spec 003's environment variables (KAFKA_*, REDIS_*,
 * STREAM_*) plus orderstream's own, validated in one place. Command-line flags override
 * the environment.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Speed, type Arrivals } from './live.js';

const flag = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
const int = (min: number, max: number) => z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).max(max);
const positive = z.coerce.number({ message: 'must be a number' }).positive('must be greater than 0');
const topic = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name: letters, digits, ".", "_" and "-"');

/** The demo dataset's length when STORE_DEMO_DAYS is unset. */
export const DEFAULT_DEMO_DAYS = 30;
const DEMO_DAYS_RANGE = 'must be a whole number of days from 1 to 366';

export const ServerEnv = z.object({
  PORT: int(0, 65535).default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  KAFKA_ENABLED: flag.default(false),
  KAFKA_BOOTSTRAP_SERVERS: z.string().min(1).default('localhost:9092'),
  KAFKA_TOPIC_ORDERS: topic.default('inventory.orders'),
  KAFKA_TOPIC_STOCK: topic.default('inventory.stock'),
  KAFKA_TOPIC_ALERTS: topic.default('inventory.alerts'),
  KAFKA_TOPIC_FORECASTS: topic.default('inventory.forecasts'),
  /** Every other channel (payments, analytics, jobs, system). */
  KAFKA_TOPIC_EVENTS: topic.default('inventory.events'),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default('inventory-manager'),
  REDIS_ENABLED: flag.default(false),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').default('redis://localhost:6379'),
  REDIS_CHANNEL: z.string().min(1).default('orderstream:events'),
  STREAM_BATCH_SIZE: int(1, 1_000_000).default(10_000),
  /** Seconds a partial Kafka batch may wait. */
  STREAM_FLUSH_INTERVAL: z.coerce.number({ message: "must be a number" }).min(0).max(60).default(0.005),
  STREAM_HISTORY_SIZE: int(1, 10_000_000).default(10_000),
  /** Milliseconds of events gathered into one write per client (fewer system calls, that much more latency). */
  STREAM_COALESCE_MS: z.coerce.number({ message: 'must be a number' }).min(0).max(1000).default(5),
  STREAM_FALLBACK_QUEUE_SIZE: int(1, 10_000_000).default(100_000),
  WS_MAX_BUFFERED_BYTES: int(1024, 1 << 30).default(4 * 1024 * 1024),
  WS_MAX_FRAME_BYTES: int(64, 1 << 20).default(16 * 1024),
  /** Seconds between pings; a client that has not answered the previous one is closed. */
  WS_PING_INTERVAL: z.coerce.number({ message: 'must be a number' }).min(1, 'must be at least 1 second').max(3600).default(30),
  /** The database: off runs the server on the event hub alone (no persistence, no jobs or management APIs). */
  STORE_ENABLED: flag.default(true),
  /** A PostgreSQL server; unset uses the embedded database in ORDERSTREAM_DATA_DIR. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL').optional()),
  /** The embedded database's directory, or "memory" for one that vanishes with the process. */
  ORDERSTREAM_DATA_DIR: z.string().min(1).default('.orderstream/pgdata'),
  /** spec 002: unset means on for the embedded database (it holds nothing else) and off for a server. */
  MOCK_DATA_ENABLED: flag.optional(),
  MOCK_DATA_MAX_RECORDS: int(1, 1_000_000_000).default(50_000_000),
  /** Seed a demo dataset into an empty store on start. */
  STORE_SEED_DEMO: flag.default(true),
  /** Days of history the demo dataset holds: the ones before the instant the server first starts. */
  STORE_DEMO_DAYS: z.coerce
    .number({ message: DEMO_DAYS_RANGE })
    .int(DEMO_DAYS_RANGE)
    .min(1, DEMO_DAYS_RANGE)
    .max(366, DEMO_DAYS_RANGE)
    .default(DEFAULT_DEMO_DAYS),
  SIMULATION_ENABLED: flag.default(true),
  /** Unset: normal-ops at the demo rate (SIMULATION_RATE, default 30/min); set: that scenario's own arrival curves unless SIMULATION_RATE is set too. */
  SIMULATION_SCENARIO: z.string().min(1).optional(),
  SIMULATION_MARKET: z.string().min(1).optional(),
  SIMULATION_SEED: int(0, 0xffffffff).default(12345),
  SIMULATION_SPEED: z.coerce.number({ message: "must be a number" }).pipe(Speed).default(1),
  SIMULATION_RATE: positive.max(6_000_000).optional(),
  /** Orders in flight beyond which the live simulation skips new arrivals (its memory stays bounded whatever the rate and speed). */
  SIMULATION_MAX_ACTIVE: int(100, 10_000_000).default(100_000),
  /** Ceiling on speed × arrival rate: new orders per wall-clock second the live simulation is asked to make. */
  SIMULATION_MAX_ORDERS_PER_SECOND: positive.max(1_000_000).default(1000),
  /** Worker threads a generation job may use (its request's `workers` is clamped to this); default: the machine's cores. */
  JOB_MAX_WORKERS: int(1, 1024).optional(),
  /** Memory a generation job may plan for, in MiB: more workers than fit are not started; a job that cannot fit with one is refused. */
  JOB_MAX_MEMORY_MB: int(64, 1 << 20).default(1536),
  /** WebSocket and SSE clients at once; the next is refused with a reason (WebSocket close 1013, SSE 503). */
  STREAM_MAX_CLIENTS: int(1, 1_000_000).default(1000),
  /** Events a replaying client is sent per turn of the event loop. */
  STREAM_REPLAY_SLICE: int(1, 100_000).default(500),
  /** Host names (besides the bound address, localhost and loopback) the server answers to: DNS-rebinding protection. Comma-separated; "*" turns the check off. */
  ALLOWED_HOSTS: z.string().default(''),
  /** Origins (scheme://host[:port]) allowed to make cross-site requests and open streams; CORS is enabled for exactly these. Comma-separated. */
  CORS_ORIGINS: z.string().default(''),
  /** Bearer token for mutating routes and the admin views; required (and generated when unset) when HOST is not loopback. */
  ORDERSTREAM_API_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').max(512).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional()),
  /** Mutating requests per client address per window. */
  RATE_LIMIT_MAX: int(1, 1_000_000).default(600),
  /** The rate limit's window, in seconds. */
  RATE_LIMIT_WINDOW: int(1, 86_400).default(60),
  /** Seconds SIGTERM may take to drain the outbox, Kafka and clients before the process exits anyway. */
  SHUTDOWN_TIMEOUT: z.coerce.number({ message: 'must be a number' }).min(0.1).max(3600).default(10),
  /** Fastify's (pino's) JSON request log on stdout: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

export interface ServerConfig {
  port: number;
  host: string;
  serverId: string;
  kafka: {
    enabled: boolean;
    bootstrapServers: string;
    topics: { orders: string; stock: string; alerts: string; forecasts: string; events: string };
    consumerGroup: string;
    batchSize: number;
    flushIntervalMs: number;
  };
  redis: { enabled: boolean; url: string; channel: string };
  stream: { historySize: number; coalesceMs: number; fallbackQueueSize: number; maxBufferedBytes: number; maxFrameBytes: number; pingIntervalMs: number };
  simulation: { enabled: boolean; scenario: string; market?: string; seed: number; speed: number; arrivals: Arrivals; maxActive: number; startMs?: number };
  store: { enabled: boolean; databaseUrl: string | null; dataDir: string | null; mockDataEnabled: boolean | null; maxRecords: number; seedDemo: boolean; demoDays: number };
  limits: { maxOrdersPerSecond: number; jobMaxWorkers: number; jobMaxMemoryMb: number; maxClients: number; replaySlice: number; shutdownTimeoutMs: number };
  security: { apiToken: string | null; allowedHosts: string[]; corsOrigins: string[]; rateLimitMax: number; rateLimitWindowMs: number };
  logLevel: ServerEnv['LOG_LEVEL'];
}

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** The demo's pace when no scenario is named: lively enough to watch at speed 1. */
export const DEMO_RATE_PER_MINUTE = 30;

/** A rate when one is given; a named scenario's own curves; otherwise the demo rate. */
export function simulationArrivals(env: Pick<ServerEnv, 'SIMULATION_RATE' | 'SIMULATION_SCENARIO'>): Arrivals {
  if (env.SIMULATION_RATE !== undefined) return { mode: 'rate', ratePerMinute: env.SIMULATION_RATE };
  if (env.SIMULATION_SCENARIO !== undefined) return { mode: 'scenario' };
  return { mode: 'rate', ratePerMinute: DEMO_RATE_PER_MINUTE };
}

export function configFromEnv(env: ServerEnv, serverId: string): ServerConfig {
  return {
    port: env.PORT,
    host: env.HOST,
    serverId,
    kafka: {
      enabled: env.KAFKA_ENABLED,
      bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS,
      topics: { orders: env.KAFKA_TOPIC_ORDERS, stock: env.KAFKA_TOPIC_STOCK, alerts: env.KAFKA_TOPIC_ALERTS, forecasts: env.KAFKA_TOPIC_FORECASTS, events: env.KAFKA_TOPIC_EVENTS },
      consumerGroup: env.KAFKA_CONSUMER_GROUP,
      batchSize: env.STREAM_BATCH_SIZE,
      flushIntervalMs: env.STREAM_FLUSH_INTERVAL * 1000,
    },
    redis: { enabled: env.REDIS_ENABLED, url: env.REDIS_URL, channel: env.REDIS_CHANNEL },
    stream: {
      historySize: env.STREAM_HISTORY_SIZE,
      coalesceMs: env.STREAM_COALESCE_MS,
      fallbackQueueSize: env.STREAM_FALLBACK_QUEUE_SIZE,
      maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
      maxFrameBytes: env.WS_MAX_FRAME_BYTES,
      pingIntervalMs: env.WS_PING_INTERVAL * 1000,
    },
    store: {
      enabled: env.STORE_ENABLED,
      databaseUrl: env.DATABASE_URL ?? null,
      dataDir: env.ORDERSTREAM_DATA_DIR === 'memory' ? null : resolve(env.ORDERSTREAM_DATA_DIR),
      mockDataEnabled: env.MOCK_DATA_ENABLED ?? null,
      maxRecords: env.MOCK_DATA_MAX_RECORDS,
      seedDemo: env.STORE_SEED_DEMO,
      demoDays: env.STORE_DEMO_DAYS,
    },
    simulation: {
      enabled: env.SIMULATION_ENABLED,
      scenario: env.SIMULATION_SCENARIO ?? 'normal-ops',
      market: env.SIMULATION_MARKET,
      seed: env.SIMULATION_SEED,
      speed: env.SIMULATION_SPEED,
      arrivals: simulationArrivals(env),
      maxActive: env.SIMULATION_MAX_ACTIVE,
    },
    limits: {
      maxOrdersPerSecond: env.SIMULATION_MAX_ORDERS_PER_SECOND,
      jobMaxWorkers: env.JOB_MAX_WORKERS ?? Math.max(1, availableParallelism()),
      jobMaxMemoryMb: env.JOB_MAX_MEMORY_MB,
      maxClients: env.STREAM_MAX_CLIENTS,
      replaySlice: env.STREAM_REPLAY_SLICE,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT * 1000,
    },
    security: {
      apiToken: env.ORDERSTREAM_API_TOKEN ?? null,
      allowedHosts: list(env.ALLOWED_HOSTS).map((h) => h.toLowerCase()),
      corsOrigins: list(env.CORS_ORIGINS).map((o) => o.replace(/\/+$/, '').toLowerCase()),
      rateLimitMax: env.RATE_LIMIT_MAX,
      rateLimitWindowMs: env.RATE_LIMIT_WINDOW * 1000,
    },
    logLevel: env.LOG_LEVEL,
  };
}
