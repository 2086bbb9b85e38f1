/**
 * Feeds the paced live simulation into the hub: one envelope per simulated event, its id
 * drawn from its content. With a store, the events go out through the store's outbox
 * instead (live-persistence.ts): published only once what they describe has committed.
 */
import { eventId, eventNamespace } from '../domain/event-id.js';
import type { EventHub, EventInput } from '../hub/hub.js';
import { LiveClock } from '../simulation/live-clock.js';
import type { LiveEvent, LiveSimulation } from '../simulation/live.js';
import { iso } from '../simulation/time.js';

/** The envelope fields of a simulated event (and its serialised form, for the outbox). */
export function envelopeOf(namespace: Buffer, e: LiveEvent): { input: EventInput; json: string } {
  const timestamp = iso(e.t);
  const data = JSON.stringify(e.data);
  const event_id = eventId(namespace, e.type, timestamp, data);
  return {
    input: { event_type: e.type, data: e.data, timestamp, event_id } as EventInput,
    json: `{"type":"event","event_id":"${event_id}","event_type":"${e.type}","timestamp":"${timestamp}","data":${data}}`,
  };
}

/** The simulation paced to the clock; its events published straight to the hub, or handed to `through`. */
export function liveFeed(sim: LiveSimulation, hub: EventHub, through?: (events: LiveEvent[]) => void): LiveClock {
  const namespace = eventNamespace(sim.world.config.seed);
  return new LiveClock(sim, {
    onEvents: (events) => {
      if (through) return through(events);
      for (const e of events) hub.publish(envelopeOf(namespace, e).input);
    },
  });
}
