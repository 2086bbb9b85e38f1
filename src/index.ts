/**
 * orderstream as a TypeScript library: `import { generate, simulate, defineScenario } from 'orderstream'`.
 *
 *  - `generate(options)`: a dataset, written to a directory (`out`) or counted (a dry run);
 *    `records(options)`: the same dataset as an async iterable of `{ entity, record }`;
 *  - `simulate(options)`: the live engine as an async iterable of events (spec 003's
 *    envelope), paced to the clock at a speed or unpaced, with pause, resume and settings;
 *  - `seed(options)`: a dataset into a PostgreSQL database (test fixtures);
 *  - `scenarios`, `markets`, `defineScenario()`: the built-in profiles and custom ones in code;
 *  - the zod schemas of every entity and event, and their types.
 *
 * The CLI and the server are built on the same modules; this file only gives them a stable,
 * documented face (docs/api.md).
 */
import { generate as generateDataset, type DatasetSink, type GenerateProgress, type GenerateResult } from './batch/generate.js';
import { generateInThread } from './batch/generate-thread.js';
import { allMarkets, getMarket } from './catalog/index.js';
import { GenerateOptions } from './domain/config.js';
import { describeZodError, UsageError } from './domain/errors.js';
import { ENTITY_SCHEMAS, type EntityName, type Entities } from './domain/entities.js';
import { eventNamespace } from './domain/event-id.js';
import type { Arrivals, SimulationPatch } from './domain/live.js';
import type { ScenarioProfile } from './domain/scenario.js';
import { BUILT_IN_SCENARIOS } from './scenarios/builtin.js';
import { defineScenario, getScenario, type ScenarioDefinition } from './scenarios/resolve.js';
import { envelopeOf, type SimulatedEnvelope } from './simulation/envelope.js';
import { createLiveSimulation, type LiveSimulation } from './simulation/live.js';
import { generateIntoStore } from './jobs/store-generation.js';
import { openStore } from './store/open.js';

export { ENTITY_SCHEMAS, ENTITY_NAMES, type EntityName, type Entities } from './domain/entities.js';
export { EVENT_DATA, EVENT_TYPES, EventEnvelope, channelOf, type EventType, type EventData } from './domain/events.js';
export { ScenarioProfile } from './domain/scenario.js';
export { GenerateOptions } from './domain/config.js';
export type { GenerateProgress, GenerateResult } from './batch/generate.js';
export type { SimulatedEnvelope } from './simulation/envelope.js';
export type { ScenarioDefinition } from './scenarios/resolve.js';
export type { Arrivals, SimulationPatch } from './domain/live.js';
export { defineScenario };

/** The built-in scenarios, by name. */
export const scenarios: Readonly<Record<string, ScenarioProfile>> = Object.freeze(Object.fromEntries(BUILT_IN_SCENARIOS.map((s) => [s.name, s])));
/** The market packs: id, currency, products and more. */
export const markets = allMarkets();

export interface DatasetOptions {
  /** A built-in scenario's name or a profile (from defineScenario); default normal-ops. */
  scenario?: string | ScenarioProfile;
  /** A market pack id; default the scenario's own. */
  market?: string;
  /** First and last day, YYYY-MM-DD (inclusive). */
  from?: string;
  to?: string;
  seed?: number;
  multiplier?: number;
  /** Worker threads; the output is the same for any number. Default 1 in the library. */
  workers?: number;
  maxRecords?: number;
}

export interface GenerateLibraryOptions extends DatasetOptions {
  /** Write one file per entity here (replaced atomically); omit for a dry run that only counts. */
  out?: string;
  format?: 'ndjson' | 'json' | 'csv';
  /** Also write the time-ordered event log (events.ndjson). */
  events?: boolean;
  onProgress?: (p: GenerateProgress) => void;
  signal?: AbortSignal;
}

const scenarioOf = (s: string | ScenarioProfile | undefined): ScenarioProfile => (typeof s === 'object' ? s : getScenario(s ?? 'normal-ops'));

function optionsOf(o: DatasetOptions & { format?: string; events?: boolean }): { scenario: ScenarioProfile; marketId: string; options: GenerateOptions } {
  const scenario = scenarioOf(o.scenario);
  const marketId = o.market ?? scenario.market;
  getMarket(marketId);
  const parsed = GenerateOptions.safeParse({ from: o.from, to: o.to, seed: o.seed, multiplier: o.multiplier, workers: o.workers ?? 1, format: o.format, events: o.events, maxRecords: o.maxRecords });
  // A readable error naming each option (a ZodError's message is its issues as JSON).
  if (!parsed.success) throw new UsageError(`invalid options:\n${describeZodError(parsed.error)}`);
  const options = parsed.data;
  return { scenario, marketId, options };
}

/** Generates a dataset: written to `out`, or a dry run that counts what it would write. */
export function generate(o: GenerateLibraryOptions = {}): Promise<GenerateResult> {
  const { scenario, marketId, options } = optionsOf(o);
  return generateInThread({ scenario, marketId, options, out: o.out ?? null }, { onProgress: o.onProgress, signal: o.signal });
}

export interface SeedOptions extends DatasetOptions {
  /** postgres://… of the database to fill (its tables are created in the mock_data schema). */
  databaseUrl: string;
  /** Replace mock data already there (default: refuse to merge into it). */
  replace?: boolean;
}

/**
 * Fills a PostgreSQL database with a dataset, as `generate --no-dry-run` does: tables,
 * keys and indexes in the `mock_data` schema, in one transaction. Test fixtures use it.
 * The safety rules hold (never with NODE_ENV=production, record limit); the server-default
 * "off" for PostgreSQL does not apply: calling seed() is the explicit consent.
 */
export async function seed(o: SeedOptions): Promise<GenerateResult> {
  const { scenario, marketId, options } = optionsOf(o);
  const store = await openStore({ databaseUrl: o.databaseUrl, dataDir: null });
  try {
    return await generateIntoStore(store, { envEnabled: true, maxRecords: options.maxRecords }, { scenario, marketId, options, batchSize: 1000, replace: o.replace ?? false });
  } finally {
    await store.close();
  }
}

export type DatasetRecord = { [E in EntityName]: { entity: E; record: Entities[E] } }[EntityName];

/**
 * The dataset as records, day by day (dimension tables first), without touching the disk.
 * The generator waits while the consumer is busy, so memory stays bounded by one day.
 */
export async function* records(o: DatasetOptions = {}): AsyncGenerator<DatasetRecord> {
  const { scenario, marketId, options } = optionsOf({ ...o, format: 'ndjson' });
  const queue: DatasetRecord[][] = [];
  let wake: (() => void) | null = null;
  let drained: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const decoder = new TextDecoder();
  const sink: DatasetSink = {
    target: 'memory',
    format: 'ndjson',
    write: async (key, bytes) => {
      if (!(key in ENTITY_SCHEMAS)) return; // the anomaly ground truth and the event log are files of their own
      const entity = key as EntityName;
      const batch = decoder
        .decode(bytes)
        .split('\n')
        .filter(Boolean)
        .map((line) => ({ entity, record: JSON.parse(line) }) as DatasetRecord);
      queue.push(batch);
      wake?.();
      // Back-pressure: the next day waits until the consumer has taken this one.
      await new Promise<void>((resolve) => (drained = resolve));
    },
    writeLines: async () => undefined,
    commit: async () => [],
    abort: async () => undefined,
  };
  const abort = new AbortController();
  // Worker threads draft and write (the caller's thread stays free for its consumer), as before a run had a thread of its own.
  const run = generateDataset({ scenario, marketId, options: { ...options, format: 'csv' }, out: null, sink }, { signal: abort.signal, keepThreadFree: true }).then(
    () => {
      finished = true;
      wake?.();
    },
    (err: unknown) => {
      failure = err;
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      const batch = queue.shift();
      if (batch) {
        yield* batch;
        if (!queue.length) (drained as (() => void) | null)?.();
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    if (failure) throw failure;
  } finally {
    if (!finished) {
      abort.abort(new Error('the consumer stopped reading'));
      (drained as (() => void) | null)?.();
      await run;
    }
  }
}

export interface SimulateOptions extends Omit<DatasetOptions, 'from' | 'to' | 'workers' | 'maxRecords'> {
  /** Simulated start time (ms since the epoch, or an ISO string); default now. */
  start?: number | string;
  /** Simulated seconds per real second; Infinity (default) runs as fast as the CPU allows. */
  speed?: number;
  /** How new orders arrive: the scenario's curves (default), a flat rate, or spec 004's delays. */
  arrivals?: Arrivals;
  /** Stop after this many events (default: never). */
  limit?: number;
}

/** The live engine as an async iterable of events, with controls. */
export interface Simulation extends AsyncIterable<SimulatedEnvelope> {
  pause(): void;
  resume(): void;
  /** Changes settings from the next event on (rate, pattern mix, lifecycle timings…). */
  update(patch: SimulationPatch): void;
  /** Ends the iteration. */
  stop(): void;
  /** Simulated time now (ms). */
  readonly now: number;
  readonly engine: LiveSimulation;
}

const STEP_MS = 3_600_000;

export function simulate(o: SimulateOptions = {}): Simulation {
  const scenario = scenarioOf(o.scenario);
  const marketId = o.market ?? scenario.market;
  getMarket(marketId);
  const startMs = typeof o.start === 'string' ? Date.parse(o.start) : (o.start ?? Date.now());
  if (!Number.isFinite(startMs)) throw new TypeError(`start must be a time (got ${String(o.start)})`);
  const speed = o.speed ?? Infinity;
  if (!(speed > 0)) throw new RangeError(`speed must be greater than 0 (got ${speed})`);
  const engine = createLiveSimulation({ scenario, marketId, seed: o.seed ?? 12345, startMs, arrivals: o.arrivals ?? { mode: 'scenario' }, multiplier: o.multiplier });
  const namespace = eventNamespace(engine.world.config.seed);
  let paused = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  const nudge = () => wake?.();
  /** A macrotask turn: timers and I/O (a stop() from a setTimeout, a socket) run, as they must in an unpaced run too. */
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function* events(): AsyncGenerator<SimulatedEnvelope> {
    let emitted = 0;
    let realStart = performance.now();
    let simStart = engine.now;
    let pending: ReturnType<LiveSimulation['advanceTo']> = [];
    let at = 0;
    while (!stopped) {
      if (paused) {
        await new Promise<void>((resolve) => (wake = resolve));
        realStart = performance.now();
        simStart = engine.now;
        continue;
      }
      if (at < pending.length) {
        yield envelopeOf(namespace, pending[at++]).input;
        if (++emitted >= (o.limit ?? Infinity)) return;
        if (emitted % 256 === 0) await turn();
        continue;
      }
      const target = speed === Infinity ? engine.now + STEP_MS : simStart + (performance.now() - realStart) * speed;
      pending = engine.advanceTo(target);
      at = 0;
      // Unpaced: one turn between steps; paced: wait for the clock (or a control).
      if (speed === Infinity) await turn();
      else if (!pending.length) await new Promise<void>((resolve) => setTimeout((wake = resolve), 20));
    }
  }
  return {
    [Symbol.asyncIterator]: events,
    pause: () => void (paused = true),
    resume: () => {
      paused = false;
      nudge();
    },
    update: (patch) => engine.update(patch),
    stop: () => {
      stopped = true;
      nudge();
    },
    get now() {
      return engine.now;
    },
    engine,
  };
}
