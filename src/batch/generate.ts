/**
 * A batch generation run: plan the days, simulate them on N worker threads,
 * take the results back in day order, write them and validate them. The output depends
 * only on the seed and the options, never on the number of workers or their timing.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { GenerateOptions, OutputFormat } from '../domain/config.js';
import { DIMENSION_ENTITIES, ENTITY_NAMES, FACT_ENTITIES, type EntityName } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { emptyReport, mergeReports, validateDimensions, type ValidationReport } from '../simulation/validate.js';
import { World, type SimulationConfig } from '../simulation/world.js';
import { DatasetWriter, type FileKey, type FileSummary } from '../sinks/dataset-writer.js';
import { entityEncoders, fileFraming } from '../sinks/encode.js';
import { EventMerger } from '../sinks/event-merge.js';
import type { DayTaskOptions, DayTaskResult } from './day-task.js';
import type { DayTask } from './worker.js';

export interface GenerateRequest {
  scenario: ScenarioProfile;
  marketId: string;
  options: GenerateOptions;
  /** Directory to write; null for a dry run (or when `sink` is given). */
  out: string | null;
  /** Somewhere else to write (the store): it receives CSV whatever options.format says. */
  sink?: DatasetSink;
}

/** Where a run's encoded output goes: the dataset directory or the database. */
export interface DatasetSink {
  write(key: FileKey, bytes: Uint8Array, records: number): Promise<void>;
  writeLines(key: FileKey, bytes: Uint8Array, records: number): Promise<void>;
  commit(manifest: Record<string, unknown>): Promise<FileSummary[]>;
  abort(): Promise<void>;
  readonly target: string;
  /** The encoding it takes; CSV (what COPY loads) unless it says otherwise. */
  readonly format?: OutputFormat;
}

export interface GenerateProgress {
  phase: 'dimensions' | 'orders';
  day: number;
  days: number;
  date: string;
  orders: number;
  ordersPlanned: number;
  records: number;
  elapsedMs: number;
  recordsPerSecond: number;
  etaSeconds: number;
}

export interface GenerateResult {
  counts: Record<EntityName, number>;
  records: number;
  anomalies: number;
  events: number;
  days: number;
  elapsedMs: number;
  workers: number;
  validation: ValidationReport;
  files: FileSummary[] | null;
  outDir: string | null;
}

export class ValidationFailed extends Error {
  override readonly name = 'ValidationFailed';
  constructor(readonly report: ValidationReport) {
    super(`generated data failed validation:\n${report.violations.map((v) => `  • ${v}`).join('\n')}${report.more ? `\n  … and ${report.more} more` : ''}`);
  }
}

/** spec 002's safety guard, the part that applies to files: never in production… */
export function checkEnvironment(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new UsageError('refusing to generate mock data with NODE_ENV=production; unset NODE_ENV or set it to development');
  }
}

/** …and never unbounded. */
export function checkRecordLimit(estimatedRecords: number, maxRecords: number): void {
  if (estimatedRecords > maxRecords) {
    throw new UsageError(
      `this run would produce about ${estimatedRecords.toLocaleString('en-US')} records, over the limit of ${maxRecords.toLocaleString('en-US')}; ` +
        'shorten --from/--to, lower --multiplier, or raise the limit with --max-records',
    );
  }
}

export const defaultWorkers = (): number => Math.max(1, availableParallelism());

const compiledWorker = new URL('./worker.js', import.meta.url);
// Under vitest this module runs from src/ as TypeScript, which worker threads cannot load:
// they take the compiled worker instead (`npm test` builds first).
const WORKER_FILE = existsSync(compiledWorker) ? fileURLToPath(compiledWorker) : fileURLToPath(new URL('../../dist/src/batch/worker.js', import.meta.url));

export interface GenerateHooks {
  onProgress?: (p: GenerateProgress) => void;
  /** Aborting stops the run and removes everything it wrote. */
  signal?: AbortSignal;
}

export async function generate(req: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = performance.now();
  const { options } = req;
  checkEnvironment();
  const config: SimulationConfig = {
    seed: options.seed,
    from: options.from,
    to: options.to,
    multiplier: options.multiplier,
    scenario: req.scenario,
    marketId: req.marketId,
  };
  const dayCount = Math.round((Date.parse(options.to) - Date.parse(options.from)) / 86_400_000) + 1;
  const workers = Math.max(1, Math.min(options.workers, dayCount));
  // Days are always simulated in pool threads, even for one worker: this thread only orders
  // and writes results, and the threads get a larger young generation (a year-long run
  // went from 12.4 s to 9.2 s; 16 MB 12.0 s, 64 MB 9.2 s, 128 MB 10.5 s semi-space).
  const pool = new Piscina({
    filename: WORKER_FILE,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    resourceLimits: { maxYoungGenerationSizeMb: 192 }, // 3 × a 64 MB semi-space (48 MB: 3× slower; 288–384 MB: no better)
  });
  try {
    // The workers build their World (~0.3 s each) while this thread builds its own.
    const warmUp: DayTask = { config, plan: null, options: { format: options.format, encode: false, events: false } };
    for (let i = 0; i < workers; i++) pool.run(warmUp).catch(() => undefined);
    return await runDays(req, config, pool, workers, started, hooks);
  } finally {
    await pool.destroy();
  }
}

async function runDays(
  req: GenerateRequest,
  config: SimulationConfig,
  pool: Piscina,
  workers: number,
  started: number,
  hooks: GenerateHooks,
): Promise<GenerateResult> {
  const options = req.sink ? { ...req.options, format: req.sink.format ?? 'csv', events: false } : req.options;
  const world = new World(config);
  const plans = world.planDays();
  const ordersPlanned = plans.reduce((sum, p) => sum + p.count, 0);
  const dims = world.dims;
  const dimensionRecords = DIMENSION_ENTITIES.reduce((sum, e) => sum + dims[e].length, 0);
  checkRecordLimit(world.estimatedRecords(plans), options.maxRecords);
  if (ordersPlanned >= 10 ** 8) throw new UsageError('more than 99,999,999 orders in one run; split the date range');

  const counts = Object.fromEntries(ENTITY_NAMES.map((e) => [e, 0])) as Record<EntityName, number>;
  const validation = emptyReport();
  mergeReports(validation, validateDimensions(dims));
  const writer: DatasetSink | null = req.sink ?? (req.out ? await DatasetWriter.open(req.out, options.format, ENTITY_NAMES, options.events ? ['anomalies', 'events'] : ['anomalies']) : null);
  const merger = options.events ? new EventMerger() : null;
  let anomalies = 0;
  let events = 0;
  let records = 0;
  let orders = 0;
  let lastProgress = 0;
  const progress = (phase: GenerateProgress['phase'], day: number, force = false) => {
    const now = performance.now();
    if (!hooks.onProgress || (!force && now - lastProgress < 200)) return;
    lastProgress = now;
    const elapsedMs = now - started;
    const rate = records / Math.max(0.001, elapsedMs / 1000);
    const left = ordersPlanned ? (ordersPlanned - orders) / Math.max(1, orders / Math.max(1, elapsedMs)) / 1000 : 0;
    hooks.onProgress({ phase, day, days: plans.length, date: plans[Math.min(day, plans.length - 1)]?.date ?? options.to, orders, ordersPlanned, records, elapsedMs, recordsPerSecond: Math.round(rate), etaSeconds: Math.max(0, Math.round(left)) });
  };

  const taskOptions: DayTaskOptions = { format: options.format, encode: writer !== null, events: options.events && writer !== null };

  try {
    // Dimension tables first: small, built in this thread (the workers rebuild the same ones).
    progress('dimensions', 0, true);
    if (writer) {
      const encoders = entityEncoders(options.format);
      for (const entity of DIMENSION_ENTITIES) {
        const rows = dims[entity] as never[];
        const encode = encoders[entity];
        await writer.write(entity, Buffer.from(rows.map((r) => encode(r)).join(fileFraming(options.format, entity).separator)), rows.length);
      }
    }
    for (const entity of DIMENSION_ENTITIES) counts[entity] = dims[entity].length;
    records += dimensionRecords;

    const run = (index: number): Promise<DayTaskResult> => {
      const task = pool.run({ config, plan: plans[index], options: taskOptions } satisfies DayTask, { signal: hooks.signal }) as Promise<DayTaskResult>;
      task.catch(() => undefined); // an abort rejects every queued day at once; the loop reports it once
      return task;
    };

    // Keep a bounded window of days in flight and consume them strictly in order.
    const window = workers * 3;
    const inFlight: Array<Promise<DayTaskResult>> = [];
    let next = 0;
    for (let consumed = 0; consumed < plans.length; consumed++) {
      while (next < plans.length && inFlight.length < window) inFlight.push(run(next++));
      const result = await inFlight.shift()!;
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('aborted');
      await consume(result);
      progress('orders', consumed + 1);
    }
    if (merger && writer) {
      const rest = merger.drain(Infinity);
      await writer.writeLines('events', rest.bytes, rest.count);
      events += rest.count;
    }
    progress('orders', plans.length, true);
    if (validation.violations.length) throw new ValidationFailed(validation);

    const files = writer
      ? await writer.commit({
          version: 1,
          scenario: req.scenario.name,
          market: req.marketId,
          seed: options.seed,
          from: options.from,
          to: options.to,
          multiplier: options.multiplier,
          format: options.format,
          events: options.events,
          records,
          validation: { foreignKeys: validation.foreignKeys, moneyChecks: validation.moneyChecks, violations: 0 },
        })
      : null;
    return { counts, records, anomalies, events, days: plans.length, elapsedMs: performance.now() - started, workers, validation, files, outDir: writer?.target ?? null };
  } catch (err) {
    await writer?.abort();
    throw hooks.signal?.aborted ? (hooks.signal.reason ?? err) : err;
  }

  async function consume(result: DayTaskResult): Promise<void> {
    orders += result.orders;
    anomalies += result.anomalies;
    for (const entity of FACT_ENTITIES) {
      counts[entity] += result.counts[entity];
      records += result.counts[entity];
    }
    mergeReports(validation, result.validation);
    if (!writer) return;
    for (const seg of result.segments) {
      const bytes = result.bytes.subarray(seg.start, seg.end);
      if (seg.name === 'events') merger?.add(result.index, result.eventTimes, result.eventOffsets, bytes);
      else await writer.write(seg.name, bytes, seg.records);
    }
    if (merger) {
      const ready = merger.drain(plans[result.index].startMs + 86_400_000);
      await writer.writeLines('events', ready.bytes, ready.count);
      events += ready.count;
    }
  }
}
