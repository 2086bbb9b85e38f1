/**
 * Property-based fuzzing (fast-check) of every HTTP route in the OpenAPI document and of the
 * WebSocket protocol: thousands of generated bodies, query strings, path parameters and
 * frames. The properties: never a 5xx, the server stays up, and a refused request changes
 * nothing (no row change in the database, no event on the hub, no setting, no job).
 *
 * Bodies are built from each route's own schema (its property names, enums and types) with
 * hostile values mixed in: NUL bytes, unpaired surrogates, denormals, huge and negative
 * numbers, deep nesting, injection strings, wrong types, unknown keys, invalid JSON.
 * FUZZ_SEED=<n> replays a run. `npm test` sends 600 requests (a new seed each run); `npm run test:scale`
 * runs this file again with 10,000 (fuzz.scale.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_SCALE } from '../helpers/scale.js';
import { RecordingClient, waitUntil } from '../helpers/server.js';
import { CUSTOMERS, NASTY, ORDERS, PRODUCTS, seed, startBackend, type Backend } from './management-fixtures.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const RUNS = FULL_SCALE ? 10_000 : 600;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
}
interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface Route {
  method: string;
  path: string;
  op: Operation;
}

const HOSTILE_STRINGS = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '%00',
  '../../etc/passwd',
  '1e-320',
  'NaN',
  'Infinity',
  '-0',
  '9'.repeat(400),
  'x'.repeat(3000),
  '<script>alert(1)</script>',
  ...NASTY,
];
const HOSTILE_NUMBERS = [5e-324, 1e-320, -1e-310, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 31), -1, 0, 0.5, 1e-7];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileNumber = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double(), fc.integer());
const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 })),
})).v;
/** 200 levels of nesting: deep enough to trouble a recursive walker, small enough for the body limit. */
const deep = fc.integer({ min: 50, max: 2000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown);

const IDS = [CUSTOMERS[0].customer_id, PRODUCTS[0].product_id, ORDERS[0].order.order_id, 'ORD-99999999', 'P-404'];

/** A value that often fits the schema and often does not. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return anyJson;
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (alternatives.length) return fc.oneof(...alternatives.map((s) => valueFor(s, depth + 1)), scalar);
  if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum), scalar);
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), scalar);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectFor(schema, depth + 1);
    case 'array': {
      const items = Array.isArray(schema.items) ? fc.oneof(...schema.items.map((s) => valueFor(s, depth + 1))) : valueFor(schema.items, depth + 1);
      return fc.oneof(fc.array(items, { maxLength: 5 }), scalar);
    }
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), hostileNumber, hostileString);
    case 'boolean':
      return fc.oneof(fc.boolean(), scalar);
    case 'string':
      return fc.oneof(fc.constantFrom(...IDS), fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), hostileString);
    default:
      return anyJson;
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return anyJson;
  const known = fc.record(Object.fromEntries(props.map(([k, s]) => [k, valueFor(s, depth)])), { requiredKeys: [] });
  // Sometimes an unknown key too (strict schemas must refuse it).
  return fc.oneof(known, fc.tuple(known, fc.string({ maxLength: 8 }), scalar).map(([o, k, v]) => ({ ...(o as object), [k || 'extra']: v })));
}

interface Request {
  method: string;
  url: string;
  body: string | undefined;
  contentType: string;
}

/** A path segment; an unpaired surrogate (which encodeURIComponent refuses) goes out as its raw, invalid UTF-8 bytes. */
function segment(value: string): string {
  try {
    return encodeURIComponent(value) || '%20';
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function requestFor(route: Route): fc.Arbitrary<Request> {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const path = fc.tuple(...pathParams.map(() => fc.oneof(fc.constantFrom(...IDS), hostileString))).map((values) =>
    pathParams.reduce((p, name, i) => p.replace(`{${name}}`, segment(String(values[i]))), route.path),
  );
  const queryNames = (route.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const query = fc.dictionary(fc.oneof(fc.constantFrom(...(queryNames.length ? queryNames : ['x'])), fc.string({ maxLength: 6 })), fc.oneof(hostileString, fc.integer().map(String), hostileNumber.map(String)), { maxKeys: 4 });
  const schema = route.op.requestBody?.content?.['application/json']?.schema;
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  const body: fc.Arbitrary<{ text: string | undefined; contentType: string }> = hasBody
    ? fc.oneof(
        { weight: 6, arbitrary: (schema ? objectFor(schema, 0) : anyJson).map((v) => ({ text: JSON.stringify(v), contentType: 'application/json' })) },
        { weight: 1, arbitrary: anyJson.map((v) => ({ text: JSON.stringify(v), contentType: 'application/json' })) },
        { weight: 1, arbitrary: deep.map((v) => ({ text: JSON.stringify(v), contentType: 'application/json' })) },
        { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ text, contentType: 'application/json' })) }, // mostly not JSON
        { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ text, contentType: 'text/plain' })) },
      )
    : fc.constant({ text: undefined, contentType: 'application/json' });
  return fc.tuple(path, query, body).map(([p, q, b]) => {
    const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
    return { method: route.method, url: qs ? `${p}?${qs}` : p, body: b.text, contentType: b.contentType };
  });
}

describe('fuzzing every route and the WebSocket protocol', () => {
  let b: Backend;
  let routes: Route[];
  beforeAll(async () => {
    // Jobs the fuzzer manages to start fail at once (the record limit), so none runs on in the background.
    b = await startBackend('pglite', { RATE_LIMIT_MAX: '1000000', MOCK_DATA_MAX_RECORDS: '10' });
    await seed(b.db);
    const doc = b.server.app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    )
      // The SSE stream never ends (the WebSocket protocol is fuzzed below); /metrics and the docs are static.
      .filter((r) => r.path !== '/stream/events' && !r.path.startsWith('/docs'));
  }, 120_000);
  afterAll(async () => b?.close());

  /** What a refused request must leave alone: rows (every change is in change_log), events, settings, jobs. */
  const fingerprint = async () => {
    const { rows } = await b.db.query<Record<string, unknown>>(
      `SELECT (SELECT coalesce(max(change_id), 0)::text FROM mock_data.change_log) AS changes,
              (SELECT count(*)::int FROM orderstream.jobs) AS jobs,
              (SELECT coalesce(string_agg(key || '=' || value::text || '@' || updated_at::text, ',' ORDER BY key), '') FROM orderstream.settings) AS settings`,
    );
    return { ...rows[0], seq: b.server.state.hub.lastSeq };
  };
  /** After an accepted change: its job finished, its row changes through the change feed, so the next fingerprint is stable. */
  const settle = async () => {
    await waitUntil(() => !b.server.state.jobs!.busy, 60_000, 'the job to end');
    const { rows } = await b.db.query<{ n: string }>('SELECT coalesce(max(change_id), 0)::text AS n FROM mock_data.change_log');
    await waitUntil(() => Number(b.server.state.changeFeed!.report().cursor ?? 0) >= Number(rows[0].n), 30_000, 'the change feed to catch up');
    b.server.state.hub.flush();
  };

  it('covers every route of the OpenAPI document', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of ['POST /api/orders', 'PUT /api/orders/{id}/status', 'PUT /api/products/{id}/stock', 'PUT /api/simulation', 'POST /api/mock-data/generate', 'DELETE /api/mock-data/cleanup', 'POST /stream/broadcast/alert']) {
      expect(names).toContain(expected);
    }
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  it(`${RUNS} generated requests: no 5xx, and a refused one changes nothing`, async () => {
    const statuses = new Map<number, number>();
    let before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes).chain(requestFor), async (req) => {
        const res = await fetch(`${b.server.url}${req.url}`, { method: req.method, headers: req.body === undefined ? {} : { 'content-type': req.contentType }, body: req.body });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${req.method} ${req.url} ${req.body?.slice(0, 300)} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(await fingerprint(), `${req.method} ${req.url} ${req.body?.slice(0, 300)} → ${res.status} changed something`).toEqual(before);
        } else {
          await settle();
          before = await fingerprint();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The generator reached past validation too: some requests were accepted, most refused.
    const accepted = [...statuses].filter(([s]) => s < 400).reduce((n, [, c]) => n + c, 0);
    expect(accepted).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 4);
    expect((await fetch(`${b.server.url}/health`)).status).toBe(200);
  }, 600_000);

  it('thousands of generated WebSocket frames: each answered, the connection and the server stay up, nothing is published', async () => {
    const client = new RecordingClient(`${b.server.ws}/stream/ws?channels=system`);
    await client.opened;
    await client.waitFor((c) => c.frames.some((f) => f.type === 'connected'));
    const seq = b.server.state.hub.lastSeq;
    const CHANNEL_NAMES = ['orders', 'inventory', 'alerts', 'system', 'all', 'nope', ''];
    const frame = fc.oneof(
      fc.record({ action: fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'pong', 'publish', 'SUBSCRIBE', ''), channel: fc.oneof(fc.constantFrom(...CHANNEL_NAMES), scalar) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      anyJson.map((v) => JSON.stringify(v)),
      deep.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        const answers = client.frames.length;
        if (Buffer.isBuffer(f)) client.socket.send(f, { binary: true });
        else client.send(f);
        sent++;
        // Every frame gets one answer (subscribed, unsubscribed, pong or an error frame), except a pong.
        const isPong = typeof f === 'string' && /^\{"action":"pong"\}$/.test(f);
        if (!isPong) await client.waitFor((c) => c.frames.length > answers || c.closed !== null, 10_000);
        expect(client.closed, `closed after ${JSON.stringify(String(f).slice(0, 200))}`).toBeNull();
      }),
      { numRuns: 2000, seed: SEED, endOnFailure: true },
    );
    expect(sent).toBe(2000);
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors.length).toBeGreaterThan(500);
    expect(new Set(errors.map((e) => e.error))).toEqual(new Set(['invalid_json', 'invalid_command', 'unknown_channel', 'binary_not_supported']));
    // Commands from a client never publish.
    b.server.state.hub.flush();
    expect(b.server.state.hub.lastSeq).toBe(seq);
    expect((await fetch(`${b.server.url}/health`)).status).toBe(200);
    await client.close();
  }, 600_000);
});
