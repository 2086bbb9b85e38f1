import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, SequencedEnvelope } from '../../src/domain/events.js';
import { inProcessServer, sleep, waitUntil } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;

interface Received {
  id: string;
  type: string;
  envelope: SequencedEnvelope;
}

/** A real EventSource client (the `eventsource` package, WHATWG semantics) that records named events. */
function listen(url: string, types: string[], lastEventId?: string) {
  const received: Received[] = [];
  const source = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } }),
  });
  for (const type of types) {
    source.addEventListener(type, (e) => received.push({ id: e.lastEventId, type: e.type, envelope: SequencedEnvelope.parse(JSON.parse(e.data)) }));
  }
  return { source, received };
}


const ORDER_TYPES = ['order.created', 'order.updated', 'order.cancelled'];
const ALL_TYPES: string[] = EVENT_TYPES;

describe('SSE /stream/events', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_SPEED: '60', SIMULATION_RATE: '60', STREAM_HISTORY_SIZE: '100000' });
  });
  afterAll(() => server.close());

  it('streams events with id = seq and event = event_type, filtered by channel', async () => {
    const { source, received } = listen(`${server.url}/stream/events?channels=orders`, ALL_TYPES);
    await waitUntil(() => received.length > 100);
    source.close();
    for (const r of received) {
      expect(r.id).toBe(String(r.envelope.seq));
      expect(r.type).toBe(r.envelope.event_type);
      expect(ORDER_TYPES).toContain(r.type);
    }
    const seqs = received.map((r) => r.envelope.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });

  it('resumes with Last-Event-ID: no gap, no duplicate', async () => {
    const first = listen(`${server.url}/stream/events`, ALL_TYPES);
    await waitUntil(() => first.received.length > 100);
    first.source.close();
    const last = Number(first.received.at(-1)!.id);
    await sleep(700);
    const second = listen(`${server.url}/stream/events`, ALL_TYPES, String(last));
    await waitUntil(() => second.received.length > 300);
    second.source.close();
    const seqs = second.received.map((r) => r.envelope.seq);
    expect(seqs[0]).toBe(last + 1);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    expect(second.received.some((r) => r.type === 'stream.gap')).toBe(false);
  });

  it('rejects a malformed Last-Event-ID or channel list with 400 and a reason', async () => {
    for (const [query, headers] of [
      ['channels=orders,bogus', {}],
      ['', { 'Last-Event-ID': 'yesterday' }],
      ['since=1.5', {}],
    ] as const) {
      const res = await fetch(`${server.url}/stream/events?${query}`, { headers });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/channel|Last-Event-ID|since/);
    }
  });
});

describe('SSE history limits', () => {
  it('a client asking for history older than the buffer gets a stream.gap event saying so', async () => {
    const server = await inProcessServer({ SIMULATION_ENABLED: 'false', STREAM_HISTORY_SIZE: '50' });
    try {
      for (let i = 0; i < 120; i++) await fetch(`${server.url}/stream/test/emit-event?event_type=stock.updated&product_id=P${i}`, { method: 'POST' });
      const { source, received } = listen(`${server.url}/stream/events`, ALL_TYPES, '10');
      await waitUntil(() => received.length >= 51);
      source.close();
      expect(received[0].type).toBe('stream.gap');
      expect(received[0].envelope.data).toMatchObject({ requested_since: 10, oldest_available: 71, missed: 60 });
      expect(received.slice(1).map((r) => r.envelope.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    } finally {
      await server.close();
    }
  });
});

describe('SSE slow consumers', () => {
  it('frames each event unnamed and named by default; names=named or names=unnamed gives one of the two', async () => {
    const server = await inProcessServer({ SIMULATION_SPEED: '60', SIMULATION_RATE: '600' });
    try {
      const read = async (query: string) => {
        const res = await fetch(`${server.url}/stream/events${query}`);
        const reader = res.body!.getReader();
        let text = '';
        while ((text.match(/\n\n/g) ?? []).length < 40) text += new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        // whole frames only, without the opening retry line
        return text.split('\n\n').slice(1, -1).filter((f) => f.startsWith('id: '));
      };
      const both = await read('');
      const ids = both.map((f) => /^id: (\d+)/.exec(f)![1]);
      // Each id twice in a row: first without a name, then with its event type.
      for (let i = 0; i + 1 < both.length; i += 2) {
        expect(ids[i + 1]).toBe(ids[i]);
        expect(both[i]).not.toMatch(/\nevent: /);
        expect(both[i + 1]).toMatch(/\nevent: [a-z]+\.[a-z_.]+\n/);
      }
      expect((await read('?names=named')).every((f) => /\nevent: /.test(f))).toBe(true);
      expect((await read('?names=unnamed')).every((f) => !/\nevent: /.test(f))).toBe(true);
      expect((await fetch(`${server.url}/stream/events?names=some`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('a client that stops reading is sent stream.closed and cut off; a reading client keeps everything', async () => {
    const server = await inProcessServer({ SIMULATION_SPEED: '60', SIMULATION_RATE: '600', WS_MAX_BUFFERED_BYTES: '65536' });
    try {
      const { get } = await import('node:http');
      let slowText = '';
      let slowEnded = false;
      const slow = await new Promise<import('node:http').IncomingMessage>((resolve) => get(`${server.url}/stream/events`, resolve));
      slow.setEncoding('utf8');
      slow.on('data', (d: string) => (slowText += d));
      slow.on('end', () => (slowEnded = true));
      slow.pause(); // stop reading: kernel buffers fill, then the server's buffer passes the limit
      // A named-listener client asks for named events only (half the bytes of the default).
      const fast = listen(`${server.url}/stream/events?names=named`, ALL_TYPES);
      // Until the server has let go of it (the hub delivers to the fast client only), not a fixed 5 s.
      await waitUntil(() => fast.received.length > 0, 30_000, 'the fast client on the hub');
      await waitUntil(() => server.state.hub.recipients('orders') === 1, 60_000, 'the server to cut off the slow consumer');
      slow.resume();
      await waitUntil(() => slowEnded, 15_000);
      expect(slowText).toMatch(/event: stream\.closed\ndata: \{"reason":"slow consumer","limit_bytes":65536\}/);
      await waitUntil(() => fast.received.length > 1000, 30_000, 'the fast client to read 1,000 events');
      fast.source.close();
      // The cut-off client is gone from the hub too: only the reading one is counted.
      const status = (await (await fetch(`${server.url}/stream/status`)).json()) as { sse: { connected_clients: number; channel_stats: Record<string, number> } };
      expect(status.sse.channel_stats.all ?? 0).toBeLessThanOrEqual(1);
      expect(status.sse.connected_clients).toBeLessThanOrEqual(1);
      const seqs = fast.received.map((r) => r.envelope.seq);
      expect(seqs.length).toBeGreaterThan(1000);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    } finally {
      await server.close();
    }
  });
});
