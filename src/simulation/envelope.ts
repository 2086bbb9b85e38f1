/**
 * A simulated event in its published form: spec 003's envelope, its id drawn from its
 * content (the same event has the same id in the batch log, on the live stream and after a
 * restart). One builder for the server and the library's `simulate()`.
 */
import { eventId } from '../domain/event-id.js';
import type { EventType } from '../domain/events.js';
import type { TimedEvent } from './order-events.js';
import { iso } from './time.js';

export interface SimulatedEnvelope {
  event_type: EventType;
  event_id: string;
  timestamp: string;
  data: unknown;
}

/** The envelope fields of a simulated event, and its serialised form (for the outbox and files). */
export function envelopeOf(namespace: Buffer, e: TimedEvent): { input: SimulatedEnvelope; json: string } {
  const timestamp = iso(e.t);
  const data = JSON.stringify(e.data);
  const event_id = eventId(namespace, e.type, timestamp, data);
  return {
    input: { event_type: e.type, data: e.data, timestamp, event_id },
    json: `{"type":"event","event_id":"${event_id}","event_type":"${e.type}","timestamp":"${timestamp}","data":${data}}`,
  };
}
