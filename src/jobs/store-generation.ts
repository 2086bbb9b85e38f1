/**
 * A generation run into the store: the safety guard first, then the batch engine with the
 * store as its output, in one transaction. A dataset is written whole, like a dataset
 * directory: into empty tables, or replacing what is there (`replace`), never merged, since
 * two runs number their rows from the same start. The load follows PostgreSQL's advice for
 * populating a database: keys, foreign keys and indexes are built after the rows are in,
 * in the same transaction, so the database checks every foreign key before it commits.
 */
import { generate, type GenerateProgress, type GenerateResult } from '../batch/generate.js';
import { getMarket } from '../catalog/index.js';
import type { GenerateOptions } from '../domain/config.js';
import { ENTITY_NAMES, type EntityName } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { StoreSink } from '../store/bulk-load.js';
import { CapturingSink } from '../sinks/memory.js';
import type { DatasetSink } from '../domain/dataset.js';
import { lockChangeFeed } from '../store/queries/locks.js';
import { checkWrite, type GuardSettings } from '../store/guard.js';
import { clearLiveState } from '../store/live-writer.js';
import { writeDatasetInfo, type DatasetInfo } from '../store/dataset-info.js';
import { BULK_DROP_SQL, BULK_RESTORE_SQL, MOCK_SCHEMA, STATUS_REACHED, tableOf } from '../store/schema.js';
import type { Store, Transaction } from '../store/store.js';
import { World } from '../simulation/world.js';

export class StoreNotEmpty extends UsageError {
  constructor(readonly rows: number) {
    super(
      `mock_data already holds data (${rows.toLocaleString('en-US')} orders); a generated dataset replaces it whole: ` +
        'pass replace (CLI --replace, API config.replace: true), or empty it first with `orderstream cleanup --confirm`',
    );
  }
}

export interface StoreGenerationRequest {
  scenario: ScenarioProfile;
  marketId: string;
  options: GenerateOptions;
  batchSize: number;
  /** Empty the tables first (in the same transaction: a failed run keeps the old data). */
  replace: boolean;
  /** The dataset's now, if not the end of options.to (serve seeds up to the instant it starts). */
  asOfMs?: number;
}

export interface StoreGenerationHooks {
  onProgress?: (p: GenerateProgress) => void;
  /** After each COPY batch: which table, and how many rows it has taken so far. */
  onLoaded?: (entity: EntityName, loaded: number) => void;
  /** The job's transaction opened (true) or ended (false): while it is open, the embedded database answers nothing else. */
  onTransaction?: (open: boolean) => void;
  signal?: AbortSignal;
}

export type StoreGenerationResult = GenerateResult;

/** The plan's size before any work, for the record limit (the same estimate `generate` makes). */
export function estimateRecords(scenario: ScenarioProfile, marketId: string, options: GenerateOptions): number {
  return new World({ seed: options.seed, from: options.from, to: options.to, multiplier: options.multiplier, scenario, marketId }).estimatedRecords();
}

async function rowsPresent(tx: Transaction): Promise<number> {
  let any = 0;
  for (const e of ENTITY_NAMES) {
    const { rows } = await tx.query(`SELECT 1 FROM ${tableOf(e)} LIMIT 1`);
    any += rows.length;
  }
  if (!any) return 0;
  const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableOf('orders')}`);
  return Math.max(1, rows[0].n);
}

export const ALL_TABLES = ENTITY_NAMES.map(tableOf).join(', ');

/**
 * Runs `fill` with a sink into emptied, unconstrained tables, in one transaction; keys,
 * foreign keys and indexes are built (and so checked) before it commits.
 */
export async function bulkLoad<T>(
  store: Store,
  opts: { batchSize: number; replace: boolean; info: DatasetInfo; onLoaded?: (entity: EntityName, loaded: number) => void; onTransaction?: (open: boolean) => void },
  fill: (sink: StoreSink) => Promise<T>,
): Promise<T> {
  return store.transaction(async (tx) => {
    opts.onTransaction?.(true);
    // Row events for a bulk load would flood every client; the job reports itself instead.
    await tx.query("SET LOCAL orderstream.change_feed = 'off'");
    // Every writer of tracked tables queues on the change-feed lock first (migration 003); taking it
    // before the table locks keeps a job from deadlocking with one of them. Then other writers wait
    // for the job instead of slipping rows in between.
    await lockChangeFeed(tx);
    await tx.query(`LOCK TABLE ${ALL_TABLES} IN SHARE ROW EXCLUSIVE MODE`);
    const present = await rowsPresent(tx);
    if (present && !opts.replace) throw new StoreNotEmpty(present);
    if (present) await tx.query(`TRUNCATE ${ALL_TABLES}`);
    for (const sql of BULK_DROP_SQL) await tx.query(sql);
    const sink = new StoreSink(tx, opts.batchSize, store.location);
    const loaded = new Map<EntityName, number>();
    sink.onLoaded = (entity, records) => {
      loaded.set(entity, (loaded.get(entity) ?? 0) + records);
      opts.onLoaded?.(entity, loaded.get(entity)!);
    };
    const result = await fill(sink);
    for (const sql of BULK_RESTORE_SQL) await tx.query(sql);
    // Fresh statistics: without them the planner takes a year of orders for a few dozen
    // rows and picks nested loops (the analytics queries ran 4× slower).
    await tx.query(`ANALYZE ${ALL_TABLES}, ${STATUS_REACHED}`);
    // A live simulation's saved position no longer matches this data: a restart starts afresh.
    await clearLiveState(tx);
    await writeDatasetInfo(tx, opts.info);
    return result;
  }).finally(() => opts.onTransaction?.(false));
}

export async function generateIntoStore(store: Store, guard: GuardSettings, req: StoreGenerationRequest, hooks: StoreGenerationHooks = {}): Promise<StoreGenerationResult> {
  getMarket(req.marketId);
  return loadIntoStore(store, guard, req, estimateRecords(req.scenario, req.marketId, req.options), hooks, (sink) => generateInto(sink, req, hooks));
}

/** A run generated ahead into memory, for loadGenerated: the rows and the run's own report. */
export interface GeneratedRun {
  rows: CapturingSink;
  result: GenerateResult;
}

/**
 * Generates a (small) run into memory now, before its destination is free: serve's demo
 * dataset, made while the server gets ready and loaded once it listens. Check the guard
 * first (the load checks it again, with the same estimate, as any job does).
 */
export async function generateAhead(req: StoreGenerationRequest, hooks: Pick<StoreGenerationHooks, 'signal' | 'onProgress'> = {}): Promise<GeneratedRun> {
  getMarket(req.marketId);
  const rows = new CapturingSink('csv');
  return { rows, result: await generateInto(rows, req, hooks) };
}

/**
 * Loads a run generateAhead made: the guard (with `estimatedRecords`, the figure the run was
 * checked with before it was made) and the transaction as generateIntoStore's. The rows are
 * spent by the load.
 */
export async function loadGenerated(
  store: Store,
  guard: GuardSettings,
  req: StoreGenerationRequest,
  run: GeneratedRun,
  estimatedRecords: number,
  hooks: Pick<StoreGenerationHooks, 'onLoaded' | 'signal'> = {},
): Promise<StoreGenerationResult> {
  return loadIntoStore(store, guard, req, estimatedRecords, hooks, async (sink) => {
    await run.rows.replay(sink, hooks.signal);
    return run.result;
  });
}

async function generateInto(sink: DatasetSink, req: StoreGenerationRequest, hooks: StoreGenerationHooks): Promise<GenerateResult> {
  const result = await generate(
    { scenario: req.scenario, marketId: req.marketId, options: { ...req.options, format: 'csv', events: false }, out: null, sink, asOfMs: req.asOfMs },
    { onProgress: hooks.onProgress, signal: hooks.signal, keepThreadFree: true },
  );
  if (hooks.signal?.aborted) throw hooks.signal.reason;
  return result;
}

async function loadIntoStore(
  store: Store,
  guard: GuardSettings,
  req: StoreGenerationRequest,
  records: number,
  hooks: StoreGenerationHooks,
  fill: (sink: StoreSink) => Promise<GenerateResult>,
): Promise<StoreGenerationResult> {
  await checkWrite(store, guard, { schema: MOCK_SCHEMA, records });
  const o = req.options;
  const info = { market: req.marketId, scenario: req.scenario.name, seed: o.seed, from: o.from, to: o.to };
  return bulkLoad(store, { batchSize: req.batchSize, replace: req.replace, info, onLoaded: hooks.onLoaded, onTransaction: hooks.onTransaction }, fill);
}
