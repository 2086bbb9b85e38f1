/** Feeds the paced live simulation into the hub: one envelope per simulated event, with ids drawn from the seed. */
import type { EventHub } from '../hub/hub.js';
import { Rng } from '../random/rng.js';
import { LiveClock } from '../simulation/live-clock.js';
import type { LiveEvent, LiveSimulation } from '../simulation/live.js';
import { iso } from '../simulation/time.js';

export function liveFeed(sim: LiveSimulation, hub: EventHub, also?: (events: LiveEvent[]) => void): LiveClock {
  const ids = Rng.derive(sim.world.config.seed, 'live', 'event-ids');
  return new LiveClock(sim, {
    onEvents: (events) => {
      for (const e of events) hub.publish({ event_type: e.type, data: e.data, timestamp: iso(e.t), event_id: ids.uuid() });
      also?.(events);
    },
  });
}
