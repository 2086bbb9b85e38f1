/**
 * The web app's backend (issue 10) through app.inject on a real embedded database:
 * customers with search and paging, one customer with their orders, the order summary,
 * the new GET /api/orders filters, the JSON index at /api and the app at /.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderPage } from '../../src/domain/api.js';
import { CustomerPage, CustomerWithOrders, OrderSummary, Runtime } from '../../src/domain/web-api.js';
import { CUSTOMERS, ORDERS, seed, startBackend, type Backend } from '../server/management-fixtures.js';

let b: Backend;
const get = async <T = any>(url: string): Promise<{ status: number; body: T; headers: Record<string, unknown> }> => {
  const res = await b.server.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? (res.json() as T) : (res.body as T), headers: res.headers };
};

beforeAll(async () => {
  b = await startBackend('pglite');
  await seed(b.db);
});
afterAll(() => b?.close());

describe('GET /api/customers', () => {
  it('lists customers by id with paging', async () => {
    const { status, body } = await get('/api/customers?limit=1');
    expect(status).toBe(200);
    const page = CustomerPage.parse(body);
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.items.map((c) => c.customer_id)).toEqual([CUSTOMERS[0].customer_id]);
    const next = CustomerPage.parse((await get('/api/customers?limit=1&offset=1')).body);
    expect(next.items.map((c) => c.customer_id)).toEqual([CUSTOMERS[1].customer_id]);
  });

  it('searches by part of the name, the email or the id, any case; wildcards match themselves', async () => {
    expect((await get('/api/customers?search=omar')).body.items.map((c: any) => c.full_name)).toEqual(['Omar Fathy']);
    expect((await get('/api/customers?search=MONA%40EXAMPLE')).body.items.map((c: any) => c.full_name)).toEqual(['Mona Saleh']);
    expect((await get('/api/customers?search=000002')).body.total).toBe(1);
    expect((await get('/api/customers?search=%25')).body.total).toBe(0);
  });

  it('refuses a bad query with a 400 naming the field', async () => {
    const { status, body } = await get('/api/customers?limit=0');
    expect(status).toBe(400);
    expect(body.message).toContain('limit');
  });
});

describe('GET /api/customers/:id', () => {
  it('returns the customer with their orders, newest first, and how many there are', async () => {
    const { status, body } = await get(`/api/customers/${CUSTOMERS[0].customer_id}`);
    expect(status).toBe(200);
    const c = CustomerWithOrders.parse(body);
    expect(c.full_name).toBe('Mona Saleh');
    expect(c.orders.map((o) => o.order_id)).toEqual(['ORD-00000030', 'ORD-00000010']);
    expect(c.order_count).toBe(2);
    expect(CustomerWithOrders.parse((await get(`/api/customers/${CUSTOMERS[0].customer_id}?limit=1`)).body).orders).toHaveLength(1);
  });

  it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
    expect((await get('/api/customers/CUST-999999')).status).toBe(404);
    expect((await get('/api/customers/nobody')).status).toBe(400);
  });
});

describe('GET /api/orders/summary', () => {
  it('counts by status, priority, pattern and region, with revenue and the overdue count', async () => {
    const { status, body } = await get('/api/orders/summary');
    expect(status).toBe(200);
    const s = OrderSummary.parse(body);
    expect(s.total).toBe(3);
    expect(s.by_status).toEqual({ pending: 1, confirmed: 0, processing: 0, shipped: 1, delivered: 1, cancelled: 0, failed: 0 });
    expect(s.by_priority.medium).toBe(3);
    expect(s.by_pattern.regular_orders).toBe(3);
    expect(s.by_region).toEqual({ Cairo: 3 });
    // Promised for 2024-01-09 and judged now (no simulation): the two open ones are overdue.
    expect(s.overdue).toBe(2);
    expect(s.revenue).toEqual({ EGP: Math.round(3 * 39.98 * 100) / 100 });
  });

  it('takes an order-date window', async () => {
    const s = OrderSummary.parse((await get('/api/orders/summary?from=2024-01-03&to=2024-01-04')).body);
    expect(s).toMatchObject({ total: 1, from: '2024-01-03', to: '2024-01-04' });
    expect(s.by_status.shipped).toBe(1);
    expect((await get('/api/orders/summary?from=2024-02-01&to=2024-01-01')).status).toBe(400);
  });

  it('agrees with the order list filtered the same way', async () => {
    const s = OrderSummary.parse((await get('/api/orders/summary')).body);
    const overdue = OrderPage.parse((await get('/api/orders?overdue=true')).body);
    expect(overdue.total).toBe(s.overdue);
    expect(overdue.items.map((o) => o.order_id).sort()).toEqual(['ORD-00000010', 'ORD-00000020']);
    expect(OrderPage.parse((await get('/api/orders?overdue=false')).body).total).toBe(s.total - s.overdue);
  });
});

describe('GET /api/orders: the web filters', () => {
  it('filters by priority, region, pattern and search', async () => {
    expect((await get('/api/orders?priority=medium')).body.total).toBe(3);
    expect((await get('/api/orders?priority=urgent')).body.total).toBe(0);
    expect((await get('/api/orders?region=Cairo')).body.total).toBe(3);
    expect((await get('/api/orders?region=Giza')).body.total).toBe(0);
    expect((await get('/api/orders?pattern_type=rush_orders')).body.total).toBe(0);
    expect((await get('/api/orders?search=00000020')).body.items.map((o: any) => o.order_id)).toEqual(['ORD-00000020']);
    expect((await get(`/api/orders?search=${encodeURIComponent(ORDERS[1].order.customer_email.toUpperCase())}`)).body.total).toBe(1);
  });

  it('refuses unknown values with a 400', async () => {
    expect((await get('/api/orders?priority=panic')).status).toBe(400);
    expect((await get('/api/orders?overdue=maybe')).status).toBe(400);
  });
});

describe('GET /api/runtime', () => {
  it("reports the server process's memory", async () => {
    const { status, body } = await get('/api/runtime');
    expect(status).toBe(200);
    const r = Runtime.parse(body);
    expect(r.memory.rss_bytes).toBeGreaterThan(r.memory.heap_used_bytes);
    expect(r.node).toBe(process.version);
  });
});

describe('GET /api/market', () => {
  it("names the data's market, its currency and UTC offset", async () => {
    const { status, body } = await get('/api/market');
    expect(status).toBe(200);
    expect(body).toEqual({ id: 'egypt-coffee', label: expect.any(String), currency: 'EGP', utc_offset_minutes: 120 });
  });
});

describe('POST /api/mock-data/cancel', () => {
  it('answers 409 for a job that is not running, and 400 without a job id', async () => {
    const res = await b.server.app.inject({ method: 'POST', url: '/api/mock-data/cancel', payload: { jobId: 'job-nope' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'not_running' });
    expect((await b.server.app.inject({ method: 'POST', url: '/api/mock-data/cancel', payload: {} })).statusCode).toBe(400);
  });

  it('cancels a running job: it ends cancelled and leaves nothing behind', async () => {
    const started = await b.server.app.inject({ method: 'POST', url: '/api/mock-data/generate', payload: { scenario: 'normal-ops', config: { startDate: '2024-01-01', endDate: '2024-12-31', volumeMultiplier: 5, dryRun: true } } });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json();
    const res = await b.server.app.inject({ method: 'POST', url: '/api/mock-data/cancel', payload: { jobId } });
    expect(res.statusCode).toBe(200);
    await b.server.state.jobs!.wait(jobId);
    const view = (await b.server.app.inject({ method: 'GET', url: `/api/mock-data/status?jobId=${jobId}` })).json();
    expect(view.status).toBe('cancelled');
  });
});

describe('the app and the index', () => {
  it('documents the new endpoints in the OpenAPI document', async () => {
    const { status, body } = await get('/docs/json');
    expect(status).toBe(200);
    for (const path of ['/api/customers', '/api/customers/{id}', '/api/orders/summary']) expect(Object.keys(body.paths)).toContain(path);
    const params = body.paths['/api/orders'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['priority', 'region', 'pattern_type', 'overdue', 'search']));
  });

  it('moves the JSON index to /api', async () => {
    const { status, body } = await get('/api');
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'orderstream', websocket: '/stream/ws?channels=all', docs: '/docs' });
  });

  it('serves the web app at / and at every view path, and keeps JSON 404s for unknown API paths', async () => {
    const root = await get('/');
    expect(root.status).toBe(200);
    if (String(root.headers['content-type']).includes('json')) {
      expect((root.body as any).note).toContain('not built'); // web/dist absent: a pointer instead
      return;
    }
    expect(String(root.body)).toContain('<div id="root">');
    for (const view of ['monitoring', 'shop', 'admin', 'dashboard', 'generator', 'events', 'admin/inventory']) {
      const page = await get(`/${view}`);
      expect(page.status, view).toBe(200);
      expect(String(page.body)).toContain('<div id="root">');
    }
    const missing = await get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect((missing.body as any).error).toBe('not_found');
  });

  it('has the page revalidated on every visit and its hashed assets cached for good', async () => {
    const root = await get('/');
    if (String(root.headers['content-type']).includes('json')) return expect((root.body as any).note).toContain('not built');
    expect(root.headers['cache-control']).toBe('no-cache');
    expect((await get('/monitoring')).headers['cache-control']).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(String(root.body))?.[1];
    expect(script).toBeDefined();
    const asset = await get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
