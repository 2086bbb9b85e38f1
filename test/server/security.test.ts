/**
 * Issue 13's reproduction 5: other sites do not get in. Foreign Origins cannot change
 * anything or open streams, foreign Host names (DNS rebinding) are refused, the API token
 * is required when set and whenever the server binds beyond loopback, CORS is on only for
 * CORS_ORIGINS, rate limits and security headers are in place. Every refusal is a 401/403
 * with a reason, and changes nothing.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, RecordingClient } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof inProcessServer>>;
const ALERT = { title: 'hello', message: 'from a test' };

/** fetch() will not send a foreign Host header; node:http will. */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (server: Server, path: string, headers: Record<string, string> = {}, body: unknown = ALERT) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function upgradeStatus(url: string, headers: Record<string, string>): Promise<{ status: number } | { opened: true }> {
  const c = new RecordingClient(url, { headers });
  try {
    await c.opened;
    await c.close();
    return { opened: true };
  } catch (err) {
    return { status: Number(/HTTP (\d+)/.exec((err as Error).message)?.[1] ?? 0) };
  }
}

describe('on loopback without a token (the default)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_ENABLED: 'false' });
  });
  afterAll(async () => server?.close());

  it('needs no token: the same-origin page and local tools work', async () => {
    expect(server.token).toBeNull();
    const own = new URL(server.url).host;
    expect((await post(server, '/stream/broadcast/alert', { origin: `http://${own}` })).status).toBe(200);
    expect((await post(server, '/stream/broadcast/alert')).status).toBe(200); // no Origin: curl, the CLI
    expect(await upgradeStatus(`${server.ws}/stream/ws`, { origin: `http://${own}` })).toEqual({ opened: true });
  });

  it('a body that is not JSON gets 415 saying what to send, one over the limit 413; nothing is published', async () => {
    const before = server.state.hub.lastSeq;
    const form = await server.app.inject({ method: 'POST', url: '/stream/broadcast/alert', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'title=x' });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toEqual({ error: 'unsupported_media_type', message: "the body must be JSON, sent with content-type: application/json (got 'application/x-www-form-urlencoded')" });
    const huge = await server.app.inject({ method: 'POST', url: '/stream/broadcast/alert', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...ALERT, message: 'x'.repeat(70 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: 'payload_too_large', message: expect.stringContaining('64 kB') });
    expect(server.state.hub.lastSeq).toBe(before);
  });

  it('refuses cross-site changes and streams from a foreign Origin with 403 and a reason, and publishes nothing', async () => {
    const before = server.state.hub.lastSeq;
    for (const path of ['/stream/broadcast/alert', '/stream/test/emit-event']) {
      const res = await post(server, path, { origin: 'http://evil.example' });
      expect(res.status, path).toBe(403);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('forbidden_origin');
      expect(body.message).toMatch(/evil\.example.*CORS_ORIGINS/);
    }
    // A form post needs no preflight either: still refused.
    const form = await fetch(`${server.url}/stream/broadcast/alert?title=a&message=b`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(403);
    expect(server.state.hub.lastSeq).toBe(before);
    expect(await upgradeStatus(`${server.ws}/stream/ws`, { origin: 'http://evil.example' })).toEqual({ status: 403 });
    const sse = await fetch(`${server.url}/stream/events`, { headers: { origin: 'http://evil.example' } });
    expect(sse.status).toBe(403);
    // No CORS unless asked for: a foreign page's read gets no Access-Control-Allow-Origin.
    const read = await fetch(`${server.url}/api/simulation`, { headers: { origin: 'http://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a Host that is not this server (DNS rebinding) with 403 and a reason', async () => {
    const port = new URL(server.url).port;
    for (const host of ['evil.example', `evil.example:${port}`, 'rebind.attacker.test']) {
      const res = await rawRequest(`${server.url}/api/simulation`, { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'forbidden_host' });
      expect(JSON.parse(res.body).message).toMatch(/ALLOWED_HOSTS/);
    }
    const cleanup = await rawRequest(`${server.url}/api/mock-data/cleanup`, { method: 'DELETE', headers: { host: 'evil.example' } });
    expect(cleanup.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(`${server.url}/stream/status`, { headers: { host } })).status, host).toBe(200);
    }
  });

  it('sends security headers with a CSP that admits the same-origin web app', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).toContain(`connect-src 'self' ws://${new URL(server.url).host} wss://${new URL(server.url).host}`);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('with ORDERSTREAM_API_TOKEN, CORS_ORIGINS and ALLOWED_HOSTS', () => {
  const TOKEN = 'test-token-0123456789abcdef';
  let server: Server;
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_ENABLED: 'false', ORDERSTREAM_API_TOKEN: TOKEN, CORS_ORIGINS: 'http://app.example:8080', ALLOWED_HOSTS: 'orders.lan', RATE_LIMIT_MAX: '5' });
  });
  afterAll(async () => server?.close());

  it('every mutating route needs the bearer token: 401 without or wrong, with a reason; nothing happens', async () => {
    const before = server.state.hub.lastSeq;
    const none = await post(server, '/stream/broadcast/alert');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string; message: string }).message).toMatch(/Authorization: Bearer/);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const wrong = await post(server, '/stream/broadcast/alert', { authorization: 'Bearer not-the-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('token_invalid');
    for (const [method, path] of [['PUT', '/api/simulation'], ['DELETE', '/api/mock-data/cleanup'], ['POST', '/api/mock-data/toggle'], ['PUT', '/api/products/P-1/stock']]) {
      expect((await fetch(`${server.url}${path}`, { method })).status, `${method} ${path}`).toBe(401);
    }
    expect(server.state.hub.lastSeq).toBe(before);
    expect((await post(server, '/stream/broadcast/alert', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    // Reads stay open; the admin views need the token.
    expect((await fetch(`${server.url}/stream/status`)).status).toBe(200);
    expect((await fetch(`${server.url}/stream/fallback-queue`)).status).toBe(401);
    expect((await fetch(`${server.url}/stream/fallback-queue`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('streams take the token as ?token= (browsers cannot set headers there)', async () => {
    expect(await upgradeStatus(`${server.ws}/stream/ws`, {})).toEqual({ status: 401 });
    expect(await upgradeStatus(`${server.ws}/stream/ws?token=wrong-token-wrong-token`, {})).toEqual({ status: 401 });
    expect(await upgradeStatus(`${server.ws}/stream/ws?token=${TOKEN}&channels=alerts`, {})).toEqual({ opened: true });
    expect((await fetch(`${server.url}/stream/events`)).status).toBe(401);
    // An encoded path reaches the same route: it gets the same checks.
    expect((await fetch(`${server.url}/stream/%65vents`)).status).toBe(401);
    expect((await fetch(`${server.url}/stream/%66allback-queue`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/mock-data/%63leanup`)).status).toBe(401);
    expect(await upgradeStatus(`${server.ws}/stream/%77s`, {})).toEqual({ status: 401 });
    const ac = new AbortController();
    const sse = await fetch(`${server.url}/stream/events?token=${TOKEN}`, { signal: ac.signal });
    expect(sse.status).toBe(200);
    ac.abort();
  });

  it('CORS for exactly the listed origins, preflight included; other origins still refused', async () => {
    const preflight = await fetch(`${server.url}/stream/broadcast/alert`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example:8080', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example:8080');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const allowed = await post(server, '/stream/broadcast/alert', { origin: 'http://app.example:8080', authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example:8080');
    const other = await post(server, '/stream/broadcast/alert', { origin: 'http://app.example:9999', authorization: `Bearer ${TOKEN}` });
    expect(other.status).toBe(403);
    const foreignPreflight = await fetch(`${server.url}/stream/broadcast/alert`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a Host in ALLOWED_HOSTS', async () => {
    expect((await rawRequest(`${server.url}/stream/status`, { headers: { host: 'orders.lan:3001' } })).status).toBe(200);
    expect((await rawRequest(`${server.url}/stream/status`, { headers: { host: 'orders.lan.evil.example' } })).status).toBe(403);
  });

  it('rate-limits mutating requests with 429 and a reason; reads are not limited', async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await post(server, '/stream/broadcast/alert', { authorization: `Bearer ${TOKEN}` });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).not.toBeNull();
    expect(((await limited!.json()) as { error: string; message: string })).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/RATE_LIMIT_MAX/) });
    for (let i = 0; i < 10; i++) expect((await fetch(`${server.url}/stream/status`)).status).toBe(200);
  });
});

describe('beyond loopback', () => {
  it('without ORDERSTREAM_API_TOKEN a token is generated, offered as a ready-to-open URL, and required', async () => {
    const server = await inProcessServer({ SIMULATION_ENABLED: 'false', HOST: '0.0.0.0' });
    try {
      expect(server.token).toMatch(/^[\w-]{24,}$/);
      expect(server.state.access.generated).toBe(true);
      expect(server.openUrl).toBe(`${server.url}/?token=${server.token}`);
      const local = server.url.replace('0.0.0.0', '127.0.0.1');
      const refused = await fetch(`${local}/stream/broadcast/alert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ALERT) });
      expect(refused.status).toBe(401);
      const ok = await fetch(`${local}/stream/broadcast/alert`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: JSON.stringify(ALERT) });
      expect(ok.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
