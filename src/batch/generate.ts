/**
 * A batch generation run: plan the days, run the engine over them (its orders drafted and
 * written by N threads, see run-days.ts), write the results in day order and validate them.
 * The output depends only on the seed and the options, never on the number of workers or
 * their timing.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { GenerateOptions, OutputFormat } from '../domain/config.js';
import { DIMENSION_ENTITIES, ENGINE_ENTITIES, ENTITY_NAMES, FACT_ENTITIES, type EntityName } from '../domain/entities.js';
import { engineRecords } from '../simulation/intelligence-records.js';
import { envelopeLine, eventNamespace } from '../domain/event-id.js';
import { UsageError } from '../domain/errors.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { iso } from '../simulation/time.js';
import { dimensionKeys, emptyReport, mergeReports, validateDay, validateDimensions, type ValidationReport } from '../simulation/validate.js';
import { renderMovementRecord, type FactRecords } from '../simulation/render.js';
import { movementAt } from './day-summary.js';
import { World, type SimulationConfig } from '../simulation/world.js';
import { DatasetWriter } from '../sinks/dataset-writer.js';
import type { DatasetSink, FileSummary } from '../domain/dataset.js';

export type { DatasetSink } from '../domain/dataset.js';
import { entityEncoders, fileFraming, jsonTexts } from '../sinks/encode.js';
import { EventMerger } from '../sinks/event-merge.js';
import { InThreadRunner, runDays, ThreadRunner, type DayDone, type DayRunner } from './run-days.js';
import { DayWork, type DayTaskOptions } from './day-task.js';

export interface GenerateRequest {
  scenario: ScenarioProfile;
  marketId: string;
  options: GenerateOptions;
  /** Directory to write; null for a dry run (or when `sink` is given). */
  out: string | null;
  /** Somewhere else to write (the store): it receives CSV whatever options.format says. */
  sink?: DatasetSink;
  /** The dataset's now, if not the end of options.to (serve seeds its store up to the instant it starts). */
  asOfMs?: number;
  /**
   * options.workers is what the machine allows (no --workers given): use fewer threads when the
   * run is too small to repay one (each builds a world of its own; see RECORDS_PER_THREAD).
   */
  fitWorkers?: boolean;
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

/** spec 002's safety guard, the part that applies to files: never written in production (a dry run writes nothing, so it is allowed, as over the API)… */
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

/** What --workers takes at most (the options' schema): a bigger machine's default stops here. */
const MAX_WORKERS = 64;

/**
 * Estimated records each thread must have to do before it pays for itself. Measured on 2 cores
 * (dry runs of normal-ops, 2026-11-30, BENCHMARKS.md): a second thread lost up to a year × 5
 * (1.1 million records estimated), broke even or lost a little at × 10 (2.1 million) and won
 * by up to 13% at × 20 (4.2 million); below that, building its world and handing days across
 * cost more than it drafted.
 */
export const RECORDS_PER_THREAD = 2_000_000;

/** Days from `from` to `to`, both included. */
export const dayCount = (options: Pick<GenerateOptions, 'from' | 'to'>): number => Math.round((Date.parse(options.to) - Date.parse(options.from)) / 86_400_000) + 1;

/** Threads for a run of `estimated` records when no number was asked for: up to `allowed`. */
export const fittedWorkers = (estimated: number, allowed: number): number => Math.max(1, Math.min(allowed, Math.floor(estimated / RECORDS_PER_THREAD)));

/**
 * Every core: this thread runs the engine (the warehouse, purchase orders, alerts, analytics,
 * in time order) and drafts and writes days whenever it would otherwise wait for a worker
 * thread, so the cores share the work evenly.
 */
export const defaultWorkers = (): number => Math.min(MAX_WORKERS, Math.max(1, availableParallelism()));

const compiledWorker = new URL('./worker.js', import.meta.url);
// Under vitest this module runs from src/ as TypeScript, which worker threads cannot load:
// they take the compiled worker instead (`npm test` builds first).
const WORKER_FILE = existsSync(compiledWorker) ? fileURLToPath(compiledWorker) : fileURLToPath(new URL('../../dist/src/batch/worker.js', import.meta.url));

export interface GenerateHooks {
  onProgress?: (p: GenerateProgress) => void;
  /** Aborting stops the run and removes everything it wrote. */
  signal?: AbortSignal;
  /** Draft and write the days in this thread instead of worker threads (tests; the output is the same). */
  inThread?: boolean;
  /**
   * This thread must stay free (a server's, which answers requests; one that feeds a
   * database): `workers` worker threads do all the drafting and writing.
   */
  keepThreadFree?: boolean;
}

export async function generate(req: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = performance.now();
  const { options } = req;
  if (req.out !== null || req.sink) checkEnvironment();
  const config: SimulationConfig = {
    seed: options.seed,
    from: options.from,
    to: options.to,
    multiplier: options.multiplier,
    scenario: req.scenario,
    marketId: req.marketId,
    ...(req.asOfMs !== undefined ? { asOfMs: req.asOfMs } : {}),
  };
  // The limits before any thread starts: each thread builds a world of its own.
  const world = new World(config);
  const plans = world.planDays();
  const ordersPlanned = plans.reduce((sum, p) => sum + p.count, 0);
  const estimated = world.estimatedRecords(plans);
  checkRecordLimit(estimated, options.maxRecords);
  if (ordersPlanned >= 10 ** 8) throw new UsageError('more than 99,999,999 orders in one run; split the date range');
  const wanted = req.fitWorkers ? fittedWorkers(estimated, options.workers) : options.workers;
  const workers = Math.max(1, Math.min(wanted, dayCount(options)));
  const runner = startRunner(config, world, workers, hooks);
  try {
    return await run(req, world, plans, runner, started, hooks);
  } finally {
    await runner.close();
  }
}

/**
 * `workers` threads draft and write: this one (which also runs the engine and writes the
 * files) and workers − 1 worker threads; or, when this one must stay free, `workers` of them.
 */
function startRunner(config: SimulationConfig, world: World, workers: number, hooks: GenerateHooks): DayRunner {
  if (hooks.inThread || (workers === 1 && !hooks.keepThreadFree)) return new InThreadRunner(new DayWork(config, world));
  if (hooks.keepThreadFree) return new ThreadRunner(WORKER_FILE, config, workers);
  return new ThreadRunner(WORKER_FILE, config, workers - 1, new DayWork(config, world));
}

async function run(req: GenerateRequest, world: World, plans: ReturnType<World['planDays']>, runner: DayRunner, started: number, hooks: GenerateHooks): Promise<GenerateResult> {
  const config = world.config;
  const options = req.sink ? { ...req.options, format: req.sink.format ?? 'csv', events: false } : req.options;
  const ordersPlanned = plans.reduce((sum, p) => sum + p.count, 0);
  const dims = world.dims;
  const dimensionRecords = DIMENSION_ENTITIES.reduce((sum, e) => sum + dims[e].length, 0);

  const counts = Object.fromEntries(ENTITY_NAMES.map((e) => [e, 0])) as Record<EntityName, number>;
  const validation = emptyReport();
  mergeReports(validation, validateDimensions(dims));
  const writer: DatasetSink | null = req.sink ?? (req.out ? await DatasetWriter.open(req.out, options.format, ENTITY_NAMES, options.events ? ['anomalies', 'events'] : ['anomalies']) : null);
  const merger = options.events ? new EventMerger() : null;
  const namespace = eventNamespace(config.seed);
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
  const encoders = entityEncoders(options.format);
  const writeRows = async (entity: EntityName, rows: readonly unknown[]) => {
    if (!writer || !rows.length) return;
    const encode = encoders[entity] as (r: unknown) => string;
    const texts = (encode === JSON.stringify ? jsonTexts(rows as object[]) : null) ?? rows.map((r) => encode(r));
    await writer.write(entity, Buffer.from(texts.join(fileFraming(options.format, entity).separator)), rows.length);
  };
  const dimKeys = dimensionKeys(dims);
  const noFacts = Object.fromEntries(FACT_ENTITIES.map((e) => [e, []])) as unknown as FactRecords;

  try {
    // Dimension tables first (built in this thread; the workers rebuild the same ones), but
    // products last: their stock is what the warehouse holds as of the dataset's now.
    progress('dimensions', 0, true);
    for (const entity of DIMENSION_ENTITIES) if (entity !== 'products') await writeRows(entity, dims[entity]);
    for (const entity of DIMENSION_ENTITIES) counts[entity] = dims[entity].length;
    records += dimensionRecords;

    const consume = async ({ plan, result, engineEvents, movements }: DayDone): Promise<void> => {
      orders += result.orders;
      anomalies += result.anomalies;
      for (const entity of FACT_ENTITIES) {
        counts[entity] += result.counts[entity];
        records += result.counts[entity];
      }
      mergeReports(validation, result.validation);
      if (movements) {
        // Checked as the worker would: products against the dimension, orders by number
        // (placed by the end of the day); the day's other tables are empty here.
        const rows = Array.from({ length: movements.seq.length }, (_, i) => renderMovementRecord(world, movementAt(movements, i)));
        const tables = { ...noFacts, inventory_movements: rows };
        mergeReports(validation, validateDay(tables, dimKeys, plan.orderOffset + plan.count));
        counts.inventory_movements += rows.length;
        records += rows.length;
        await writeRows('inventory_movements', rows);
      }
      // What the warehouse and the planner said that day, as rows of their own tables.
      const said = engineRecords(engineEvents);
      for (const entity of ENGINE_ENTITIES) {
        counts[entity] += said[entity].length;
        records += said[entity].length;
        await writeRows(entity, said[entity]);
      }
      if (writer) {
        for (const seg of result.segments) {
          const bytes = result.bytes.subarray(seg.start, seg.end);
          if (seg.name === 'events') merger?.add(plan.index * 2, result.eventTimes, result.eventOffsets, bytes);
          else await writer.write(seg.name, bytes, seg.records);
        }
        if (merger) {
          // The engine's own events of the day: a second sorted run beside the day's order events.
          const lines = engineEvents.map((e) => `${envelopeLine(namespace, e.type, iso(e.t), e.data)}\n`);
          const offsets: number[] = [];
          let at = 0;
          for (const line of lines) {
            offsets.push(at);
            at += Buffer.byteLength(line);
          }
          offsets.push(at);
          merger.add(plan.index * 2 + 1, engineEvents.map((e) => e.t), offsets, Buffer.from(lines.join('')));
          const ready = merger.drain(plan.startMs + 86_400_000);
          await writer.writeLines('events', ready.bytes, ready.count);
          events += ready.count;
        }
      }
      progress('orders', plan.index + 1);
    };
    // The file writer has written a day's bytes when its write resolves; a caller's sink may keep them.
    const reuseBytes = writer instanceof DatasetWriter;
    const { stock } = await runDays(world, plans, runner, { ...taskOptions, signal: hooks.signal, reuseBytes, movementsHere: true }, consume);
    await writeRows('products', dims.products.map((p, i) => ({ ...p, stock_quantity: stock[i] })));
    if (merger && writer) {
      const rest = merger.drain(Infinity);
      await writer.writeLines('events', rest.bytes, rest.count);
      events += rest.count;
    }
    progress('orders', plans.length, true);
    if (validation.violations.length) throw new ValidationFailed(validation);

    const files = writer
      ? await writer.commit({
          version: 2,
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
    return { counts, records, anomalies, events, days: plans.length, elapsedMs: performance.now() - started, workers: runner.parallelism, validation, files, outDir: writer?.target ?? null };
  } catch (err) {
    await writer?.abort();
    throw hooks.signal?.aborted ? (hooks.signal.reason ?? err) : err;
  }
}
