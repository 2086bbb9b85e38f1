/** spec 002's jobs API, declared once: the server's routes, the CLI and the tests use these. */
import { z } from 'zod';
import { GenerateOptions } from './config.js';
import { ENTITY_NAMES } from './entities.js';
import { positiveNumber } from './numbers.js';

export const JOB_STATUSES = ['started', 'generating', 'completed', 'failed', 'cancelled'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

const defaults = GenerateOptions.parse({});

/** spec 002's MockGeneratorConfig (dates, seed, volumeMultiplier, batchSize, dryRun). */
export const GenerateJobConfig = z.strictObject({
  startDate: z.iso.date('expected a date as YYYY-MM-DD').default(defaults.from),
  endDate: z.iso.date('expected a date as YYYY-MM-DD').default(defaults.to),
  seed: z.number().int().min(0).max(0xffffffff).default(defaults.seed),
  volumeMultiplier: positiveNumber().max(10_000).default(1),
  batchSize: z.number().int().min(1).max(1_000_000).default(1000),
  dryRun: z.boolean().default(true),
  /** orderstream's own: replace the data already in mock_data (in the same transaction). */
  replace: z.boolean().default(false),
  /** orderstream's own: a market pack other than the scenario's. */
  market: z.string().min(1).optional(),
  workers: z.number().int().min(1).max(64).optional(),
});
export type GenerateJobConfig = z.infer<typeof GenerateJobConfig>;

export const GenerateJobRequest = z.strictObject({
  scenario: z.string().min(1).max(100).default('normal-ops'),
  config: GenerateJobConfig.default(GenerateJobConfig.parse({})),
});
export type GenerateJobRequest = z.infer<typeof GenerateJobRequest>;

export const RecordCounts = z.partialRecord(z.enum(ENTITY_NAMES as [string, ...string[]]), z.number().int());

export const JobProgress = z.object({
  currentEntity: z.string().nullable(),
  progressPercent: z.number().min(0).max(100),
  /** Records per second so far. */
  throughput: z.number(),
  recordsGenerated: RecordCounts,
  recordsTotal: z.number().int(),
  etaSeconds: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobView = z.object({
  jobId: z.string(),
  status: JobStatus,
  scenario: z.string(),
  dryRun: z.boolean(),
  progress: JobProgress,
  error: z.string().nullable(),
  /** Rows per table once completed. */
  result: z.object({ records: z.number().int(), counts: RecordCounts, elapsedMs: z.number() }).nullable(),
  /** Worker threads the job runs on: the request's, at most the server's cores and what its memory budget allows. */
  workers: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobView = z.infer<typeof JobView>;

export const JobStarted = z.object({ jobId: z.string(), status: JobStatus, scenario: z.string(), workers: z.number().int().optional() });

/** `confirm`: a single-use confirmation from GET /api/mock-data/cleanup, or the API token. */
export const CleanupQuery = z.object({ confirm: z.string().max(512).optional() });
export const CleanupConfirmation = z.object({ confirm: z.string(), expires_in_seconds: z.number(), message: z.string() });

export const ToggleBody = z.strictObject({ enabled: z.boolean() });

export const EXPORT_FORMATS = ['ndjson', 'json', 'csv', 'parquet'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const ExportRequest = z.strictObject({
  entity: z.enum(ENTITY_NAMES as [string, ...string[]]).default('orders'),
  format: ExportFormat.default('ndjson'),
  /** At most this many rows (in key order); omit for all. */
  limit: z.number().int().positive().max(100_000_000).optional(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;
