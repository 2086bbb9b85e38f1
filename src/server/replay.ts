/** What a resuming client (WebSocket `since`, SSE `Last-Event-ID`) receives before live events. */
import type { Channel } from '../domain/events.js';
import type { EventHub, HubEvent } from '../hub/hub.js';

export type ReplayFrame = Pick<HubEvent, 'seq' | 'frame'> & { type: string };

export interface ReplaySink {
  /** Events per turn of the event loop. */
  slice: number;
  wants: (c: Exclude<Channel, 'all'>) => boolean;
  send: (frame: ReplayFrame) => void;
  /** False once the client has gone: the replay stops. */
  open: () => boolean;
  /** Resolves when the client has room for another slice (its send buffer under the limit). */
  room: () => Promise<void>;
  /**
   * Nothing is left to replay: the client joins the live stream here, in the same turn as the
   * last slice. (Joining in a `.then` after the replay resolves is a microtask too late: an event
   * published by an earlier microtask, an outbox commit say, would be in neither.)
   */
  caughtUp: () => void;
}

/** Replays in flight, and events they have sent (the metrics read these). */
export const replayStats = { active: 0, events: 0, started: 0 };

/**
 * Held events after `since` on the client's channels, preceded by a `stream.gap` event
 * when some were already evicted. The gap carries seq = oldest held − 1, so a client
 * that stores the last seq it saw resumes correctly from it.
 *
 * Sent in slices from the ring buffer, one slice per turn of the event loop and only when
 * the client has read the previous one, so a replay of the whole history neither blocks
 * the server nor copies the history per client. `caughtUp` runs in the same turn as the
 * last slice, with nothing left to replay: the caller adds the client to the hub there,
 * so nothing published meanwhile is missed or doubled. Resolves false when the client left.
 */
export async function replayInSlices(hub: EventHub, since: number, sink: ReplaySink): Promise<boolean> {
  replayStats.active++;
  replayStats.started++;
  try {
    // A seq this server never issued: the client last spoke to an earlier run of it or to
    // another instance. Its numbering means nothing here; say so and replay all we hold.
    let cursor = since;
    if (since > hub.lastSeq) {
      const oldest = hub.history.size ? hub.history.oldestSeq : hub.lastSeq + 1;
      sink.send(gapFrame(oldest, { requested_since: since, oldest_available: oldest, missed: null, message: `seq ${since} was not issued by this server (last ${hub.lastSeq}): it restarted or is another instance; replaying what it holds` }));
      cursor = 0;
    }
    let first = since <= hub.lastSeq;
    for (;;) {
      if (!sink.open()) return false;
      const { events, gap } = hub.history.since(cursor, sink.slice);
      // The requested position was evicted (at the start, or while this client was reading slowly).
      if (gap && (first || cursor > 0)) {
        sink.send(
          gapFrame(gap.oldestAvailable, {
            requested_since: gap.requestedSince,
            oldest_available: gap.oldestAvailable,
            missed: gap.missed,
            message: `the server keeps the last ${hub.history.capacity} events; ${gap.missed} after seq ${gap.requestedSince} are gone`,
          }),
        );
      }
      first = false;
      for (const e of events) if (sink.wants(e.channel)) sink.send({ seq: e.seq, frame: e.frame, type: e.envelope.event_type });
      replayStats.events += events.length;
      if (events.length < sink.slice) {
        sink.caughtUp();
        return true;
      }
      cursor = events[events.length - 1].seq;
      await new Promise<void>((resolve) => setImmediate(resolve));
      await sink.room();
    }
  } finally {
    replayStats.active--;
  }
}

/** Polls until `ready()` holds or the client is gone (a send buffer has no event of its own for "below N bytes"). */
export async function waitFor(ready: () => boolean, open: () => boolean): Promise<void> {
  while (open() && !ready()) await new Promise((r) => setTimeout(r, 10));
}

/** A `stream.gap` event numbered just before the oldest held event, so resuming from it continues correctly. */
function gapFrame(oldestAvailable: number, data: Record<string, unknown>): ReplayFrame {
  const envelope = { type: 'event', event_id: crypto.randomUUID(), event_type: 'stream.gap', timestamp: new Date().toISOString(), data, seq: oldestAvailable - 1 };
  return { seq: envelope.seq, frame: JSON.stringify(envelope), type: envelope.event_type };
}
