/**
 * The live simulation's pace, capped by what it can simulate: speed × arrival rate (new
 * orders per wall-clock second) at most SIMULATION_MAX_ORDERS_PER_SECOND. A faster setting
 * is accepted with the speed lowered to the cap, and the answer says so; the engine then
 * falls behind gracefully (its clock yields and re-anchors) instead of queueing work.
 */
import type { Arrivals, SimulationPatch } from '../../domain/live.js';
import type { LiveSimulation } from '../../simulation/live.js';

export interface PaceLimit {
  requested_speed: number;
  speed: number;
  orders_per_second: number;
  max_orders_per_second: number;
  message: string;
}

/** Mean orders per simulated minute the arrivals would give. */
function ordersPerMinute(sim: LiveSimulation, patch: SimulationPatch): number {
  let arrivals: Arrivals = sim.current().arrivals;
  if (patch.ratePerMinute !== undefined) arrivals = { mode: 'rate', ratePerMinute: patch.ratePerMinute };
  else if (patch.delaySeconds !== undefined) arrivals = { mode: 'delay', delaySeconds: patch.delaySeconds };
  else if (patch.arrivals === 'scenario') arrivals = { mode: 'scenario' };
  return sim.ordersPerMinute(arrivals);
}

/**
 * The speed asked for while the cap held it lower: a later change that slows arrivals (and
 * names no speed) brings it back, as far as the cap allows, instead of leaving the lowered one.
 */
export class PaceMemory {
  requested: number | null = null;
}

/**
 * The patch with its speed lowered to fit the cap (and why), or as it was; with a speed the cap
 * had lowered restored when nothing holds it down any more. `remember()` updates `memory` for
 * the next change: call it once the patch has been applied (a refused one changes nothing).
 */
export function limitPace(sim: LiveSimulation, patch: SimulationPatch, maxOrdersPerSecond: number, memory: PaceMemory = new PaceMemory()): { patch: SimulationPatch; limited: PaceLimit | null; remember: () => void } {
  const result = lowerToCap(sim, patch.speed === undefined && memory.requested !== null ? { ...patch, speed: memory.requested } : patch, maxOrdersPerSecond);
  return { ...result, remember: () => void (memory.requested = result.limited ? result.limited.requested_speed : null) };
}

function lowerToCap(sim: LiveSimulation, patch: SimulationPatch, maxOrdersPerSecond: number): { patch: SimulationPatch; limited: PaceLimit | null } {
  const requested = patch.speed ?? sim.current().speed;
  const perMinute = ordersPerMinute(sim, patch);
  const perSecond = (requested * perMinute) / 60;
  if (!(perSecond > maxOrdersPerSecond)) return { patch, limited: null };
  const speed = (maxOrdersPerSecond * 60) / perMinute;
  return {
    patch: { ...patch, speed },
    limited: {
      requested_speed: requested,
      speed,
      orders_per_second: maxOrdersPerSecond,
      max_orders_per_second: maxOrdersPerSecond,
      message: `speed ${requested} × ${perMinute.toPrecision(4)} orders/min asks for ${Math.round(perSecond).toLocaleString('en-US')} new orders a second, more than this server simulates (SIMULATION_MAX_ORDERS_PER_SECOND=${maxOrdersPerSecond}); running at speed ${speed.toPrecision(4)} instead`,
    },
  };
}
