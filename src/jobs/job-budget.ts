/**
 * What a generation job may cost, decided before it starts: its worker threads (never more
 * than the machine's cores, JOB_MAX_WORKERS) and its memory (JOB_MAX_MEMORY_MB). Every
 * thread of a run builds the dimension tables of the world (customers, companies, … grow
 * with the volume multiplier); the plan counts them from a world at multiplier 1, which costs
 * milliseconds, instead of building the big one in the request.
 */
import { DIMENSION_ENTITIES } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { GenerateOptions } from '../domain/config.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { World } from '../simulation/world.js';

export interface JobLimits {
  maxWorkers: number;
  maxMemoryMb: number;
}

/** Heap per dimension row with its share of the world's tables (measured: 155k rows ≈ 300 MB at multiplier 200), rounded up. */
const BYTES_PER_DIMENSION_ROW = 2600;
/** A worker thread before its world: isolate, modules, and the young generation it is given (192 MB). */
const THREAD_MB = 256;
/** The engine's own working set in the main thread (queues, ledger, a day in flight). */
const ENGINE_MB = 128;

export interface JobPlan {
  workers: number;
  memoryMb: number;
}

export function planJob(scenario: ScenarioProfile, marketId: string, options: GenerateOptions, limits: JobLimits): JobPlan {
  const unit = new World({ seed: options.seed, from: options.from, to: options.from, multiplier: 1, scenario, marketId });
  const rows = DIMENSION_ENTITIES.reduce((sum, e) => sum + unit.dims[e].length, 0) * Math.max(1, options.multiplier);
  const worldMb = (rows * BYTES_PER_DIMENSION_ROW) / 2 ** 20;
  const cost = (workers: number) => Math.ceil(worldMb * (1 + workers) + THREAD_MB * workers + ENGINE_MB);
  let workers = Math.max(1, Math.min(options.workers, limits.maxWorkers));
  while (workers > 1 && cost(workers) > limits.maxMemoryMb) workers--;
  if (cost(workers) > limits.maxMemoryMb) {
    throw new UsageError(
      `config.volumeMultiplier: a job at multiplier ${options.multiplier} needs about ${cost(1).toLocaleString('en-US')} MiB ` +
        `(about ${Math.round(rows).toLocaleString('en-US')} dimension rows, built in the engine's thread and in a worker), ` +
        `over this server's JOB_MAX_MEMORY_MB=${limits.maxMemoryMb}; lower volumeMultiplier`,
    );
  }
  return { workers, memoryMb: cost(workers) };
}
