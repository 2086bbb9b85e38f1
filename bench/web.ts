/**
 * The web app (issue 10), measured in Debian's chromium:
 *   - the gzip size of the initial bundle (index.html's script, styles and preloads);
 *   - spec 001 scenario 1's delay: a status move clicked in /admin until /shop (another
 *     browser context) shows it, with the embedded database;
 *   - the browser under load: /monitoring and /events while the server publishes 1,000 and
 *     5,000 order events a second — frames per second (requestAnimationFrame) and the main
 *     thread's busy share (CDP TaskDuration over wall time).
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ServerEnv, configFromEnv } from '../src/domain/server-config.js';
import { EVENT_EXAMPLES } from '../src/domain/event-examples.js';
import { startServer, type RunningServer } from '../src/server/app.js';
import { webDist } from '../src/server/web-app.js';
import { fmt, formatRows, verdict } from './report.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function initialBundleGzip(dist: string): { files: string[]; bytes: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const files = [...new Set(refs)];
  let bytes = 0;
  let gzip = gzipSync(html, { level: 9 }).length;
  for (const f of files) {
    const body = readFileSync(join(dist, f));
    bytes += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files, bytes, gzip };
}

export async function server(env: Record<string, string>): Promise<RunningServer> {
  return startServer(configFromEnv(ServerEnv.parse({ PORT: '0', ...env }), `bench-web-${process.pid}`));
}

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function live(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
}

/** Scenario 1's click-to-other-window delay, `rounds` times. */
async function clickDelay(browser: Browser, rounds: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-bench-web-'));
  const s = await server({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: join(dir, 'pg'), MOCK_DATA_ENABLED: 'true' });
  try {
    const get = async (path: string, method = 'GET', body?: unknown) => {
      const res = await fetch(`${s.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      return (await res.json()) as any;
    };
    const customer = (await get('/api/customers?limit=1')).items[0];
    const product = (await get('/api/products?limit=1')).items[0];
    const shop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await live(shop, `${s.url}/shop`);
    await shop.getByTestId('customer-search').fill(customer.customer_id);
    await shop.getByRole('button', { name: new RegExp(customer.customer_id) }).click();
    await live(admin, `${s.url}/admin`);
    const delays: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const order = await get('/api/orders', 'POST', { customer_id: customer.customer_id, items: [{ product_id: product.product_id, quantity: 1 }] });
      await shop.locator(`[data-testid="my-orders"] tr[data-order="${order.order_id}"]`).waitFor();
      await admin.getByTestId('order-search').fill(order.order_id);
      const button = admin.getByRole('button', { name: `Move ${order.order_id} to confirmed` });
      await button.waitFor();
      const t0 = Date.now();
      await button.click();
      await shop.locator(`[data-testid="my-orders"] tr[data-order="${order.order_id}"] [data-status="confirmed"]`).waitFor();
      delays.push(Date.now() - t0);
    }
    await shop.context().close();
    await admin.context().close();
    return delays;
  } finally {
    await s.close();
  }
}

interface LoadResult {
  view: string;
  rate: number;
  fps: number;
  busy: number;
  received: number;
}

/** A view open while the hub publishes `rate` order events a second for `seconds`. */
export async function underLoad(browser: Browser, s: RunningServer, view: string, rate: number, seconds: number): Promise<LoadResult> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await live(page, `${s.url}/${view}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const base = EVENT_EXAMPLES['order.created'];
  let n = 0;
  const tick = 10;
  const timer = setInterval(() => {
    for (let i = 0; i < (rate * tick) / 1000; i++, n++) {
      s.state.hub.publish({ event_type: 'order.created', data: { ...base, order_id: `ORD-${String(10_000_000 + (n % 50_000_000)).padStart(8, '0')}`, timestamp: new Date().toISOString() } });
    }
  }, tick);
  try {
    await page.waitForTimeout(1000); // warm-up: the first frames after the flood starts
    const metric = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) as number;
    const before = await metric();
    const t0 = Date.now();
    const frames = await page.evaluate(
      (ms) =>
        new Promise<number>((resolve) => {
          let count = 0;
          const end = performance.now() + ms;
          const step = () => (performance.now() < end ? (count++, requestAnimationFrame(step)) : resolve(count));
          requestAnimationFrame(step);
        }),
      seconds * 1000,
    );
    const wall = (Date.now() - t0) / 1000;
    const busy = ((await metric()) - before) / wall;
    const received = await page.evaluate(() => Number(/seq (\d+)/.exec(document.querySelector('[data-testid="last-event"]')?.textContent ?? '')?.[1] ?? 0));
    return { view, rate, fps: frames / seconds, busy, received };
  } finally {
    clearInterval(timer);
    await page.context().close();
  }
}

export async function benchWeb(quick: boolean): Promise<string> {
  const dist = webDist();
  if (!dist) return 'web: web/dist is not built (npm run build:web); skipped\n';
  const bundle = initialBundleGzip(dist);
  const out: string[] = [];
  out.push(
    `Web app — initial bundle (index.html, ${bundle.files.length} files it loads): ${fmt(bundle.bytes / 1024)} kB, ${fmt(bundle.gzip / 1024)} kB gzip; target ≤ 250 kB gzip: ${verdict(bundle.gzip <= 250 * 1024)}`,
    '',
  );
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (err) {
    return `${out.join('\n')}web: chromium unavailable (${(err as Error).message.split('\n')[0]}); browser figures skipped\n`;
  }
  try {
    const delays = await clickDelay(browser, quick ? 10 : 30);
    out.push(
      `spec 001 scenario 1 — status move clicked in /admin until /shop (another browser context) shows it, embedded PGlite, live simulation running, ${delays.length} rounds`,
      '',
      ...formatRows(['p50 ms', 'p95 ms', 'max ms'], [[fmt(p(delays, 0.5)), fmt(p(delays, 0.95)), fmt(Math.max(...delays))]]),
      '',
      `target (issue 10): p95 ≤ 1,000 ms: ${verdict(p(delays, 0.95) <= 1000)}`,
      '',
    );

    const s = await server({ STORE_ENABLED: 'false', SIMULATION_ENABLED: 'false', STREAM_HISTORY_SIZE: '1000' });
    const results: LoadResult[] = [];
    try {
      for (const view of ['monitoring', 'events']) for (const rate of [1000, 5000]) results.push(await underLoad(browser, s, view, rate, quick ? 3 : 5));
    } finally {
      await s.close();
    }
    const at1000 = results.filter((r) => r.rate === 1000);
    out.push(
      `Browser under load — the server publishes order.created events at the rate, one page open, ${quick ? 3 : 5} s measured after 1 s of warm-up`,
      '',
      ...formatRows(
        ['view', 'events/s', 'frames/s', 'main thread busy', 'last seq seen'],
        results.map((r) => [`/${r.view}`, fmt(r.rate), r.fps.toFixed(1), `${(r.busy * 100).toFixed(0)}%`, fmt(r.received)]),
      ),
      '',
      `targets (issue 10): at 1,000 events/s ≥ 50 fps and < 50% busy: ${verdict(at1000.every((r) => r.fps >= 50 && r.busy < 0.5))}; no freeze at 5,000 (≥ 1 fps): ${verdict(results.filter((r) => r.rate === 5000).every((r) => r.fps >= 1))}`,
      '',
    );
  } finally {
    await browser.close();
  }
  return out.join('\n');
}
