/**
 * The wire contract of the live stream (spec 003): WebSocket client commands, the frames
 * the server sends besides events, the query strings of /stream/ws and /stream/events and
 * the REST bodies of /stream/*. Declared once; the server validates with these and the
 * OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { CHANNELS, Channel, EVENT_TYPES, type EventType } from './events.js';

export const ChannelList = z
  .string()
  .max(256)
  .optional()
  .transform((raw, ctx) => {
    const names = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(CHANNELS as readonly string[]).includes(n));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `unknown channel ${unknown.map((u) => `"${u}"`).join(', ')}; allowed: ${CHANNELS.join(', ')}` });
      return z.NEVER;
    }
    return (names.length ? [...new Set(names)] : ['all']) as Channel[];
  })
  .describe(`comma-separated channels: ${CHANNELS.join(', ')} (default all)`);

const Seq = z.coerce
  .number({ message: 'must be a whole number ≥ 0' })
  .int('must be a whole number ≥ 0')
  .min(0, 'must be a whole number ≥ 0')
  .max(Number.MAX_SAFE_INTEGER);

export const StreamQuery = z.strictObject({
  channels: ChannelList,
  /** The API token, when the server requires one (browsers cannot set headers on WebSocket and EventSource). */
  token: z.string().max(512).optional().describe('the API token (ORDERSTREAM_API_TOKEN), when the server requires one'),
  since: Seq.optional().describe('replay every event with a larger seq first (resume)'),
});
export type StreamQuery = z.infer<typeof StreamQuery>;

/**
 * SSE's own: how each event is framed. `both` (default): once unnamed, for
 * EventSource.onmessage, and once named after its type, for addEventListener(type);
 * `named` or `unnamed`: one of the two, half the bytes.
 */
export const SSE_NAMES = ['both', 'named', 'unnamed'] as const;
export const SseQuery = StreamQuery.extend({
  names: z.enum(SSE_NAMES).default('both').describe('both: every event unnamed (onmessage) and named (addEventListener); named or unnamed: one of them'),
});
export type SseQuery = z.infer<typeof SseQuery>;

export const CLIENT_ACTIONS = ['subscribe', 'unsubscribe', 'pong', 'ping'] as const;

export const ClientCommand = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('subscribe'), channel: Channel }),
  z.strictObject({ action: z.literal('unsubscribe'), channel: Channel }),
  z.strictObject({ action: z.literal('pong') }),
  z.strictObject({ action: z.literal('ping') }),
]);
export type ClientCommand = z.infer<typeof ClientCommand>;

export const ERROR_CODES = ['invalid_json', 'invalid_command', 'unknown_channel', 'binary_not_supported'] as const;

export interface ErrorFrame {
  type: 'error';
  error: (typeof ERROR_CODES)[number];
  message: string;
  allowed?: readonly string[];
}

/** WebSocket close codes the server uses, with the reason sent alongside. */
export const CLOSE = {
  /** The client stopped answering pings. */
  deadConnection: 4000,
  /** The client read too slowly: its send buffer passed the limit. */
  slowConsumer: 4001,
  /** The server is shutting down. */
  goingAway: 1001,
  /** The server holds as many clients as it may (STREAM_MAX_CLIENTS): try again later. */
  tryAgainLater: 1013,
} as const;

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;

const alertFields = {
  title: z.string().trim().min(1, 'must not be empty').max(200),
  message: z.string().trim().min(1, 'must not be empty').max(2000),
};

export const BroadcastAlert = z.strictObject({ level: z.enum(ALERT_LEVELS).default('info'), ...alertFields });
export type BroadcastAlert = z.infer<typeof BroadcastAlert>;
/** The query string or JSON body form: every field optional and no defaults, so the two can be merged before validation. */
export const BroadcastAlertInput = z.strictObject({ level: z.enum(ALERT_LEVELS).optional(), title: alertFields.title.optional(), message: alertFields.message.optional() });

const testEventFields = {
  product_id: z.string().trim().min(1).max(100).optional(),
  order_id: z.string().trim().min(1).max(100).optional(),
  message: z.string().max(2000).optional(),
};
const EventTypeName = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export const TestEvent = z.strictObject({ event_type: EventTypeName.default('stock.updated'), ...testEventFields });
export type TestEvent = z.infer<typeof TestEvent>;
export const TestEventInput = z.strictObject({ event_type: EventTypeName.optional(), ...testEventFields });
