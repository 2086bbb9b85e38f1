/**
 * Feeds the paced live simulation into the hub: one envelope per simulated event, its id
 * drawn from its content. With a store, the events go out through the store's outbox
 * instead (live-persistence.ts): published only once what they describe has committed.
 */
import { eventNamespace } from '../domain/event-id.js';
import type { EventHub, EventInput } from '../hub/hub.js';
import { LiveClock } from '../simulation/live-clock.js';
import type { LiveEvent, LiveSimulation } from '../simulation/live.js';
import { envelopeOf } from '../simulation/envelope.js';

/** The simulation paced to the clock; its events published straight to the hub, or handed to `through`. */
export function liveFeed(sim: LiveSimulation, hub: EventHub, through?: (events: LiveEvent[]) => void): LiveClock {
  const namespace = eventNamespace(sim.world.config.seed);
  return new LiveClock(sim, {
    onEvents: (events) => {
      if (through) return through(events);
      for (const e of events) hub.publish(envelopeOf(namespace, e).input as EventInput);
    },
  });
}
