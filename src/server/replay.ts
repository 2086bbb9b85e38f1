/** What a resuming client (WebSocket `since`, SSE `Last-Event-ID`) receives before live events. */
import type { Channel } from '../domain/events.js';
import type { EventHub, HubEvent } from '../hub/hub.js';

/**
 * Held events after `since` on the client's channels, preceded by a `stream.gap` event
 * when some were already evicted. The gap carries seq = oldest held − 1, so a client
 * that stores the last seq it saw resumes correctly from it.
 */
export function replayFor(hub: EventHub, since: number, wants: (c: Exclude<Channel, 'all'>) => boolean): Array<Pick<HubEvent, 'seq' | 'frame'> & { type: string }> {
  // A seq this server never issued: the client last spoke to an earlier run of it or to
  // another instance. Its numbering means nothing here; say so and replay all we hold.
  const unknown = since > hub.lastSeq;
  const { events, gap } = hub.history.since(unknown ? 0 : since);
  const out: Array<Pick<HubEvent, 'seq' | 'frame'> & { type: string }> = [];
  if (unknown) {
    const oldest = hub.history.size ? hub.history.oldestSeq : hub.lastSeq + 1;
    out.push(gapFrame(oldest, { requested_since: since, oldest_available: oldest, missed: null, message: `seq ${since} was not issued by this server (last ${hub.lastSeq}): it restarted or is another instance; replaying what it holds` }));
  } else if (gap) {
    out.push(
      gapFrame(gap.oldestAvailable, {
        requested_since: gap.requestedSince,
        oldest_available: gap.oldestAvailable,
        missed: gap.missed,
        message: `the server keeps the last ${hub.history.capacity} events; ${gap.missed} after seq ${gap.requestedSince} are gone`,
      }),
    );
  }
  for (const e of events) if (wants(e.channel)) out.push({ seq: e.seq, frame: e.frame, type: e.envelope.event_type });
  return out;
}

/** A `stream.gap` event numbered just before the oldest held event, so resuming from it continues correctly. */
function gapFrame(oldestAvailable: number, data: Record<string, unknown>): Pick<HubEvent, 'seq' | 'frame'> & { type: string } {
  const envelope = { type: 'event', event_id: crypto.randomUUID(), event_type: 'stream.gap', timestamp: new Date().toISOString(), data, seq: oldestAvailable - 1 };
  return { seq: envelope.seq, frame: JSON.stringify(envelope), type: envelope.event_type };
}
