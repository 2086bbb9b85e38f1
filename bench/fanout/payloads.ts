/** Realistic event payloads for the fan-out benchmark: the live simulation's own output. */
import { getScenario } from '../../src/scenarios/resolve.js';
import { createLiveSimulation, type LiveEvent } from '../../src/simulation/live.js';

export function samplePayloads(count = 5000): LiveEvent[] {
  const start = Date.parse('2025-01-06T08:00:00Z');
  const sim = createLiveSimulation({ scenario: getScenario('normal-ops'), marketId: 'us-electronics', seed: 1, startMs: start, arrivals: { mode: 'rate', ratePerMinute: 120 } });
  const events: LiveEvent[] = [];
  for (let t = start; events.length < count; t += 60_000) events.push(...sim.advanceTo(t));
  return events.slice(0, count);
}

/** High-resolution wall time in ms, comparable across processes on one machine. */
export const wallNow = (): number => performance.timeOrigin + performance.now();
