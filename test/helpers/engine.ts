/** Runs the batch engine in-process, day by day, handing each day's records to a visitor. */
import { visitDays } from '../../src/batch/run-days.js';
import type { DayContext } from '../../src/simulation/render.js';
import type { World } from '../../src/simulation/world.js';
import type { EngineRecords } from '../../src/simulation/intelligence-records.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import type { ScenarioProfile } from '../../src/domain/scenario.js';

export interface EngineRun {
  scenario?: string | ScenarioProfile;
  market?: string;
  from?: string;
  to?: string;
  multiplier?: number;
  seed?: number;
  events?: boolean;
}

/** `engine` receives the engine's own rows (forecasts, alerts, daily summaries) once the run is over. */
export async function runEngine(run: EngineRun, visit: (day: DayContext, world: World) => void, engine?: (records: EngineRecords) => void): Promise<World> {
  const scenario = typeof run.scenario === 'object' ? run.scenario : getScenario(run.scenario ?? 'normal-ops');
  const config = {
    seed: run.seed ?? 12345,
    from: run.from ?? '2024-01-01',
    to: run.to ?? '2024-12-31',
    multiplier: run.multiplier ?? 1,
    scenario,
    marketId: run.market ?? scenario.market,
  };
  const { world, engine: records } = await visitDays(config, visit, { events: run.events });
  engine?.(records);
  return world;
}

export const share = (part: number, whole: number): number => part / whole;

export function tally<T extends string>(values: Iterable<T>): Map<T, number> {
  const out = new Map<T, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}
