/**
 * spec 002's generation jobs: started by the API (or the CLI), run in the background one at
 * a time, their progress kept in memory for polling, announced on the event hub
 * (job.progress / job.completed / job.failed) and recorded in orderstream.jobs so any
 * process can look a job up later.
 */
import { randomBytes } from 'node:crypto';
import type { GenerateProgress } from '../batch/generate.js';
import { getMarket } from '../catalog/index.js';
import { GenerateOptions } from '../domain/config.js';
import { DIMENSION_ENTITIES, type EntityName } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import type { GenerateJobRequest, JobProgress, JobStatus, JobView } from '../domain/jobs.js';
import { getScenario } from '../scenarios/resolve.js';
import type { GuardSettings } from '../store/guard.js';
import { checkWrite } from '../store/guard.js';
import { META_SCHEMA, MOCK_SCHEMA, tableOf } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { estimateRecords, generateIntoStore, StoreNotEmpty } from './store-generation.js';
import { generate } from '../batch/generate.js';
import { availableParallelism } from 'node:os';
import { planJob, type JobLimits } from './job-budget.js';

export type JobEventType = 'job.progress' | 'job.completed' | 'job.failed';
import type { DomainEvent } from '../domain/events.js';

/** A second job while one runs: the caller answers 409. */
export class JobBusy extends UsageError {}

interface Job {
  view: JobView;
  abort: AbortController;
  done: Promise<void>;
  started: number;
  lastEmit: number;
  lastPersist: number;
  persisting: Promise<void>;
}

const PROGRESS_EVERY_MS = 500;

export function jobOptions(req: GenerateJobRequest): GenerateOptions {
  const parsed = GenerateOptions.safeParse({
    from: req.config.startDate,
    to: req.config.endDate,
    seed: req.config.seed,
    multiplier: req.config.volumeMultiplier,
    workers: req.config.workers ?? 1,
    format: 'csv',
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `config.${i.path.join('.') === 'to' ? 'endDate' : i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private running: Job | null = null;
  private loading: string | null = null;
  private starting = false;

  constructor(
    private readonly store: Store,
    private readonly guard: GuardSettings,
    private readonly emit: (event: Extract<DomainEvent, { type: JobEventType }>) => void = () => undefined,
    /** Every progress report of the engine, unthrottled (the CLI's progress bar). */
    private readonly onProgress: (p: GenerateProgress) => void = () => undefined,
    /** Threads and memory a job may use (default: the machine's cores, no memory budget: the CLI's own process). */
    private readonly limits: JobLimits = { maxWorkers: Math.max(1, availableParallelism()), maxMemoryMb: Number.POSITIVE_INFINITY },
  ) {}

  /** Validates everything that can be known up front, then runs the job in the background. */
  async start(req: GenerateJobRequest, customScenario?: ScenarioProfile): Promise<JobView> {
    if (this.running || this.starting) throw new JobBusy(`job ${this.running?.view.jobId ?? '(starting)'} is still running; wait for it before starting another`);
    // Claimed before the first await: two requests at once must not both start a job.
    this.starting = true;
    try {
      return await this.begin(req, customScenario);
    } finally {
      this.starting = false;
    }
  }

  private async begin(req: GenerateJobRequest, customScenario?: ScenarioProfile): Promise<JobView> {
    // A job names a built-in scenario (a custom one comes already made: the CLI's --scenario-file).
    const scenario = customScenario ?? getScenario(req.scenario, '');
    const marketId = req.config.market ?? scenario.market;
    getMarket(marketId);
    const requested = { ...jobOptions(req), maxRecords: this.guard.maxRecords };
    // Threads and memory first: nothing big is built before the plan says it fits.
    const plan = planJob(scenario, marketId, requested, this.limits);
    const options = { ...requested, workers: plan.workers };
    if (!req.config.dryRun) {
      // Refusals answer the request itself rather than surface later as a failed job. The cheap
      // rules first: the size estimate builds the world, which is not free for large multipliers.
      await checkWrite(this.store, this.guard, { schema: MOCK_SCHEMA, records: 0 });
      await checkWrite(this.store, this.guard, { schema: MOCK_SCHEMA, records: estimateRecords(scenario, marketId, options) });
      const present = await this.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableOf('orders')}`);
      if (present.rows[0].n && !req.config.replace) throw new StoreNotEmpty(present.rows[0].n);
    }
    const now = new Date().toISOString();
    const view: JobView = {
      jobId: `job-${randomBytes(6).toString('hex')}`,
      status: 'started',
      scenario: scenario.name,
      dryRun: req.config.dryRun,
      progress: { currentEntity: null, progressPercent: 0, throughput: 0, recordsGenerated: {}, recordsTotal: 0, etaSeconds: null },
      error: null,
      result: null,
      workers: plan.workers,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.query(`INSERT INTO ${META_SCHEMA}.jobs (job_id, kind, status, scenario, request, progress) VALUES ($1, 'generate', $2, $3, $4, $5)`, [
      view.jobId,
      view.status,
      view.scenario,
      JSON.stringify(req),
      JSON.stringify(view.progress),
    ]);
    const job: Job = { view, abort: new AbortController(), done: Promise.resolve(), started: performance.now(), lastEmit: 0, lastPersist: 0, persisting: Promise.resolve() };
    this.jobs.set(view.jobId, job);
    // Finished jobs beyond the newest hundred are read back from the ledger when asked for.
    for (const [id, old] of this.jobs) {
      if (this.jobs.size <= 100) break;
      if (old !== this.running) this.jobs.delete(id);
    }
    this.running = job;
    // The answer is the job as it starts ("started"), whatever the run has done by the time it returns.
    const started = structuredClone(view);
    job.done = this.run(job, req, options, scenario, marketId).finally(() => {
      if (this.running === job) this.running = null;
    });
    return started;
  }

  private async run(job: Job, req: GenerateJobRequest, options: GenerateOptions, scenario: ScenarioProfile, marketId: string): Promise<void> {
    const loaded: Partial<Record<EntityName, number>> = {};
    const onProgress = (p: GenerateProgress) => {
      this.onProgress(p);
      const v = job.view;
      v.status = 'generating';
      v.progress.progressPercent = p.ordersPlanned ? Math.min(100, Math.round((p.orders / p.ordersPlanned) * 1000) / 10) : p.phase === 'orders' ? 100 : 0;
      v.progress.throughput = p.recordsPerSecond;
      v.progress.recordsTotal = p.records;
      v.progress.etaSeconds = p.etaSeconds;
      // Days are generated whole (orders with their items, payments, shipments, … together), so
      // past the dimension tables the entity under way is the orders; a dry run counts them as it goes.
      if (p.phase === 'orders') v.progress.currentEntity = 'orders';
      else v.progress.currentEntity ??= 'users';
      if (req.config.dryRun) v.progress.recordsGenerated = { ...v.progress.recordsGenerated, orders: p.orders };
      this.progressed(job);
    };
    try {
      let result;
      if (req.config.dryRun) {
        result = await generate({ scenario, marketId, options, out: null }, { onProgress, signal: job.abort.signal, keepThreadFree: true });
        job.view.progress.recordsGenerated = { ...result.counts };
      } else {
        result = await generateIntoStore(
          this.store,
          this.guard,
          { scenario, marketId, options, batchSize: req.config.batchSize, replace: req.config.replace },
          {
            onProgress,
            signal: job.abort.signal,
            onTransaction: (open) => (this.loading = open ? job.view.jobId : null),
            onLoaded: (entity, n) => {
              loaded[entity] = n;
              if ((DIMENSION_ENTITIES as readonly string[]).includes(entity) && job.view.progress.currentEntity !== 'orders') job.view.progress.currentEntity = entity;
              job.view.progress.recordsGenerated = { ...loaded };
              this.progressed(job);
            },
          },
        );
      }
      job.view.progress = { ...job.view.progress, progressPercent: 100, etaSeconds: 0, recordsTotal: result.records, recordsGenerated: { ...result.counts } };
      job.view.result = { records: result.records, counts: { ...result.counts }, elapsedMs: Math.round(result.elapsedMs) };
      await this.finish(job, 'completed', null);
    } catch (err) {
      await this.finish(job, job.abort.signal.aborted ? 'cancelled' : 'failed', (err as Error).message);
    }
  }

  private progressed(job: Job): void {
    const now = performance.now();
    job.view.updatedAt = new Date().toISOString();
    if (now - job.lastEmit >= PROGRESS_EVERY_MS) {
      job.lastEmit = now;
      this.emit({ type: 'job.progress', data: { job_id: job.view.jobId, status: job.view.status, scenario: job.view.scenario, dry_run: job.view.dryRun, ...job.view.progress } });
    }
    // The embedded database runs one statement at a time: a progress row would wait for the job's own transaction, so it is written only at the end there.
    if (this.store.backend === 'postgres' && now - job.lastPersist >= 1000) {
      job.lastPersist = now;
      job.persisting = job.persisting.then(() => this.persist(job)).catch(() => undefined);
    }
  }

  private async persist(job: Job): Promise<void> {
    const v = job.view;
    await this.store.query(`UPDATE ${META_SCHEMA}.jobs SET status = $2, progress = $3, result = $4, error = $5, updated_at = now() WHERE job_id = $1`, [
      v.jobId,
      v.status,
      JSON.stringify(v.progress),
      v.result ? JSON.stringify(v.result) : null,
      v.error,
    ]);
  }

  private async finish(job: Job, status: JobStatus, error: string | null): Promise<void> {
    job.view.status = status;
    job.view.error = error;
    job.view.updatedAt = new Date().toISOString();
    // After any progress write still in flight, so the final status is the one that stays.
    await job.persisting;
    await this.persist(job).catch(() => undefined);
    const base = { job_id: job.view.jobId, status, scenario: job.view.scenario, dry_run: job.view.dryRun, ...job.view.progress };
    if (status === 'completed' && job.view.result) this.emit({ type: 'job.completed', data: { ...base, error: null, result: job.view.result } });
    else this.emit({ type: 'job.failed', data: { ...base, error, result: null } });
  }

  /** A job of this process, or one recorded by another. */
  async get(jobId: string): Promise<JobView | null> {
    const live = this.jobs.get(jobId);
    if (live) return structuredClone(live.view);
    return readJob(this.store, jobId);
  }

  /** Resolves when the job (if it is ours) has finished. */
  async wait(jobId: string): Promise<void> {
    await this.jobs.get(jobId)?.done;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job !== this.running) return false;
    job.abort.abort(new UsageError('cancelled'));
    return true;
  }

  /** Stops the running job (its transaction rolls back) and waits for it. */
  async close(): Promise<void> {
    const job = this.running;
    if (!job) return;
    job.abort.abort(new UsageError('the server is shutting down'));
    await job.done;
  }

  get busy(): boolean {
    return this.running !== null || this.starting;
  }

  /** The id of the job whose transaction is open now (null: none): the embedded database answers nothing else meanwhile. */
  get loadingId(): string | null {
    return this.loading;
  }
}

/** A job that stopped reporting this long ago while "running" died with its process (progress is written every second on a server). */
const STALE_MS = 60_000;
const INTERRUPTED = 'interrupted: the process running it stopped before it finished; nothing of it was written';

/**
 * A job from the ledger. One still marked running whose process is gone is reported (and
 * recorded) as failed: on the embedded database no other process can be running it, and on
 * a server it has stopped writing progress. Its transaction never committed.
 */
export async function readJob(store: Store, jobId: string): Promise<JobView | null> {
  const { rows } = await store.query<{ job_id: string; status: JobStatus; scenario: string; request: GenerateJobRequest; progress: JobProgress; result: JobView['result']; error: string | null; created_at: string; updated_at: string }>(
    `SELECT job_id, status, scenario, request, progress, result, error, created_at, updated_at FROM ${META_SCHEMA}.jobs WHERE job_id = $1`,
    [jobId],
  );
  const r = rows[0];
  if (!r) return null;
  const view: JobView = { jobId: r.job_id, status: r.status, scenario: r.scenario, dryRun: r.request.config.dryRun, progress: r.progress, error: r.error, result: r.result, createdAt: r.created_at, updatedAt: r.updated_at };
  const active = view.status === 'started' || view.status === 'generating';
  if (active && (store.backend === 'pglite' || Date.now() - Date.parse(view.updatedAt) > STALE_MS)) {
    view.status = 'failed';
    view.error = INTERRUPTED;
    await store.query(`UPDATE ${META_SCHEMA}.jobs SET status = 'failed', error = $2, updated_at = now() WHERE job_id = $1 AND status IN ('started', 'generating')`, [jobId, INTERRUPTED]).catch(() => undefined);
  }
  return view;
}
