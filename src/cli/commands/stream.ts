/**
 * `orderstream stream`: spec 004's sales generator. Orders arrive and move
 * pending → confirmed → processing → shipped in (optionally accelerated) real time; each
 * event is one sale object, printed as NDJSON and/or sent to Kafka keyed by order_id.
 * On stop (duration reached, SIGINT or SIGTERM) it flushes and prints the final statistics.
 */
import { Command } from 'commander';
import { MARKET_IDS, getMarket } from '../../catalog/index.js';
import { SALE_FIELDS, type Sale } from '../../domain/events.js';
import { StreamOptions, type Arrivals } from '../../domain/live.js';
import type { ScenarioProfile } from '../../domain/scenario.js';
import { UsageError } from '../../domain/errors.js';
import { SPEC_004 } from '../../scenarios/builtin.js';
import { resolveScenario } from '../../scenarios/resolve.js';
import { LiveClock } from '../../simulation/live-clock.js';
import { createLiveSimulation, type LiveEvent } from '../../simulation/live.js';
import { MINUTE_MS } from '../../simulation/time.js';
import { KafkaSink, kafkaClient } from '../../sinks/kafka.js';
import { flagError, num } from '../flags.js';
import { COMMAND_SUMMARIES } from './summaries.js';

interface Flags {
  minDelay?: string;
  maxDelay?: string;
  rate?: string;
  duration?: string;
  seed?: string;
  speed?: string;
  start?: string;
  scenario?: string;
  scenarioFile?: string;
  market?: string;
  kafkaBootstrapServers?: string;
  kafkaTopic?: string;
  outputConsole?: boolean;
  quiet?: boolean;
}

const FLAG_OF: Record<string, string> = {
  minDelay: '--min-delay',
  maxDelay: '--max-delay',
  rate: '--rate',
  duration: '--duration',
  seed: '--seed',
  speed: '--speed',
  start: '--start',
  kafkaTopic: '--kafka-topic',
};

export function parseStreamFlags(flags: Flags): StreamOptions {
  const parsed = StreamOptions.safeParse({
    minDelay: num(flags.minDelay),
    maxDelay: num(flags.maxDelay),
    rate: num(flags.rate),
    duration: num(flags.duration),
    seed: num(flags.seed),
    speed: num(flags.speed),
    start: flags.start,
    kafkaTopic: flags.kafkaTopic,
  });
  if (parsed.success) return parsed.data;
  throw flagError(parsed.error, flags, FLAG_OF, {
    minDelay: 'seconds, 0 or more',
    maxDelay: 'seconds, greater than 0',
    rate: 'new orders per minute, greater than 0',
    duration: 'minutes, greater than 0 (fractions allowed)',
    seed: 'a whole number from 0 to 4294967295',
    speed: 'simulated seconds per second, greater than 0 (60 = an hour a minute)',
  });
}

/** spec 004's final statistics, counted from what was printed. */
export interface StreamStats {
  newOrders: number;
  transitions: number;
  shipped: number;
  cancelled: number;
  active: number;
}

export function finalStatistics(stats: StreamStats, simulatedMinutes: number, kafka: KafkaSink | null): string {
  const lines = [
    '=== Final Statistics ===',
    `Total new orders created: ${stats.newOrders}`,
    `Total status updates (transitions): ${stats.transitions}`,
    `Total orders shipped (completed): ${stats.shipped}`,
    `Total orders cancelled: ${stats.cancelled}`,
    `Active orders (still in pipeline): ${stats.active}`,
    `Average rate: ${(stats.newOrders / Math.max(simulatedMinutes, 1e-9)).toFixed(1)} new orders per minute`,
  ];
  if (kafka) lines.push(`Kafka: ${kafka.delivered} events acknowledged (acks=all, idempotent)${kafka.queued ? `, ${kafka.queued} undelivered` : ''}${kafka.dropped ? `, ${kafka.dropped} dropped` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** The spec 004 sale object of an order event: its first twelve fields. */
export function saleView(data: Record<string, unknown>): Sale {
  const out: Record<string, unknown> = {};
  for (const k of SALE_FIELDS) out[k] = data[k];
  return out as Sale;
}

/**
 * How orders arrive: --rate (Poisson) or --min-delay/--max-delay (spec 004's uniform gaps)
 * when given; otherwise the curves of a named --scenario (the orders `generate` writes for
 * the same days); otherwise spec 004's default gaps of 1–5 seconds.
 */
export function arrivalsOf(flags: { rate?: string; minDelay?: string; maxDelay?: string; scenario?: string; scenarioFile?: string }, options: StreamOptions): Arrivals {
  if (options.rate !== undefined) return { mode: 'rate', ratePerMinute: options.rate };
  if (flags.minDelay !== undefined || flags.maxDelay !== undefined) return { mode: 'delay', delaySeconds: [options.minDelay, options.maxDelay] };
  if (flags.scenario !== undefined || flags.scenarioFile !== undefined) return { mode: 'scenario' };
  return { mode: 'delay', delaySeconds: [options.minDelay, options.maxDelay] };
}

/** spec 004 follows an order until it ships: its creation, its transitions up to shipped, or its cancellation before. */
const FOLLOWED = new Set(['order.created', 'order.updated', 'order.cancelled']);

/**
 * The sale objects of a batch of live events (from `startMs` on), counting them in `stats`:
 * what `stream` prints and sends.
 */
export function salesOf(events: readonly LiveEvent[], startMs: number, stats: StreamStats): Sale[] {
  const out: Sale[] = [];
  for (const e of events) {
    if (!FOLLOWED.has(e.type) || e.t < startMs) continue;
    const sale = saleView(e.data as Record<string, unknown>);
    if (e.type === 'order.created') stats.newOrders++;
    else if (sale.status === 'shipped' || sale.status === 'confirmed' || sale.status === 'processing' || e.type === 'order.cancelled') stats.transitions++;
    else continue; // after shipping (a failed delivery) the order is no longer followed
    if (sale.status === 'shipped') stats.shipped++;
    if (e.type === 'order.cancelled') stats.cancelled++;
    out.push(sale);
  }
  return out;
}

/**
 * What `stream` simulates: a named --scenario (or file) exactly as `generate` would, in its
 * market; without one, spec 004 itself (SPEC_004: 1–5 units, the four statuses) in spec
 * 004's catalog. --market overrides the market either way.
 */
export async function streamScenario(flags: { scenario?: string; scenarioFile?: string; market?: string }): Promise<{ scenario: ScenarioProfile; marketId: string }> {
  const named = flags.scenario !== undefined || flags.scenarioFile !== undefined;
  const scenario = named ? await resolveScenario({ scenario: flags.scenario ?? 'normal-ops', scenarioFile: flags.scenarioFile }) : SPEC_004;
  const marketId = flags.market ?? scenario.market;
  getMarket(marketId);
  return { scenario, marketId };
}

export function streamCommand(): Command {
  return new Command('stream')
    .description(COMMAND_SUMMARIES.stream.description)
    .option('--min-delay <s>', 'shortest gap between new orders, seconds (default: 1)')
    .option('--max-delay <s>', 'longest gap between new orders, seconds (default: 5)')
    .option('--rate <n>', 'new orders per minute instead of delays (Poisson arrivals)')
    .option('--duration <min>', 'how long to run, minutes of wall-clock time (default: 5)')
    .option('--speed <x>', 'simulated seconds per second: 60 runs an hour a minute (default: 1)')
    .option('--seed <n>', 'random seed (default: 12345)')
    .option('--start <iso>', 'simulated start instant; with the same seed the output is byte-identical (default: now)')
    .option('--scenario <name>', "built-in scenario: its pattern mix, anomalies, timings and (without --rate/--min-delay) its arrival curves, exactly as generate writes them (default: the plain sales stream — 1–5 units, the four statuses, 1–5 s gaps)")
    .option('--scenario-file <file>', 'custom scenario JSON file')
    .option('--market <id>', `market pack: ${MARKET_IDS.join(', ')} (default: the --scenario's market, else us-electronics)`)
    .option('--kafka-bootstrap-servers <list>', 'send every event to Kafka (console output then off unless --output-console)')
    .option('--kafka-topic <name>', 'Kafka topic (default: ecommerce-sales)')
    .option('--output-console', 'print to stdout as well when sending to Kafka')
    .option('--quiet', 'no final statistics on stderr')
    .action(async (flags: Flags) => {
      const options = parseStreamFlags(flags);
      const { scenario, marketId } = await streamScenario(flags);
      if (flags.kafkaTopic && !flags.kafkaBootstrapServers) throw new UsageError('--kafka-topic needs --kafka-bootstrap-servers');
      const startMs = options.start ? Date.parse(options.start) : Date.now();
      const sim = createLiveSimulation({ scenario, marketId, seed: options.seed, startMs, arrivals: arrivalsOf(flags, options), speed: options.speed });

      let kafka: KafkaSink | null = null;
      if (flags.kafkaBootstrapServers) {
        await kafkaClient(); // a missing client library is a usage error, before anything runs
        kafka = new KafkaSink({
          bootstrapServers: flags.kafkaBootstrapServers,
          capacity: 1_000_000,
          batchSize: 10_000,
          flushIntervalMs: 5,
          onStateChange: (state, detail) => flags.quiet || process.stderr.write(`orderstream: kafka ${state}${detail ? `: ${detail}` : ''}\n`),
        });
        // Connects in the background; until then events queue, so an unreachable broker never blocks the run.
        void kafka.start().catch(() => undefined);
      }
      const toConsole = !kafka || flags.outputConsole === true;
      let stdoutOpen = true;
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') stdoutOpen = false; // the reader went away (e.g. `| head`): stop quietly
      });

      const simulatedMs = options.duration * MINUTE_MS * options.speed;
      const stats: StreamStats = { newOrders: 0, transitions: 0, shipped: 0, cancelled: 0, active: 0 };
      const clock = new LiveClock(sim, {
        untilMs: startMs + simulatedMs,
        onEvents: (events: LiveEvent[]) => {
          let text = '';
          for (const sale of salesOf(events, startMs, stats)) {
            const line = JSON.stringify(sale);
            if (toConsole) text += `${line}\n`;
            kafka?.send({ topic: options.kafkaTopic, key: sale.order_id, value: line });
          }
          if (text && stdoutOpen) process.stdout.write(text);
          if (!stdoutOpen && !kafka) clock.stop();
        },
      });
      const stop = () => clock.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await clock.start();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (kafka) {
        const left = await kafka.close(30_000);
        if (left > 0) {
          process.stderr.write(`orderstream: ${left} events were not acknowledged by Kafka within 30 s (is ${flags.kafkaBootstrapServers} reachable?)\n`);
          process.exitCode = 1;
        }
      }
      const simulatedMinutes = (sim.now - startMs) / MINUTE_MS;
      stats.active = stats.newOrders - stats.shipped - stats.cancelled;
      if (!flags.quiet) process.stderr.write(finalStatistics(stats, simulatedMinutes, kafka));
    });
}
