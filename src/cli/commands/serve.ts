/**
 * `orderstream serve`: the live server (WebSocket, SSE, REST, Kafka, Redis fan-out).
 * Configured by spec 003's environment variables; flags override them.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Command } from 'commander';
import { MARKET_IDS } from '../../catalog/index.js';
import { UsageError, describeZodError } from '../../domain/errors.js';
import { ServerEnv, configFromEnv } from '../../domain/server-config.js';
import { ensurePortFree } from '../../server/port-check.js';
import { openStore, storeIsNew } from '../../store/open.js';
import { COMMAND_SUMMARIES } from './summaries.js';

interface Flags {
  port?: string;
  host?: string;
  scenario?: string;
  market?: string;
  seed?: string;
  speed?: string;
  rate?: string;
  start?: string;
  simulation?: boolean;
  kafkaBootstrapServers?: string;
  redisUrl?: string;
  historySize?: string;
  quiet?: boolean;
}

/** Flags become the environment variables they stand for, so one schema validates both. */
function environment(flags: Flags): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  const set = (name: string, value: string | undefined) => value !== undefined && (env[name] = value);
  set('PORT', flags.port);
  set('HOST', flags.host);
  set('SIMULATION_SCENARIO', flags.scenario);
  set('SIMULATION_MARKET', flags.market);
  set('SIMULATION_SEED', flags.seed);
  set('SIMULATION_SPEED', flags.speed);
  set('SIMULATION_RATE', flags.rate);
  set('STREAM_HISTORY_SIZE', flags.historySize);
  if (flags.simulation === false) env.SIMULATION_ENABLED = 'false';
  if (flags.kafkaBootstrapServers) {
    env.KAFKA_ENABLED = 'true';
    env.KAFKA_BOOTSTRAP_SERVERS = flags.kafkaBootstrapServers;
  }
  if (flags.redisUrl) {
    env.REDIS_ENABLED = 'true';
    env.REDIS_URL = flags.redisUrl;
  }
  return env;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(COMMAND_SUMMARIES.serve.description)
    .option('--port <n>', 'HTTP port, env PORT (default: 3001)')
    .option('--host <addr>', 'address to listen on, env HOST (default: 127.0.0.1)')
    .option('--scenario <name>', "scenario of the live simulation, env SIMULATION_SCENARIO; without --rate its own arrival curves (the orders generate writes for the same days) (default: normal-ops at 30 orders/min)")
    .option('--market <id>', `market pack: ${MARKET_IDS.join(', ')}, env SIMULATION_MARKET (default: the scenario's)`)
    .option('--seed <n>', 'random seed, env SIMULATION_SEED (default: 12345)')
    .option('--speed <x>', 'simulated seconds per second, env SIMULATION_SPEED (default: 1)')
    .option('--rate <n>', "new orders per simulated minute, env SIMULATION_RATE (default: 30 without --scenario; with one, the scenario's own arrival curves)")
    .option('--start <iso>', 'simulated start instant (default: now); same seed and start, same events')
    .option('--no-simulation', 'serve the hub only (events from the REST API or other servers), env SIMULATION_ENABLED=false')
    .option('--kafka-bootstrap-servers <list>', 'enable Kafka output, env KAFKA_ENABLED=true + KAFKA_BOOTSTRAP_SERVERS')
    .option('--redis-url <url>', 'enable Redis fan-out across servers, env REDIS_ENABLED=true + REDIS_URL')
    .option('--history-size <n>', 'events kept for resuming clients, env STREAM_HISTORY_SIZE (default: 10000)')
    .option('--quiet', 'no log lines on stderr')
    .action(async (flags: Flags) => {
      const parsed = ServerEnv.safeParse(environment(flags));
      if (!parsed.success) throw new UsageError(`invalid server configuration (flags or environment):\n${describeZodError(parsed.error)}`);
      const config = configFromEnv(parsed.data, randomUUID().slice(0, 8));
      if (flags.start !== undefined) {
        const startMs = Date.parse(flags.start);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(flags.start) || Number.isNaN(startMs)) throw new UsageError(`--start: expected an ISO 8601 instant such as 2025-01-06T08:00:00Z (got '${flags.start}')`);
        config.simulation.startMs = startMs;
      }
      const log = (msg: string) => flags.quiet || process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
      // Before the database is opened (or created): a busy port would otherwise leave an empty one behind.
      await ensurePortFree(config.host, config.port);
      // The database opens in a thread of its own (a first start copies its files: about two seconds)
      // while this one loads the server's code (about half a second): imported here, not above.
      // Kafka asked for without its client is refused before then: a database half made would stay behind.
      if (config.kafka.enabled) await (await import('../../sinks/kafka.js')).kafkaClient();
      const storeConfig = { databaseUrl: config.store.databaseUrl, dataDir: config.store.dataDir };
      const isNew = storeIsNew(storeConfig);
      const store = config.store.enabled ? openStore(storeConfig) : Promise.resolve(null);
      store.catch(() => undefined); // startServer awaits it and reports its failure
      const { startServer } = await import('../../server/app.js');
      // A first start serves at once; the demo dataset loads behind it (progress here and on /health/ready).
      const server = await startServer(config, { log, loadDemoInBackground: true, store, storeIsNew: isNew });
      log(`orderstream serving on ${server.url}  (WebSocket ${server.url.replace('http', 'ws')}/stream/ws, SSE /stream/events, docs /docs)`);
      if (server.state.access.generated) {
        // As Jupyter does: the server is reachable beyond this machine, so changes need a token; this one lives as long as the process.
        const open = /^http:\/\/(0\.0\.0\.0|\[::\])(:\d+)/.test(server.openUrl) ? server.openUrl.replace(/^http:\/\/[^/]+/, (m) => m.replace(/0\.0\.0\.0|\[::\]/, hostname())) : server.openUrl;
        log(`no ORDERSTREAM_API_TOKEN set and listening beyond loopback: generated one for this run. Open ${open}`);
        log(`  (API: Authorization: Bearer ${server.token}; streams: ?token=…; set ORDERSTREAM_API_TOKEN to choose your own)`);
      } else if (server.token) log(`API token required (ORDERSTREAM_API_TOKEN); web app: ${server.url}/?token=…`);
      if (config.simulation.enabled) {
        const view = server.state.simulationView()!;
        const pace = view.arrivals.mode === 'scenario' ? `the scenario's arrivals (${view.ordersPerMinute.toFixed(2)} orders/min on average)` : `${view.ordersPerMinute.toLocaleString('en-US', { maximumFractionDigits: 2 })} orders/min`;
        log(`simulation: ${view.scenario} on ${view.market}, ${pace}, speed ${view.speed}×, seed ${view.seed}`);
      }
      if (config.kafka.enabled) log(`kafka: ${config.kafka.bootstrapServers} (acks=all, idempotent producer)`);
      if (config.redis.enabled) log(`redis fan-out: ${config.redis.url} channel ${config.redis.channel}`);
      if (config.redis.enabled && config.simulation.enabled && flags.seed === undefined && process.env.SIMULATION_SEED === undefined) {
        log('warning: every server sharing this Redis with the default seed simulates the same business, so clients see each event once per server; give each server its own --seed (or run the simulation on one: --no-simulation on the others)');
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          log(`shutting down (at most SHUTDOWN_TIMEOUT, ${config.limits.shutdownTimeoutMs / 1000} s): draining the outbox, Kafka and clients`);
          // Whatever still holds the event loop after the drain (or its deadline) does not keep the process.
          void server.close().then(() => {
            resolve();
            setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
