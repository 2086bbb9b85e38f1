/**
 * The planner's own tables (forecasts, alerts, daily summaries) are the same rows whether
 * `generate` writes them or the live simulation emits them, for the same scenario, market,
 * seed and days: both run the one engine, and both turn its events into rows the same way.
 */
import { describe, expect, it } from 'vitest';
import { generate, type DatasetSink } from '../../src/batch/generate.js';
import { GenerateOptions } from '../../src/domain/config.js';
import { ENGINE_ENTITIES } from '../../src/domain/entities.js';
import { getMarket } from '../../src/catalog/index.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { engineRecords } from '../../src/simulation/intelligence-records.js';
import { createLiveSimulation } from '../../src/simulation/live.js';

const MARKET = 'egypt-coffee';
const FROM = '2025-03-03';
const TO = '2025-04-13'; // 42 days: forecasts from the 29th, a retraining on a Monday after it

async function batchRows(): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = Object.fromEntries(ENGINE_ENTITIES.map((e) => [e, []]));
  const sink: DatasetSink = {
    target: 'memory',
    format: 'ndjson',
    write: async (key, bytes) => {
      if (key in rows) rows[key].push(...Buffer.from(bytes).toString('utf8').split('\n').filter(Boolean));
    },
    writeLines: async () => undefined,
    commit: async () => [],
    abort: async () => undefined,
  };
  const scenario = getScenario('normal-ops');
  // In this thread: the engine's rows are made in generate's own thread whatever the runner;
  // a worker thread would only draft and write the orders, at the cost of starting one.
  await generate({ scenario, marketId: MARKET, options: GenerateOptions.parse({ from: FROM, to: TO, seed: 9, format: 'ndjson', workers: 1 }), out: null, sink }, { inThread: true });
  return rows;
}

describe('engine tables: batch and live', () => {
  it('generate writes exactly the forecasts, alerts and daily summaries the live simulation emits over the same days', async () => {
    const batch = await batchRows();
    const offset = getMarket(MARKET).utcOffsetMinutes;
    const start = Date.parse(`${FROM}T00:00:00Z`) - offset * 60_000;
    const end = Date.parse(`${TO}T00:00:00Z`) + 86_400_000 - offset * 60_000;
    const sim = createLiveSimulation({ scenario: getScenario('normal-ops'), marketId: MARKET, seed: 9, startMs: start, arrivals: { mode: 'scenario' } });
    // The last day closes at the midnight after it (its summary, the last hour's stock check).
    const live = engineRecords(sim.advanceTo(end + 1).filter((e) => e.t <= end));
    for (const entity of ENGINE_ENTITIES) {
      const got = (live[entity] as unknown[]).map((r) => JSON.stringify(r));
      expect(got.length, entity).toBeGreaterThan(0);
      expect(got.length, entity).toBe(batch[entity].length);
      expect(got.sort(), entity).toEqual([...batch[entity]].sort());
    }
    expect(batch.daily_summaries).toHaveLength(42);
  }, 120_000);
});
