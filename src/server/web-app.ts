/**
 * The web app (issue 10) on the API's own origin: `web/dist` (built by `npm install` /
 * `npm run build`) at `/`, the views' paths answered with its index.html so a reload or a
 * shared link opens the view, and the JSON index of the server's endpoints at `/api`.
 * Without a built app `/` says how to build it instead.
 */
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The views the client-side router knows; each also takes sub-paths (/admin/orders…). */
export const WEB_VIEWS = ['monitoring', 'shop', 'admin', 'dashboard', 'generator', 'events'] as const;

/** web/dist from the source tree (tests) or from dist/src/server (the built server). */
export function webDist(): string | null {
  for (const rel of ['../../web/dist', '../../../web/dist']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/index.html`)) return dir;
  }
  return null;
}

const INDEX = {
  name: 'orderstream',
  app: '/',
  websocket: '/stream/ws?channels=all',
  sse: '/stream/events?channels=all',
  status: '/stream/status',
  simulation: '/api/simulation',
  docs: '/docs',
  events: '/asyncapi.json',
};

export async function registerWebApp(app: FastifyInstance, root: string | null = webDist()): Promise<void> {
  app.get('/api', { schema: { hide: true } }, async () => INDEX);
  if (!root) {
    app.get('/', { schema: { hide: true } }, async () => ({ ...INDEX, app: null, note: 'the web app is not built: run `npm run build:web` (npm install does it)' }));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: 'index.html',
    // Hashed assets never change; the page itself is always revalidated. send's own
    // cache-control (public, max-age=0) would replace ours: off.
    cacheControl: false,
    // Under the app's own assets/ (not any directory of that name above it).
    setHeaders: (res, path) => res.setHeader('cache-control', relative(root, path).startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const page = (_request: unknown, reply: { sendFile: (f: string) => unknown }) => reply.sendFile('index.html');
  for (const view of WEB_VIEWS) {
    app.get(`/${view}`, { schema: { hide: true } }, page as never);
    app.get(`/${view}/*`, { schema: { hide: true } }, page as never);
  }
}
