import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SequencedEnvelope } from '../../src/domain/events.js';
import { Rng } from '../../src/random/rng.js';
import { inProcessServer, RecordingClient, sleep, waitUntil } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;

describe('WebSocket /stream/ws', () => {
  let server: Server;
  beforeAll(async () => {
    // An hour a minute at 60 orders/min: a few hundred events per second.
    server = await inProcessServer({ SIMULATION_SPEED: '60', SIMULATION_RATE: '60', STREAM_HISTORY_SIZE: '100000' });
  });
  afterAll(() => server.close());

  it('sends spec 003 envelopes with a strictly increasing seq, filtered by channel', async () => {
    const all = new RecordingClient(`${server.ws}/stream/ws`);
    const stock = new RecordingClient(`${server.ws}/stream/ws?channels=stock,alerts`);
    await Promise.all([all.opened, stock.opened]);
    await all.waitFor((c) => c.events().length > 300);
    await stock.waitFor((c) => c.events().length > 20);
    expect(all.frames[0]).toMatchObject({ type: 'connected', channels: ['all'] });
    const seqs = all.events().map((e) => SequencedEnvelope.parse(e).seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1); // `all` sees every event
    const types = new Set(stock.events().map((e) => e.event_type!.split('.')[0]));
    expect([...types].every((t) => t === 'stock' || t === 'alert')).toBe(true);
    expect(new Set(all.events().map((e) => e.event_type!.split('.')[0]))).toContain('order');
    await Promise.all([all.close(), stock.close()]);
  });

  it('subscribe and unsubscribe change what arrives', async () => {
    const c = new RecordingClient(`${server.ws}/stream/ws?channels=alerts`);
    await c.opened;
    c.send({ action: 'subscribe', channel: 'orders' });
    await c.waitFor((x) => x.frames.some((f) => f.type === 'subscribed'));
    await c.waitFor((x) => x.events().some((e) => e.event_type!.startsWith('order.')));
    c.send({ action: 'unsubscribe', channel: 'orders' });
    await c.waitFor((x) => x.frames.some((f) => f.type === 'unsubscribed'));
    const mark = c.frames.length;
    await sleep(500);
    expect(c.frames.slice(mark).filter((f) => f.type === 'event' && f.event_type!.startsWith('order.'))).toEqual([]);
    await c.close();
  });

  it('resumes with ?since=: the missed events first, in order, no gap, no duplicate', async () => {
    const first = new RecordingClient(`${server.ws}/stream/ws`);
    await first.opened;
    await first.waitFor((c) => c.events().length > 100);
    await first.close();
    const last = first.events().at(-1)!.seq!;
    await sleep(700); // events keep flowing while the client is away
    const second = new RecordingClient(`${server.ws}/stream/ws?since=${last}`);
    await second.opened;
    await second.waitFor((c) => c.events().length > 300);
    const seqs = second.events().map((e) => e.seq!);
    expect(seqs[0]).toBe(last + 1);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    await second.close();
  });

  it('answers bad frames with error frames and stays up (3,000 random frames)', async () => {
    const c = new RecordingClient(`${server.ws}/stream/ws?channels=forecasts`);
    await c.opened;
    const rng = Rng.derive(99, 'fuzz');
    const garbage = () => {
      switch (rng.int(0, 6)) {
        case 0:
          return Array.from({ length: rng.int(0, 200) }, () => String.fromCharCode(rng.int(0, 0xffff))).join('');
        case 1:
          return JSON.stringify({ action: rng.pick(['subscribe', 'unsubscribe', 'dance', '', null]), channel: rng.pick(['orders', 'nope', 42, null, ['all']]) });
        case 2:
          return JSON.stringify(rng.pick([null, 1, 'x', [], {}, { action: 'pong', extra: true }]));
        case 3:
          return `{"action":"subscribe","channel":"${'a'.repeat(rng.int(1, 1000))}"`;
        case 4:
          return Buffer.from(Array.from({ length: 50 }, () => rng.int(0, 255)));
        case 5:
          // Deeply nested values: valid JSON under the frame limit that must not overflow the server's stack.
          return rng.chance(0.5) ? `${'['.repeat(4000)}${']'.repeat(4000)}` : `{"action":"subscribe","channel":${'['.repeat(3000)}${']'.repeat(3000)}}`;
        default:
          return '{"action": "subscribe", "channel": "orders"'; // truncated JSON
      }
    };
    let sent = 0;
    for (let i = 0; i < 3000; i++) {
      const g = garbage();
      c.socket.send(g, { binary: Buffer.isBuffer(g) });
      sent++;
    }
    // Every frame gets its error (a valid `pong` among the random ones gets none).
    await c.waitFor((x) => x.frames.filter((f) => f.type === 'error').length >= sent - 100, 20_000);
    const errors = c.frames.filter((f) => f.type === 'error');
    for (const e of errors) {
      expect(['invalid_json', 'invalid_command', 'unknown_channel', 'binary_not_supported']).toContain(e.error);
      expect(String(e.message).length).toBeGreaterThan(10);
    }
    expect(errors.find((e) => e.error === 'unknown_channel')!.allowed).toContain('orders');
    expect(c.closed).toBeNull();
    // Still served: a valid command works afterwards, and other clients never noticed.
    c.send({ action: 'subscribe', channel: 'orders' });
    await c.waitFor((x) => x.events().some((e) => e.event_type!.startsWith('order.')));
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    await c.close();
  });

  it('closes a connection that sends an oversized frame (1009) without affecting others', async () => {
    const bystander = new RecordingClient(`${server.ws}/stream/ws`);
    const c = new RecordingClient(`${server.ws}/stream/ws`);
    await Promise.all([c.opened, bystander.opened]);
    c.send('x'.repeat(64 * 1024));
    await c.waitFor((x) => x.closed !== null);
    expect(c.closed!.code).toBe(1009);
    const before = bystander.events().length;
    await bystander.waitFor((x) => x.events().length > before + 20);
    await bystander.close();
  });

  it('a seq this server never issued (a restart, another instance) gets a stream.gap and everything held', async () => {
    const c = new RecordingClient(`${server.ws}/stream/ws?since=999999999`);
    await c.opened;
    await c.waitFor((x) => x.events().length > 10);
    const [gap, first] = c.events();
    expect(gap.event_type).toBe('stream.gap');
    expect(gap.data).toMatchObject({ requested_since: 999999999, missed: null });
    expect(first.seq).toBe(gap.seq! + 1);
    expect(first.seq).toBe(1); // the history holds everything so far
    await c.close();
  });

  it('rejects bad query strings before upgrading, with a reason', async () => {
    for (const q of ['channels=orders,nope', 'since=-1', 'since=abc', 'bogus=1']) {
      const c = new RecordingClient(`${server.ws}/stream/ws?${q}`);
      await expect(c.opened).rejects.toThrow(/HTTP 400/);
      const res = await fetch(`${server.url}/stream/ws?${q}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string };
      expect(body.message).toMatch(/channel|since|bogus|unrecognized/i);
    }
  });
});

describe('WebSocket limits', () => {
  it('cuts off a slow consumer with close code 4001 and a reason, while a fast client keeps up', async () => {
    const server = await inProcessServer({ SIMULATION_SPEED: '60', SIMULATION_RATE: '600', WS_MAX_BUFFERED_BYTES: '65536' });
    try {
      const fast = new RecordingClient(`${server.ws}/stream/ws`);
      const slow = new RecordingClient(`${server.ws}/stream/ws`);
      await Promise.all([fast.opened, slow.opened]);
      // Stop reading: the kernel buffers fill, then the server's send buffer grows past the limit.
      (slow.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
      // Until the server has let go of it (the hub delivers to the fast client only), not a fixed 5 s.
      expect(server.state.hub.recipients('orders')).toBe(2);
      await waitUntil(() => server.state.hub.recipients('orders') === 1, 60_000, 'the server to cut off the slow consumer');
      (slow.socket as unknown as { _socket: import('node:net').Socket })._socket.resume();
      await slow.waitFor((c) => c.closed !== null, 15_000);
      expect(slow.closed!.code).toBe(4001);
      expect(slow.closed!.reason).toMatch(/slow consumer/);
      expect(fast.closed).toBeNull();
      await fast.waitFor((c) => c.events().length > 1000, 30_000);
      const seqs = fast.events().map((e) => e.seq!);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
      expect(seqs.length).toBeGreaterThan(1000);
      await fast.close();
    } finally {
      await server.close();
    }
  });

  it('closes a client that stops answering pings (4000), keeps one that answers', async () => {
    const server = await inProcessServer({ WS_PING_INTERVAL: '1' });
    try {
      const dead = new RecordingClient(`${server.ws}/stream/ws`, { autoPong: false });
      const alive = new RecordingClient(`${server.ws}/stream/ws`);
      await Promise.all([dead.opened, alive.opened]);
      await dead.waitFor((c) => c.closed !== null, 5000);
      expect(dead.closed!.code).toBe(4000);
      expect(dead.closed!.reason).toMatch(/no pong/);
      await sleep(1000);
      expect(alive.closed).toBeNull();
      expect(alive.frames.some((f) => f.type === 'ping')).toBe(true);
      await alive.close();
    } finally {
      await server.close();
    }
  });
});

