/**
 * The hub (src/hub/hub.ts): what clients receive, and what its history keeps of each event.
 */
import { describe, expect, it } from 'vitest';
import { EventHub, Subscription, type BatchCache, type HubEvent } from '../../src/hub/hub.js';

/** A client that encodes like the transports do: per event, shared through the event. */
class Encoding extends Subscription {
  received: number[] = [];
  deliver(events: readonly HubEvent[], _batch: BatchCache): void {
    for (const e of events) {
      if (e.seq <= this.afterSeq || !this.wants(e.channel)) continue;
      e.wsFrame ??= Buffer.from(e.frame);
      e.sseText ??= `data: ${e.frame}\n\n`;
      this.received.push(e.seq);
    }
  }
}

describe('event hub', () => {
  it('delivers each batch to every client, then the history keeps the event and its frame but no transport encoding', () => {
    const hub = new EventHub(100);
    const a = new Encoding(['all']);
    const b = new Encoding(['system']);
    hub.add(a);
    hub.add(b);
    for (let i = 0; i < 5; i++) hub.publish({ event_type: 'stream.recovered', data: { component: 'store', since: '2025-01-01T00:00:00.000Z', held_ms: i } });
    hub.flush();
    expect(a.received).toEqual([1, 2, 3, 4, 5]);
    expect(b.received).toEqual([1, 2, 3, 4, 5]);
    const kept = hub.history.since(0).events;
    expect(kept.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const e of kept) {
      expect(JSON.parse(e.frame)).toMatchObject({ seq: e.seq, event_type: 'stream.recovered' });
      expect([e.wsFrame, e.sseText, e.sseNamed, e.sseUnnamed]).toEqual([undefined, undefined, undefined, undefined]);
    }
  });
});
