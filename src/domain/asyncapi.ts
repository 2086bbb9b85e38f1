/**
 * The event contract as an AsyncAPI 3.0 document, generated from the zod schemas (so it
 * can never drift from what is emitted): one channel per hub channel, one message per event
 * type with the envelope and its payload schema, an example each, and an operation saying
 * a client receives them. Served at /asyncapi.json.
 */
import { z } from 'zod';
import { EVENT_EXAMPLES } from './event-examples.js';
import { CHANNELS, EVENT_CHANNELS, EVENT_DATA, EVENT_TYPES, type EventChannel, type EventType } from './events.js';

const CHANNEL_DESCRIPTIONS: Record<EventChannel, string> = {
  orders: 'Order lifecycle: created, every status change, cancellation, delivery, failed delivery attempts',
  stock: 'Inventory: one stock.updated per movement, threshold crossings, deliveries from suppliers',
  alerts: 'Inventory alerts (low stock, reorder, stockout risk, dead stock) and broadcast alerts',
  forecasts: 'Demand forecasts per product category and model checks',
  analytics: 'Daily summaries at local midnight and monthly reports',
  payments: 'Payments received, overdue payments, refunds',
  jobs: 'Progress and outcome of generation jobs',
  db: 'Committed row changes of the orders, products, customers and users tables (the change feed)',
  system: "The hub's own notices (a resume gap); every client receives them",
};

const messageId = (type: EventType) => type;
const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** The envelope of one event type: spec 003's fields, the server's sequence, and the payload. */
function envelopeSchema(type: EventType): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'event_id', 'event_type', 'timestamp', 'data', 'seq'],
    properties: {
      type: { const: 'event' },
      event_id: { type: 'string', format: 'uuid', description: "A name-based UUID (version 5) of the event's type, time and payload: the same event has the same id in every run, speed and transport" },
      event_type: { const: type },
      timestamp: { type: 'string', format: 'date-time', description: 'When it happened (simulated time)' },
      data: jsonSchema(EVENT_DATA[type]),
      seq: { type: 'integer', minimum: 0, description: "This server's sequence number: the resume offset (WebSocket since=, SSE Last-Event-ID)" },
      test: { const: true, description: 'Only on events made by POST /stream/test/emit-event' },
      note: { type: 'string', description: 'The message a test event was sent with' },
    },
  };
}

export interface AsyncApiServer {
  host: string;
  secure: boolean;
}

export function asyncApiDocument(version: string, server?: AsyncApiServer): Record<string, unknown> {
  const channels = CHANNELS.filter((c): c is EventChannel => c !== 'all');
  const typesOf = (channel: EventChannel) => EVENT_TYPES.filter((t) => EVENT_CHANNELS[t] === channel);
  const host = server?.host ?? '127.0.0.1:3001';
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'orderstream events',
      version,
      description:
        'Every event orderstream publishes — on the WebSocket (/stream/ws), Server-Sent Events (/stream/events), Kafka and in the event log of `generate --events` — ' +
        'in one envelope. Subscribe to channels with ?channels=a,b (all: every channel). The same scenario, seed and start give the same events, ids included, in every speed.',
    },
    defaultContentType: 'application/json',
    servers: {
      websocket: { host, protocol: server?.secure ? 'wss' : 'ws', pathname: '/stream/ws', description: 'WebSocket: ?channels=…&since=SEQ; answer {"type":"ping"} frames with {"action":"pong"}' },
      sse: { host, protocol: server?.secure ? 'https' : 'http', pathname: '/stream/events', description: 'Server-Sent Events: ?channels=…; each event unnamed (onmessage) and named after its type (addEventListener), or one of the two with names=named|unnamed; resume with Last-Event-ID' },
    },
    channels: Object.fromEntries(
      channels.map((c) => [
        c,
        {
          address: c,
          title: c,
          description: CHANNEL_DESCRIPTIONS[c],
          messages: Object.fromEntries(typesOf(c).map((t) => [messageId(t), { $ref: `#/components/messages/${messageId(t)}` }])),
        },
      ]),
    ),
    operations: Object.fromEntries(
      channels.map((c) => [
        `receive-${c}`,
        {
          action: 'receive',
          title: `Receive ${c} events`,
          channel: { $ref: `#/channels/${c}` },
          messages: typesOf(c).map((t) => ({ $ref: `#/channels/${c}/messages/${messageId(t)}` })),
        },
      ]),
    ),
    components: {
      messages: Object.fromEntries(
        EVENT_TYPES.map((t) => [
          messageId(t),
          {
            name: t,
            title: t,
            summary: EVENT_DATA[t].description ?? t,
            contentType: 'application/json',
            payload: envelopeSchema(t),
            examples: [{ name: 'example', payload: { type: 'event', event_id: '6ba7b810-9dad-51d1-80b4-00c04fd430c8', event_type: t, timestamp: '2025-03-03T09:14:05.120Z', data: EVENT_EXAMPLES[t], seq: 42 } }],
          },
        ]),
      ),
    },
  };
}
