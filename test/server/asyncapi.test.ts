/** The AsyncAPI document of the event contract: valid AsyncAPI 3.0 (checked by @asyncapi/parser), complete, served and linked. */
import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncApiDocument } from '../../src/domain/asyncapi.js';
import { CHANNELS, EVENT_CHANNELS, EVENT_TYPES } from '../../src/domain/events.js';
import { inProcessServer } from '../helpers/server.js';

describe('the AsyncAPI document', () => {
  let server: Awaited<ReturnType<typeof inProcessServer>>;
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_ENABLED: 'false' });
  });
  afterAll(() => server?.close());

  it('is valid AsyncAPI 3.0: the parser reports no error', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument('1.2.3')));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');
  });

  it('has a channel per hub channel and a message per event type, on the channel the event travels on, with its example', async () => {
    const { document } = await new Parser().parse(JSON.stringify(asyncApiDocument('1.2.3')));
    const channels = document!.channels();
    expect(channels.all().map((c) => c.id()).sort()).toEqual(CHANNELS.filter((c) => c !== 'all').sort());
    for (const type of EVENT_TYPES) {
      const channel = channels.get(EVENT_CHANNELS[type])!;
      const message = channel.messages().all().find((m) => m.name() === type);
      expect(message, type).toBeDefined();
      expect(message!.examples().all().length, type).toBe(1);
      const payload = message!.payload()!.json() as { properties: { data: { required?: string[] } } };
      expect(payload.properties.data, type).toBeDefined();
    }
  });

  it('is served at /asyncapi.json with the server as host, and linked from the OpenAPI document at /docs', async () => {
    const res = await fetch(`${server.url}/asyncapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { asyncapi: string; servers: { websocket: { host: string } } };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.servers.websocket.host).toBe(new URL(server.url).host);
    const openapi = (await (await fetch(`${server.url}/docs/json`)).json()) as { info: { description: string } };
    expect(openapi.info.description).toContain('/asyncapi.json');
  });
});
