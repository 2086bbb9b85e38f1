/** What a resuming client (WebSocket `since`, SSE `Last-Event-ID`) receives before live events. */
import type { Channel } from '../domain/events.js';
import type { EventHub, HubEvent } from '../hub/hub.js';

/**
 * Held events after `since` on the client's channels, preceded by a `stream.gap` event
 * when some were already evicted. The gap carries seq = oldest held − 1, so a client
 * that stores the last seq it saw resumes correctly from it.
 */
export function replayFor(hub: EventHub, since: number, wants: (c: Exclude<Channel, 'all'>) => boolean): Array<Pick<HubEvent, 'seq' | 'frame'> & { type: string }> {
  const { events, gap } = hub.history.since(since);
  const out: Array<Pick<HubEvent, 'seq' | 'frame'> & { type: string }> = [];
  if (gap) {
    const envelope = {
      type: 'event',
      event_id: crypto.randomUUID(),
      event_type: 'stream.gap',
      timestamp: new Date().toISOString(),
      data: {
        requested_since: gap.requestedSince,
        oldest_available: gap.oldestAvailable,
        missed: gap.missed,
        message: `the server keeps the last ${hub.history.capacity} events; ${gap.missed} after seq ${gap.requestedSince} are gone`,
      },
      seq: gap.oldestAvailable - 1,
    };
    out.push({ seq: envelope.seq, frame: JSON.stringify(envelope), type: envelope.event_type });
  }
  for (const e of events) if (wants(e.channel)) out.push({ seq: e.seq, frame: e.frame, type: e.envelope.event_type });
  return out;
}
