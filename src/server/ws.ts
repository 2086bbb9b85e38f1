/**
 * WebSocket transport (spec 003): `/stream/ws?channels=…&since=…`. Each frame is the
 * hub's pre-serialised envelope. Client commands are validated against the shared
 * contract and answered with an error frame when wrong; the connection stays open.
 * A client that stops answering pings, or whose send buffer passes the limit, is closed
 * with a code and a reason, so it can never slow the others down.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';
import type { Channel } from '../domain/events.js';
import { CHANNELS } from '../domain/events.js';
import { CLIENT_ACTIONS, CLOSE, ClientCommand, StreamQuery, type ErrorFrame } from '../domain/stream-protocol.js';
import { type BatchCache, channelStats, type EventHub, type HubEvent, Subscription } from '../hub/hub.js';
import { replayInSlices, waitFor } from './replay.js';
import type { Transport } from './state.js';

export interface WsLimits {
  maxBufferedBytes: number;
  pingIntervalMs: number;
  /** Events a replay sends per turn of the event loop. */
  replaySlice?: number;
  /** Why one more client cannot be taken (the connection cap), or null. */
  admit?: () => string | null;
}

/**
 * The complete WebSocket frame of an event, built once and written as-is to every client:
 * server-to-client frames are unmasked, so the bytes are the same for all of them. This is
 * the broadcast path of uWebSockets-style servers; ws itself would re-frame (and, for a
 * string, re-encode) the payload once per client.
 */
type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };
// ws exports its Sender (wrapper.mjs) but @types/ws does not declare it.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

function wsFrame(event: HubEvent): Buffer {
  return (event.wsFrame ??= Buffer.concat(Sender.frame(Buffer.from(event.frame), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false })));
}

class WsClient extends Subscription {
  alive = true;
  private closing = false;
  /** Bytes a resume replay may add above the slow-consumer limit until the client has read them. */
  private replayAllowance = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly hub: EventHub,
    private readonly limits: WsLimits,
    channels: Channel[],
  ) {
    super(channels);
  }

  deliver(events: readonly HubEvent[], batch: BatchCache): void {
    if (this.closing) return;
    if (this.overLimit()) {
      return this.close(CLOSE.slowConsumer, `slow consumer: more than ${this.limits.maxBufferedBytes} bytes waiting to be sent`);
    }
    // The raw socket is ws's own (`_socket`); writing whole frames to it is safe while no
    // extension (permessage-deflate) is negotiated, which this server never offers.
    const raw = (this.socket as unknown as { _socket?: Socket })._socket;
    if (raw === undefined || this.socket.extensions !== '' || this.socket.readyState !== 1) {
      for (const e of events) if (e.seq > this.afterSeq && this.wants(e.channel)) this.socket.send(e.frame);
      return;
    }
    // Every client with the same channels gets the same bytes: build them once per batch.
    const key = this.batchKey('ws', events);
    let bytes = key ? (batch.get(key) as Buffer | undefined) : undefined;
    if (!bytes) {
      const frames: Buffer[] = [];
      for (const e of events) if (e.seq > this.afterSeq && this.wants(e.channel)) frames.push(wsFrame(e));
      bytes = frames.length === 1 ? frames[0] : Buffer.concat(frames);
      if (key) batch.set(key, bytes);
    }
    if (bytes.length) raw.write(bytes);
  }


  /** A resume replay: at most the history, sent at once, so it is exempt from the limit until read. */
  replay(text: string): void {
    if (this.closing) return;
    this.replayAllowance += Buffer.byteLength(text);
    this.socket.send(text);
  }

  private overLimit(): boolean {
    const buffered = this.socket.bufferedAmount;
    if (buffered <= this.limits.maxBufferedBytes) this.replayAllowance = 0;
    return buffered > this.limits.maxBufferedBytes + this.replayAllowance;
  }

  sendText(text: string): void {
    if (this.closing) return;
    if (this.overLimit()) {
      return this.close(CLOSE.slowConsumer, `slow consumer: more than ${this.limits.maxBufferedBytes} bytes waiting to be sent`);
    }
    this.socket.send(text);
  }

  sendJson(frame: object): void {
    this.sendText(JSON.stringify(frame));
  }

  error(frame: Omit<ErrorFrame, 'type'>): void {
    this.sendJson({ type: 'error', event_type: 'stream.error', ...frame });
  }

  /** Closes with a reason; a peer that cannot take the close frame is cut off shortly after. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.hub.remove(this);
    this.socket.close(code, reason.slice(0, 120));
    setTimeout(() => this.socket.terminate(), 5000).unref();
  }

  handle(raw: Buffer, isBinary: boolean): void {
    if (isBinary) return this.error({ error: 'binary_not_supported', message: 'send commands as JSON text frames' });
    const text = raw.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return this.error({ error: 'invalid_json', message: `frame is not valid JSON: ${(err as Error).message.slice(0, 200)}` });
    }
    const result = ClientCommand.safeParse(parsed);
    if (!result.success) return this.rejectCommand(parsed, text);
    const command = result.data;
    switch (command.action) {
      case 'pong':
        this.alive = true;
        return;
      case 'ping':
        return this.sendJson({ type: 'pong', event_type: 'stream.pong', timestamp: new Date().toISOString() });
      case 'subscribe':
        this.subscribe(command.channel);
        return this.sendJson({ type: 'subscribed', event_type: 'stream.subscribed', channel: command.channel, channels: [...this.channels()] });
      case 'unsubscribe':
        this.unsubscribe(command.channel);
        return this.sendJson({ type: 'unsubscribed', event_type: 'stream.unsubscribed', channel: command.channel, channels: [...this.channels()] });
    }
  }

  /** Names what was wrong. Echoes the client's own text, never re-serialises it (a deeply nested value would overflow the stack). */
  private rejectCommand(parsed: unknown, text: string): void {
    const action = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).action : undefined;
    if (action === 'subscribe' || action === 'unsubscribe') {
      const channel = (parsed as Record<string, unknown>).channel;
      const got = typeof channel === 'string' ? `"${channel.slice(0, 100)}"` : channel === undefined ? 'nothing' : `a ${Array.isArray(channel) ? 'list' : typeof channel}`;
      return this.error({ error: 'unknown_channel', message: `${action} needs "channel", one of the known channels; got ${got}`, allowed: CHANNELS });
    }
    this.error({
      error: 'invalid_command',
      message: `expected {"action": …} with action one of ${CLIENT_ACTIONS.join(', ')} (subscribe and unsubscribe also take "channel"); got ${text.slice(0, 200)}`,
      allowed: CLIENT_ACTIONS,
    });
  }
}

export function registerWebSocket(app: FastifyInstance, hub: EventHub, limits: WsLimits, serverId: string): Transport {
  const clients = new Set<WsClient>();

  const pinger = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.close(CLOSE.deadConnection, `no pong within ${limits.pingIntervalMs / 1000} s`);
        continue;
      }
      client.alive = false;
      client.socket.ping();
      client.sendJson({ type: 'ping', event_type: 'stream.ping', timestamp: new Date().toISOString() });
    }
  }, limits.pingIntervalMs);
  pinger.unref();
  app.addHook('onClose', async () => clearInterval(pinger));

  app.get('/stream/ws', { websocket: true, schema: { querystring: StreamQuery, hide: true } }, (socket, request) => {
    const query = request.query as StreamQuery;
    const refused = limits.admit?.() ?? null;
    if (refused) {
      socket.close(CLOSE.tryAgainLater, refused.slice(0, 120));
      setTimeout(() => socket.terminate(), 5000).unref();
      return;
    }
    const client = new WsClient(socket, hub, limits, query.channels ?? ['all']);
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => {
      try {
        client.handle(data as Buffer, isBinary);
      } catch {
        // A frame must never take the server down; whatever slipped through validation closes only this connection.
        client.close(1011, 'could not process that frame');
      }
    });
    socket.on('close', () => {
      clients.delete(client);
      hub.remove(client);
    });
    socket.on('error', () => socket.terminate());
    // Control frames name themselves in event_type too: clients written for events only (spec 003's Python example reads event['event_type'] on every frame) keep working.
    client.sendJson({ type: 'connected', event_type: 'stream.connected', server_id: serverId, channels: [...client.channels()], last_seq: hub.lastSeq });
    if (query.since === undefined) {
      hub.add(client);
      return;
    }
    // The replay's last slice and the registration happen in one turn of the event loop: nothing published in between is missed or doubled.
    const open = () => socket.readyState === socket.OPEN && clients.has(client);
    void replayInSlices(hub, query.since, {
      slice: limits.replaySlice ?? 500,
      wants: (c) => client.wants(c),
      send: (frame) => client.replay(frame.frame),
      open,
      room: () => waitFor(() => socket.bufferedAmount <= limits.maxBufferedBytes, open),
      caughtUp: () => {
        if (open()) hub.add(client);
      },
    });
  });

  return {
    clients: () => clients.size,
    channelStats: () => channelStats(clients),
    closeAll: () => {
      for (const c of clients) c.close(CLOSE.goingAway, 'server shutting down');
    },
  };
}
