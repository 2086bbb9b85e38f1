/** spec 003's REST endpoints: stream status, alert broadcast, test events, the fallback queue. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BroadcastAlert, BroadcastAlertInput, TestEvent, TestEventInput } from '../../domain/stream-protocol.js';
import type { ServerState } from '../state.js';
import { testPayload } from '../../domain/event-examples.js';
import { EVENT_DATA } from '../../domain/events.js';
import type { EventInput } from '../../hub/hub.js';

export function streamRoutes(app: FastifyInstance, state: ServerState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/stream/status', { schema: { summary: 'Connected clients, channel counts, Kafka and Redis state, fallback queue', tags: ['stream'] } }, async () => state.status());

  // spec 003 passes the alert as query parameters; a JSON body works too.
  r.post(
    '/stream/broadcast/alert',
    { schema: { summary: 'Broadcast an alert.broadcast event to every client on the alerts channel', tags: ['stream'], querystring: BroadcastAlertInput, body: BroadcastAlertInput.nullish() } },
    async (request, reply) => {
      const alert = BroadcastAlert.safeParse({ ...(request.body ?? {}), ...request.query });
      if (!alert.success) return reply.code(400).send(state.badRequest(alert.error));
      const event = state.hub.publish({ event_type: 'alert.broadcast', data: { alert_id: crypto.randomUUID(), ...alert.data } });
      return { status: 'sent', seq: event.seq, event_id: event.envelope.event_id, recipients: state.recipients(event.channel) };
    },
  );

  r.post(
    '/stream/test/emit-event',
    { schema: { summary: "Emit a test event of any type: the type's example payload, with test: true on the envelope", tags: ['stream'], querystring: TestEventInput, body: TestEventInput.nullish() } },
    async (request, reply) => {
      const parsed = TestEvent.safeParse({ ...(request.body ?? {}), ...request.query });
      if (!parsed.success) return reply.code(400).send(state.badRequest(parsed.error));
      const { event_type, message, ...ids } = parsed.data;
      // The type's example payload (so it parses like any event of its type), marked as a test on the envelope.
      const data = testPayload(event_type, { product_id: ids.product_id ?? 'TEST-001', order_id: ids.order_id });
      const valid = EVENT_DATA[event_type].safeParse(data);
      if (!valid.success) return reply.code(400).send(state.badRequest(valid.error));
      const event = state.hub.publish({ event_type, data, test: true, note: message } as EventInput);
      return { status: 'sent', seq: event.seq, event_id: event.envelope.event_id, event_type, channel: event.channel };
    },
  );

  r.get(
    '/stream/fallback-queue',
    { schema: { summary: 'Events waiting for Kafka (accepted, not yet acknowledged)', tags: ['stream'], querystring: z.strictObject({ limit: z.coerce.number().int().min(0).max(1000).default(20) }) } },
    async (request) => state.fallbackQueue(request.query.limit),
  );
}
