/** A resuming client's replay and its joining of the live stream (src/server/replay.ts). */
import { describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import { EventHub, type HubClient } from '../../src/hub/hub.js';
import { replayInSlices } from '../../src/server/replay.js';

const publishOne = (hub: EventHub, i: number) => hub.publish({ event_type: 'order.updated', data: { ...EVENT_EXAMPLES['order.updated'], order_id: `O${i}` } });

/** A hub client as the transports are: it takes what the hub delivers after the seq it joined at. */
function recordingClient(): HubClient & { received: number[] } {
  const received: number[] = [];
  const client = {
    received,
    afterSeq: 0,
    wants: () => true,
    channels: () => new Set(['all'] as const),
    deliver: (events: readonly { seq: number }[]) => void received.push(...events.filter((e) => e.seq > client.afterSeq).map((e) => e.seq)),
  };
  return client;
}

describe('replayInSlices', () => {
  it('joins the live stream in the same turn as its last slice: an event an earlier microtask publishes then is delivered, once', async () => {
    const hub = new EventHub(100, 0);
    for (let i = 1; i <= 9; i++) publishOne(hub, i);
    const client = recordingClient();
    const replayed: number[] = [];
    const done = await replayInSlices(hub, 2, {
      slice: 4,
      wants: () => true,
      // As an outbox commit does: something already queued publishes right after the last slice.
      send: (frame) => {
        replayed.push(frame.seq);
        if (frame.seq === 9) queueMicrotask(() => publishOne(hub, 10));
      },
      open: () => true,
      room: async () => undefined,
      caughtUp: () => hub.add(client),
    });
    hub.flush();
    expect(done).toBe(true);
    expect(replayed).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(client.received).toEqual([10]);
  });

  it('stops, without joining, when the client leaves during the replay', async () => {
    const hub = new EventHub(100, 0);
    for (let i = 1; i <= 10; i++) publishOne(hub, i);
    let open = true;
    let joined = false;
    const done = await replayInSlices(hub, 0, {
      slice: 3,
      wants: () => true,
      send: (frame) => void (frame.seq === 3 && (open = false)),
      open: () => open,
      room: async () => undefined,
      caughtUp: () => (joined = true),
    });
    expect(done).toBe(false);
    expect(joined).toBe(false);
  });
});
