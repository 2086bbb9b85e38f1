/**
 * Piscina worker: builds the World once per run configuration (from the seed, never from
 * the main thread's objects) and simulates the days it is handed. The packed result
 * buffer is moved to the main thread, not copied.
 */
import Piscina from 'piscina';
import type { EntityName } from '../domain/entities.js';
import { dimensionKeys } from '../simulation/validate.js';
import { World, type DayPlan, type SimulationConfig } from '../simulation/world.js';
import { runDayTask, type DayTaskOptions, type DayTaskResult } from './day-task.js';

export interface DayTask {
  config: SimulationConfig;
  /** null: only build the World (warm-up while the main thread plans). */
  plan: DayPlan | null;
  options: DayTaskOptions;
}

let cached: { key: string; world: World; keys: Map<EntityName, Set<unknown>> } | null = null;

export default function simulate(task: DayTask): unknown {
  const key = JSON.stringify(task.config);
  if (!cached || cached.key !== key) {
    const world = new World(task.config);
    cached = { key, world, keys: dimensionKeys(world.dims) };
  }
  if (!task.plan) return null;
  const result: DayTaskResult = runDayTask(cached.world, task.plan, cached.keys, task.options);
  return Piscina.move({
    get [Piscina.transferableSymbol]() {
      return result.bytes.buffer;
    },
    get [Piscina.valueSymbol]() {
      return result;
    },
  } as unknown as ArrayBuffer);
}
