/**
 * Server-Sent Events (spec 003): `/stream/events?channels=…`. `id:` is the event's seq and
 * `event:` its type (see sseFrames), so a browser's EventSource resumes by itself with Last-Event-ID.
 * Served on the raw response (hijacked from Fastify) because it never ends.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Channel } from '../domain/events.js';
import { SseQuery } from '../domain/stream-protocol.js';
import { type BatchCache, channelStats, type EventHub, type HubEvent, Subscription } from '../hub/hub.js';
import { replayInSlices, waitFor } from './replay.js';
import type { Transport } from './state.js';

const LastEventId = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,15}$/, 'Last-Event-ID must be the seq of the last event received (a whole number)')
    .optional(),
});

const HEARTBEAT_MS = 15_000;

/**
 * Each event goes out twice: unnamed, so `EventSource.onmessage` sees every event, and named
 * after its type, so `addEventListener('stock.low', …)` sees its own (a browser hands a named
 * event only to its listeners, never to onmessage). spec 003's client example uses both. Both
 * carry the event's seq as id, so Last-Event-ID resumes either way.
 */
type Names = SseQuery['names'];
const unnamed = (seq: number, frame: string) => `id: ${seq}\ndata: ${frame}\n\n`;
const named = (seq: number, type: string, frame: string) => `id: ${seq}\nevent: ${type}\ndata: ${frame}\n\n`;
const sseFrames = (seq: number, type: string, frame: string, names: Names): string =>
  names === 'named' ? named(seq, type, frame) : names === 'unnamed' ? unnamed(seq, frame) : unnamed(seq, frame) + named(seq, type, frame);
/** Built once per event and form, whatever the number of clients. */
const sseText = (e: HubEvent, names: Names): string =>
  names === 'named'
    ? (e.sseNamed ??= sseFrames(e.seq, e.envelope.event_type, e.frame, names))
    : names === 'unnamed'
      ? (e.sseUnnamed ??= sseFrames(e.seq, e.envelope.event_type, e.frame, names))
      : (e.sseText ??= sseFrames(e.seq, e.envelope.event_type, e.frame, names));

class SseClient extends Subscription {
  closed = false;
  /** Bytes a resume replay may add above the slow-consumer limit until the client has read them. */
  private replayAllowance = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly hub: EventHub,
    private readonly maxBufferedBytes: number,
    channels: Channel[],
    private readonly names: Names = 'both',
  ) {
    super(channels);
  }

  deliver(events: readonly HubEvent[], batch: BatchCache): void {
    // Every client with the same channels and names gets the same bytes: encoded once per batch
    // (a string written to each response would be measured and encoded again for each client).
    const key = this.batchKey(`sse-${this.names}`, events);
    let bytes = key ? (batch.get(key) as Buffer | undefined) : undefined;
    if (bytes === undefined) {
      let text = '';
      for (const e of events) if (e.seq > this.afterSeq && this.wants(e.channel)) text += sseText(e, this.names);
      bytes = Buffer.from(text);
      if (key) batch.set(key, bytes);
    }
    if (bytes.length) this.write(bytes);
  }

  /** A resume replay: at most the history, written at once, so it is exempt from the limit until read. */
  replay(seq: number, type: string, frame: string): void {
    if (this.closed) return;
    const text = sseFrames(seq, type, frame, this.names);
    this.replayAllowance += Buffer.byteLength(text);
    this.res.write(text);
  }

  private write(chunk: Buffer): void {
    if (this.closed) return;
    const buffered = this.res.writableLength;
    if (buffered <= this.maxBufferedBytes) this.replayAllowance = 0;
    if (buffered > this.maxBufferedBytes + this.replayAllowance) {
      this.res.write(`event: stream.closed\ndata: ${JSON.stringify({ reason: 'slow consumer', limit_bytes: this.maxBufferedBytes })}\n\n`);
      return this.close();
    }
    this.res.write(chunk);
  }

  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.remove(this);
    if (!this.res.writableEnded) this.res.end();
  }
}

export interface SseLimits {
  /** Events a replay sends per turn of the event loop. */
  replaySlice?: number;
  /** Why one more client cannot be taken (the connection cap), or null. */
  admit?: () => string | null;
}

export function registerSse(app: FastifyInstance, hub: EventHub, maxBufferedBytes: number, limits: SseLimits = {}): Transport {
  const clients = new Set<SseClient>();
  const heartbeat = setInterval(() => {
    for (const c of clients) c.comment('heartbeat');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  app.get(
    '/stream/events',
    {
      exposeHeadRoute: false, // a HEAD request would be hijacked into a stream that never ends
      schema: {
        summary: 'Server-Sent Events stream of the hub (resume with Last-Event-ID or ?since=)',
        tags: ['stream'],
        querystring: SseQuery,
        headers: LastEventId,
      },
    },
    (request, reply) => {
      const query = request.query as SseQuery;
      const header = (request.headers as z.infer<typeof LastEventId>)['last-event-id'];
      const since = header !== undefined ? Number(header) : query.since;
      const refused = limits.admit?.() ?? null;
      if (refused) return reply.code(503).header('retry-after', '5').send({ error: 'too_many_clients', message: refused });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const client = new SseClient(res, hub, maxBufferedBytes, query.channels ?? ['all'], query.names);
      clients.add(client);
      if (since === undefined) hub.add(client);
      else {
        // The replay's last slice and the registration happen in one turn of the event loop: nothing published in between is missed or doubled.
        const open = () => !client.closed && !res.writableEnded;
        void replayInSlices(hub, since, {
          slice: limits.replaySlice ?? 500,
          wants: (c) => client.wants(c),
          send: (e) => client.replay(e.seq, e.type, e.frame),
          open,
          room: () => waitFor(() => res.writableLength <= maxBufferedBytes, open),
          caughtUp: () => {
            if (open()) hub.add(client);
          },
        });
      }
      const done = () => {
        clients.delete(client);
        client.close();
        hub.remove(client);
      };
      request.raw.on('close', done);
      res.on('error', done);
    },
  );

  return {
    clients: () => clients.size,
    channelStats: () => channelStats(clients),
    closeAll: () => {
      for (const c of clients) c.close();
    },
  };
}
