/** Feeds the paced live simulation into the hub: one envelope per simulated event, its id drawn from its content. */
import { eventId, eventNamespace } from '../domain/event-id.js';
import type { EventHub, EventInput } from '../hub/hub.js';
import { LiveClock } from '../simulation/live-clock.js';
import type { LiveEvent, LiveSimulation } from '../simulation/live.js';
import { iso } from '../simulation/time.js';

export function liveFeed(sim: LiveSimulation, hub: EventHub, also?: (events: LiveEvent[]) => void): LiveClock {
  const namespace = eventNamespace(sim.world.config.seed);
  return new LiveClock(sim, {
    onEvents: (events) => {
      for (const e of events) {
        const timestamp = iso(e.t);
        hub.publish({ event_type: e.type, data: e.data, timestamp, event_id: eventId(namespace, e.type, timestamp, JSON.stringify(e.data)) } as EventInput);
      }
      also?.(events);
    },
  });
}
