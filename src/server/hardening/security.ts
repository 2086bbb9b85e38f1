/**
 * Only our own pages and clients get in.
 *
 * - **Host** (DNS rebinding): a request must name this server: an IP literal, localhost, the
 *   bound address, or a name in ALLOWED_HOSTS. A page on `evil.example` whose name was
 *   rebound to 127.0.0.1 sends `Host: evil.example` and is refused.
 * - **Origin** (cross-site requests): a state-changing request (POST, PUT, PATCH, DELETE) or a
 *   stream (WebSocket upgrade, SSE) carrying an `Origin` that is neither this server's own nor
 *   in CORS_ORIGINS is refused. Requests without an Origin (curl, the CLI, server-side
 *   clients) are not cross-site. CORS_ORIGINS also turns on CORS for exactly those origins.
 * - **API token** (ORDERSTREAM_API_TOKEN): required on every mutating route, the admin views
 *   and the streams whenever one is set, and always when the server binds beyond loopback
 *   (one is generated then). HTTP: `Authorization: Bearer <token>`; WebSocket and SSE (whose
 *   browser APIs cannot set headers): `?token=<token>`. On loopback without a token set, a
 *   same-origin page works without one.
 * - Rate limits on mutating routes (@fastify/rate-limit) and security headers with a CSP
 *   that admits the same-origin web app (@fastify/helmet).
 *
 * Refusals are 401 (no or wrong token) or 403 (foreign Host or Origin), with a reason.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../../domain/server-config.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STREAMS = new Set(['/stream/ws', '/stream/events']);
/** Reads that hand out what only an operator should see: the cleanup confirmation and the queued Kafka payloads. */
const ADMIN_VIEWS = new Set(['/api/mock-data/cleanup', '/stream/fallback-queue']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

export interface AccessPolicy {
  /** The token every mutating request needs, or null (loopback without ORDERSTREAM_API_TOKEN). */
  token: string | null;
  /** True when the token was made up at start (printed with a ready-to-open URL). */
  generated: boolean;
  allowedHosts: string[];
  corsOrigins: string[];
}

/** The policy for a configuration: a token is required beyond loopback, and made up when none is set. */
export function accessPolicy(config: ServerConfig): AccessPolicy {
  const { apiToken, allowedHosts, corsOrigins } = config.security;
  const needsToken = !isLoopback(config.host);
  const token = apiToken ?? (needsToken ? randomBytes(24).toString('base64url') : null);
  return { token, generated: apiToken === null && token !== null, allowedHosts, corsOrigins };
}

const digest = (s: string) => createHash('sha256').update(s).digest();
export function sameToken(given: string | undefined, token: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Host header without its port, lower-cased; brackets of an IPv6 literal removed. */
function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m ? m[1].toLowerCase() : null;
}

function refuse(reply: FastifyReply, status: 401 | 403, error: string, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="orderstream"');
  // A refused WebSocket upgrade: its socket belongs to no HTTP connection the server tracks; end it once the answer is out.
  if (reply.request.headers.upgrade !== undefined) {
    const socket = reply.request.raw.socket;
    void reply.header('connection', 'close');
    reply.raw.once('finish', () => socket.destroy());
  }
  return reply.code(status).send({ error, message });
}

function bearer(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m?.[1];
}

function decodedPath(url: string): string {
  const raw = url.split('?')[0];
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function queryToken(request: FastifyRequest): string | undefined {
  const q = request.query as Record<string, unknown> | undefined;
  return typeof q?.token === 'string' ? q.token : undefined;
}

export async function registerSecurity(app: FastifyInstance, config: ServerConfig, policy: AccessPolicy): Promise<void> {
  const boundHost = config.host.replace(/^\[|\]$/g, '').toLowerCase();
  const anyHost = policy.allowedHosts.includes('*');
  const hostAllowed = (name: string) =>
    anyHost || isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || name === boundHost || policy.allowedHosts.includes(name);

  app.addHook('onRequest', async (request, reply) => {
    // The route the router matched (it decodes %xx): the raw URL would let /stream/%65vents past these checks.
    const path = request.routeOptions.url ?? decodedPath(request.url);
    const host = hostName(request.headers.host);
    if (!host || !hostAllowed(host)) {
      return refuse(reply, 403, 'forbidden_host', `Host "${String(request.headers.host ?? '').slice(0, 100)}" is not this server's name; add it to ALLOWED_HOSTS if it is (protection against DNS rebinding)`);
    }
    const isStream = STREAMS.has(path);
    const origin = request.headers.origin;
    if (origin !== undefined && (MUTATING.has(request.method) || isStream)) {
      const normalised = origin.replace(/\/+$/, '').toLowerCase();
      let own = false;
      try {
        own = new URL(normalised).host === String(request.headers.host).toLowerCase();
      } catch {
        own = false; // "null" and other opaque origins
      }
      if (!own && !policy.corsOrigins.includes(normalised)) {
        return refuse(reply, 403, 'forbidden_origin', `requests from Origin "${origin.slice(0, 100)}" may not ${isStream ? 'open streams' : 'change anything'} here; list it in CORS_ORIGINS to allow it`);
      }
    }
    if (policy.token === null) return;
    const needs = MUTATING.has(request.method) || isStream || ADMIN_VIEWS.has(path);
    if (!needs) return;
    const given = isStream ? (queryToken(request) ?? bearer(request)) : (bearer(request) ?? (ADMIN_VIEWS.has(path) ? queryToken(request) : undefined));
    if (given === undefined) {
      return refuse(reply, 401, 'token_required', isStream ? 'this server needs its API token: add ?token=<ORDERSTREAM_API_TOKEN> to the stream URL' : 'this server needs its API token: send Authorization: Bearer <ORDERSTREAM_API_TOKEN>');
    }
    if (!sameToken(given, policy.token)) return refuse(reply, 401, 'token_invalid', 'the API token does not match ORDERSTREAM_API_TOKEN');
  });

  if (policy.corsOrigins.length) {
    await app.register(fastifyCors, {
      origin: (origin, cb) => cb(null, origin !== undefined && policy.corsOrigins.includes(origin.replace(/\/+$/, '').toLowerCase())),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'last-event-id'],
      maxAge: 600,
    });
  }

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // The same-origin web app's REST calls, WebSocket and EventSource.
        connectSrc: ["'self'", (req) => `ws://${(req as { headers: { host?: string } }).headers.host ?? 'localhost'}`, (req) => `wss://${(req as { headers: { host?: string } }).headers.host ?? 'localhost'}`],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Plain HTTP on a LAN: no HSTS, no upgrade of requests to an https the server does not speak.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });

  await app.register(fastifyRateLimit, {
    global: true,
    max: config.security.rateLimitMax,
    timeWindow: config.security.rateLimitWindowMs,
    allowList: (request) => !MUTATING.has(request.method),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `more than ${context.max} changing requests in ${Math.round(context.ttl / 1000)} s from this address (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW); retry after ${context.after}`,
    }),
  });
}
