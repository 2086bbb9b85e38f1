/**
 * spec 001's management API against a real database on both backends: embedded PGlite and
 * the machine's PostgreSQL. Every refusal is checked twice: the answer (status, reason)
 * and the database (nothing changed).
 */
import { EVENT_EXAMPLES } from '../../src/domain/event-examples.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiHealth, Metrics, ORDER_TRANSITIONS, OrderPage, OrderWithItems, ProductPage, StatusChangeResult, StockChange } from '../../src/domain/api.js';
import { API_ORDER_INDEX, orderId } from '../../src/domain/ids.js';
import { Product } from '../../src/domain/entities.js';
import { serviceMissing } from '../helpers/services.js';
import { postgresCheck, type BackendName } from '../helpers/store.js';
import { call, CUSTOMERS, NASTY, ORDERS, PRODUCTS, seed, snapshot, startBackend, stockOf, type Backend } from './management-fixtures.js';

const pgMissing = await serviceMissing('PostgreSQL at 127.0.0.1:5432', postgresCheck);
const BACKENDS: BackendName[] = pgMissing ? ['pglite'] : ['pglite', 'postgres'];

describe.each(BACKENDS)('management API on %s', (backend) => {
  let b: Backend;
  const api = <T = any>(method: string, path: string, body?: unknown) => call<T>(b.server, method, path, body);
  /** Runs `act` and checks the database is exactly as before. */
  const unchanged = async (act: () => Promise<void>) => {
    const before = await snapshot(b.db);
    await act();
    expect(await snapshot(b.db)).toEqual(before);
  };

  beforeAll(async () => {
    b = await startBackend(backend);
    await seed(b.db);
  });
  afterAll(() => b?.close());

  describe('reading', () => {
    it('returns an order in the shape of the generated files: nested shipping address, ISO times, numbers, its items', async () => {
      const { status, body } = await api('GET', '/api/orders/ORD-00000020');
      expect(status).toBe(200);
      expect(body).toEqual({ ...ORDERS[1].order, items: [ORDERS[1].item] });
      expect(OrderWithItems.parse(body).shipping_address).toEqual(CUSTOMERS[1].shipping_address);
    });

    it('lists orders newest first with filters on status, customer and order date', async () => {
      const all = OrderPage.parse((await api('GET', '/api/orders?to=2024-01-05')).body);
      expect(all.items.map((o) => o.order_id)).toEqual(['ORD-00000030', 'ORD-00000020', 'ORD-00000010']);
      expect(all).toMatchObject({ total: 3, limit: 50, offset: 0 });

      const byStatus = (await api('GET', '/api/orders?status=shipped')).body;
      expect(byStatus.items.map((o: any) => o.order_id)).toEqual(['ORD-00000020']);
      const byCustomer = (await api('GET', `/api/orders?customer_id=${CUSTOMERS[0].customer_id}&to=2024-01-05`)).body;
      expect(byCustomer.items.map((o: any) => o.order_id)).toEqual(['ORD-00000030', 'ORD-00000010']);
      // from is inclusive, to exclusive
      const window = (await api('GET', '/api/orders?from=2024-01-03T10:00:00Z&to=2024-01-04T10:00:00Z')).body;
      expect(window.items.map((o: any) => o.order_id)).toEqual(['ORD-00000020']);
      expect(window.total).toBe(1);
    });

    it('pages with limit and offset, and with a cursor that continues after the last order seen', async () => {
      const first = (await api('GET', '/api/orders?to=2024-01-05&limit=2')).body;
      expect(first.items.map((o: any) => o.order_id)).toEqual(['ORD-00000030', 'ORD-00000020']);
      expect(first.total).toBe(3);
      const second = (await api('GET', '/api/orders?to=2024-01-05&limit=2&offset=2')).body;
      expect(second.items.map((o: any) => o.order_id)).toEqual(['ORD-00000010']);
      expect(second.next_cursor).toBeNull();
      const next = (await api('GET', `/api/orders?to=2024-01-05&limit=2&cursor=${first.next_cursor}`)).body;
      expect(next.items.map((o: any) => o.order_id)).toEqual(['ORD-00000010']);
    });

    it('refuses bad list parameters with 400 and the reason', async () => {
      for (const [query, field] of [
        ['limit=501', 'limit'],
        ['limit=0', 'limit'],
        ['offset=-1', 'offset'],
        ['status=lost', 'status'],
        ['from=yesterday', 'from'],
        ['from=2024-02-01&to=2024-01-01', 'from'],
        ['cursor=bm9wZQ', 'cursor'],
        ['stauts=pending', 'querystring'],
      ]) {
        const { status, body } = await api('GET', `/api/orders?${query}`);
        expect(status, query).toBe(400);
        expect(body.error).toBe('bad_request');
        expect(body.message, query).toContain(field);
      }
    });

    it('answers 404 for an unknown order or product and 400 for a malformed id', async () => {
      expect((await api('GET', '/api/orders/ORD-99999998')).status).toBe(404);
      const missing = await api('GET', '/api/products/PROD-999');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'not_found', message: 'product PROD-999 does not exist' });
      expect((await api('GET', '/api/orders/42')).status).toBe(400);
    });

    it('lists products by category, low stock (stock ≤ reorder threshold) and name', async () => {
      const coffee = ProductPage.parse((await api('GET', '/api/products?category=coffee')).body);
      expect(coffee.items.map((p) => p.name)).toEqual(PRODUCTS.filter((p) => p.category === 'coffee').map((p) => p.name));
      const low = (await api('GET', '/api/products?low_stock=true')).body;
      const lowNow = (await b.db.query<{ product_id: string }>('SELECT product_id FROM mock_data.products WHERE stock_quantity <= reorder_threshold ORDER BY product_id')).rows;
      expect(low.items.map((p: any) => p.product_id)).toEqual(lowNow.map((r) => r.product_id));
      expect(low.items.map((p: any) => p.product_id)).toEqual(expect.arrayContaining(['PROD-002', 'PROD-004']));
      const notLow = (await api('GET', '/api/products?low_stock=false')).body;
      expect(notLow.total + low.total).toBe(PRODUCTS.length);
      const search = (await api('GET', '/api/products?search=ESPRESSO')).body;
      expect(search.items.map((p: any) => p.product_id)).toEqual(['PROD-001']);
      const paged = (await api('GET', '/api/products?limit=2&offset=2')).body;
      expect(paged).toMatchObject({ total: PRODUCTS.length, limit: 2, offset: 2 });
      expect(paged.items.map((p: any) => p.product_id)).toEqual(['PROD-003', 'PROD-004']);
      expect((await api('GET', '/api/products?low_stock=maybe')).status).toBe(400);
    });
  });

  describe('creating orders', () => {
    it('creates a pending order, takes the stock and numbers it from the API range, in one transaction', async () => {
      const before = { p1: await stockOf(b.db, 'PROD-001'), p3: await stockOf(b.db, 'PROD-003') };
      const next = (await b.db.query<{ n: number }>('SELECT last_value::int AS n, is_called FROM orderstream.api_order_index')).rows[0] as unknown as { n: number; is_called: boolean };
      const t0 = Date.now();
      const { status, body } = await api('POST', '/api/orders', {
        customer_id: CUSTOMERS[1].customer_id,
        items: [
          { product_id: 'PROD-001', quantity: 2 },
          { product_id: 'PROD-003', quantity: 3 },
        ],
        payment_method: 'paypal',
        pattern_type: 'rush_orders',
      });
      expect(status).toBe(201);
      const order = OrderWithItems.parse(body);
      expect(order.order_id).toBe(orderId(next.is_called ? next.n + 1 : next.n));
      expect(order).toMatchObject({
        customer_id: CUSTOMERS[1].customer_id,
        customer_email: CUSTOMERS[1].email,
        status: 'pending',
        pattern_type: 'rush_orders',
        priority: 'urgent', // normal-ops: rush orders are urgent
        product_id: 'PROD-001',
        quantity: 2,
        price: 19.99,
        total: 39.98,
        items_count: 2,
        subtotal: 61.73, // 2 × 19.99 + 3 × 7.25
        total_amount: 61.73,
        currency: 'EGP',
        payment_method: 'paypal',
        shipping_address: CUSTOMERS[1].shipping_address,
      });
      expect(order.status_history).toEqual([{ status: 'pending', at: order.order_date }]);
      expect(Date.parse(order.order_date)).toBeGreaterThanOrEqual(t0 - 1000);
      expect(Date.parse(order.expected_delivery) - Date.parse(order.order_date)).toBe(86_400_000); // rush: 1 day
      expect(order.items.map((i) => [i.order_item_id, i.product_id, i.quantity, i.net_total])).toEqual([
        [`${order.order_id}-1`, 'PROD-001', 2, 39.98],
        [`${order.order_id}-2`, 'PROD-003', 3, 21.75],
      ]);
      expect(await stockOf(b.db, 'PROD-001')).toBe(before.p1 - 2);
      expect(await stockOf(b.db, 'PROD-003')).toBe(before.p3 - 3);
      // What the API answered is what the database holds.
      expect((await api('GET', `/api/orders/${order.order_id}`)).body).toEqual(body);
    });

    it('refuses what the stock cannot cover with 409 naming the product, available and requested, and writes nothing', async () => {
      await unchanged(async () => {
        const { status, body } = await api('POST', '/api/orders', {
          customer_id: CUSTOMERS[0].customer_id,
          items: [
            { product_id: 'PROD-003', quantity: 1 }, // coverable: must not be taken either
            { product_id: 'PROD-002', quantity: 3 },
          ],
        });
        expect(status).toBe(409);
        expect(body.error).toBe('insufficient_stock');
        expect(body.message).toContain('PROD-002 (Cold brew 100% Arabica): requested 3, available 2');
        expect(body.details.shortages).toEqual([{ product_id: 'PROD-002', product_name: 'Cold brew 100% Arabica', available: 2, requested: 3 }]);
      });
    });

    it('refuses an unknown customer or product with 422 and writes nothing', async () => {
      await unchanged(async () => {
        const noCustomer = await api('POST', '/api/orders', { customer_id: 'CUST-999999', items: [{ product_id: 'PROD-001', quantity: 1 }] });
        expect(noCustomer.status).toBe(422);
        expect(noCustomer.body).toMatchObject({ error: 'unknown_reference', message: 'customer CUST-999999 does not exist' });
        const noProduct = await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-001', quantity: 1 }, { product_id: 'PROD-777', quantity: 1 }] });
        expect(noProduct.status).toBe(422);
        expect(noProduct.body.message).toBe('no such product: PROD-777');
      });
    });

    it('refuses malformed bodies with 400 naming the field, and writes nothing', async () => {
      const c = CUSTOMERS[0].customer_id;
      const cases: Array<[unknown, string]> = [
        ['{"customer_id": "CUST-000001", "items": [', 'JSON'],
        [{ customer_id: c }, 'items'],
        [{ customer_id: c, items: [] }, 'items'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 0 }] }, 'quantity'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: -2 }] }, 'quantity'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 1.5 }] }, 'quantity'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: '1' }] }, 'quantity'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 1 }], discount: 100 }, 'discount'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 1 }, { product_id: 'PROD-001', quantity: 1 }] }, 'each product may appear once'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 1 }], payment_method: 'iou' }, 'payment_method'],
        [{ customer_id: c, items: [{ product_id: 'PROD-001', quantity: 1 }], shipping_address: { street: 'x', city: 'y', state: 'z', zip_code: 'ABCDE', country: 'EGY' } }, 'zip_code'],
        [{ customer_id: 7, items: [{ product_id: 'PROD-001', quantity: 1 }] }, 'customer_id'],
      ];
      await unchanged(async () => {
        for (const [body, reason] of cases) {
          const res = await api('POST', '/api/orders', body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect(res.body.message, JSON.stringify(body)).toContain(reason);
        }
      });
    });

    it('never oversells: 10 concurrent orders for 5 units give 5 orders and 5 refusals', async () => {
      const before = (await snapshot(b.db)).tables.orders;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api('POST', '/api/orders', { customer_id: CUSTOMERS[i % 2].customer_id, items: [{ product_id: 'PROD-008', quantity: 1 }] })),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(5);
      expect(results.filter((r) => r.status === 409)).toHaveLength(5);
      expect(new Set(created.map((r) => r.body.order_id)).size).toBe(5);
      expect(await stockOf(b.db, 'PROD-008')).toBe(0);
      expect((await snapshot(b.db)).tables.orders).toBe(before + 5);
    });

    it('numbers API orders from their own index range: scrambled like generated ids, consecutive, never a generated one', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-009', quantity: 1 }] });
        expect(res.status).toBe(201);
        ids.push(res.body.order_id);
      }
      const first = API_ORDER_INDEX + Array.from({ length: 10_000 }, (_, k) => k).find((k) => orderId(API_ORDER_INDEX + k) === ids[0])!;
      expect(ids).toEqual([orderId(first), orderId(first + 1), orderId(first + 2)]);
      // A generation job's ids are the indices below its order count, far below the API range.
      for (const id of ids) for (let k = 0; k < 100_000; k += 997) expect(id).not.toBe(orderId(k));
    });
  });

  describe('order lifecycle', () => {
    const create = async (product: string, quantity: number) => {
      const res = await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: product, quantity }] });
      expect(res.status).toBe(201);
      return res.body.order_id as string;
    };
    const move = (id: string, body: unknown) => api('PUT', `/api/orders/${id}/status`, body);

    it('walks pending → confirmed → processing → shipped → delivered, recording each step', async () => {
      const id = await create('PROD-006', 1);
      const steps = ['confirmed', 'processing', 'shipped', 'delivered'] as const;
      let previous = 'pending';
      for (const status of steps) {
        const res = await move(id, status === 'shipped' ? { status, tracking_number: 'TRK123456789' } : { status });
        expect(res.status, status).toBe(200);
        const { order, previous_status } = StatusChangeResult.parse(res.body);
        expect(previous_status).toBe(previous);
        expect(order.status).toBe(status);
        expect(order.updated_at).toBe(order.status_history.at(-1)!.at);
        previous = status;
      }
      const order = OrderWithItems.parse((await api('GET', `/api/orders/${id}`)).body);
      expect(order.status_history.map((h) => h.status)).toEqual(['pending', ...steps]);
      const times = order.status_history.map((h) => Date.parse(h.at));
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      expect(order.delivered_at).toBe(order.status_history.at(-1)!.at);
      expect(order.tracking_number).toBe('TRK123456789');
      // The database view of spec 001's status history reads the same steps.
      const view = await b.db.query<{ status: string }>('SELECT status FROM mock_data.order_status_history WHERE order_id = $1 ORDER BY step', [id]);
      expect(view.rows.map((r) => r.status)).toEqual(['pending', ...steps]);
    });

    it('never stamps a step before the order\'s last one (a clock behind the data: a resumed simulation, a dataset of future dates)', async () => {
      const id = await create('PROD-006', 1);
      const future = '2099-01-01T00:00:00.000Z';
      await b.db.query('UPDATE mock_data.orders SET status_history = $2::json WHERE order_id = $1', [id, JSON.stringify([{ status: 'pending', at: future }])]);
      const res = await move(id, { status: 'confirmed' });
      expect(res.status).toBe(200);
      const { order } = StatusChangeResult.parse(res.body);
      expect(order.status_history.map((h) => h.at)).toEqual([future, future]);
      expect(order.updated_at).toBe(future);
    });

    it('refuses transitions the lifecycle does not allow with 409 listing the allowed ones, and writes nothing', async () => {
      await unchanged(async () => {
        const skip = await move('ORD-00000010', { status: 'shipped' });
        expect(skip.status).toBe(409);
        expect(skip.body).toMatchObject({ error: 'illegal_transition', details: { from: 'pending', to: 'shipped', allowed: ['confirmed', 'cancelled'] } });
        expect(skip.body.message).toContain('it can go to: confirmed, cancelled');
        const back = await move('ORD-00000030', { status: 'pending' });
        expect(back.status).toBe(409);
        expect(back.body.details.allowed).toEqual([]);
        expect(back.body.message).toContain('"delivered" is final');
        expect((await move('ORD-00000020', { status: 'cancelled' })).status).toBe(409); // shipped: too late to cancel
        expect((await move('ORD-00000010', { status: 'pending' })).status).toBe(409);
      });
    });

    it('answers 404 for an unknown order and 400 for a bad status or body, writing nothing', async () => {
      await unchanged(async () => {
        const unknown = await move('ORD-99999997', { status: 'confirmed' });
        expect(unknown.status).toBe(404);
        expect(unknown.body.message).toBe('order ORD-99999997 does not exist');
        expect((await move('ORD-00000010', { status: 'teleported' })).status).toBe(400);
        expect((await move('ORD-00000010', {})).status).toBe(400);
        expect((await move('ORD-00000010', { status: 'confirmed', tracking_number: 'TRK1' })).body.message).toContain('tracking_number');
        expect((await move('ORD-00000010', '{"status":')).status).toBe(400);
      });
    });

    it('puts the units of a cancelled order back in stock; a failed delivery does not', async () => {
      const before = await stockOf(b.db, 'PROD-006');
      const id = await create('PROD-006', 3);
      expect(await stockOf(b.db, 'PROD-006')).toBe(before - 3);
      const res = await move(id, { status: 'cancelled', cancellation_reason: 'duplicate_order' });
      expect(res.status).toBe(200);
      expect(res.body.order).toMatchObject({ status: 'cancelled', cancellation_reason: 'duplicate_order' });
      expect(await stockOf(b.db, 'PROD-006')).toBe(before);
      const items = (await api('GET', `/api/orders/${id}`)).body.items;
      expect(items.map((i: any) => i.fulfilment)).toEqual(['cancelled']);
      // A second cancellation is refused and gives nothing back twice.
      expect((await move(id, { status: 'cancelled' })).status).toBe(409);
      expect(await stockOf(b.db, 'PROD-006')).toBe(before);

      const failed = await create('PROD-006', 2);
      for (const status of ['confirmed', 'processing', 'shipped', 'failed']) expect((await move(failed, { status })).status).toBe(200);
      expect(await stockOf(b.db, 'PROD-006')).toBe(before - 2);
    });
  });

  describe('stock', () => {
    const put = (id: string, body: unknown) => api('PUT', `/api/products/${id}/stock`, body);

    it('sets an absolute level or applies a change', async () => {
      const set = await put('PROD-005', { stock_quantity: 40 });
      expect(set.status).toBe(200);
      expect(StockChange.parse(set.body)).toMatchObject({ previous_quantity: 5, delta: 35, product: { product_id: 'PROD-005', stock_quantity: 40 } });
      const take = await put('PROD-005', { delta: -15 });
      expect(take.body).toMatchObject({ previous_quantity: 40, delta: -15, product: { stock_quantity: 25 } });
      expect(await stockOf(b.db, 'PROD-005')).toBe(25);
      const all = await put('PROD-005', { delta: -25 });
      expect(all.body.product.stock_quantity).toBe(0);
      expect((await put('PROD-005', { stock_quantity: 5 })).status).toBe(200);
    });

    it('never goes below zero, refuses malformed changes and unknown products, writing nothing', async () => {
      await unchanged(async () => {
        const below = await put('PROD-005', { delta: -6 });
        expect(below.status).toBe(409);
        expect(below.body).toMatchObject({ error: 'stock_out_of_range', details: { product_id: 'PROD-005', available: 5, delta: -6 } });
        expect(below.body.message).toContain('below zero');
        for (const body of [{ stock_quantity: -1 }, { stock_quantity: 1.5 }, { delta: 0.5 }, { stock_quantity: 3, delta: 1 }, {}, { stock_quantity: '7' }, { stock_quantity: 2_000_000_000 }, '[']) {
          const res = await put('PROD-005', body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect(res.body.error).toBe('bad_request');
        }
        expect((await put('PROD-005', { stock_quantity: -1 })).body.message).toContain('stock cannot be negative');
        expect((await put('PROD-999', { delta: 1 })).status).toBe(404);
        expect((await put('nope', { delta: 1 })).status).toBe(400);
      });
    });
  });

  describe('product cache', () => {
    it('serves repeated reads from the cache and drops a product when a write changes it', async () => {
      const metrics = async () => Metrics.parse((await api('GET', '/api/metrics')).body).cache;
      const start = await metrics();
      const first = await api('GET', '/api/products/PROD-007');
      expect(Product.parse(first.body)).toEqual(PRODUCTS[6]);
      await api('GET', '/api/products/PROD-007');
      await api('GET', '/api/products/PROD-007');
      const warm = await metrics();
      expect(warm.misses - start.misses).toBe(1);
      expect(warm.hits - start.hits).toBe(2);

      // A stock change, an order and a cancellation each invalidate: the next read sees the database.
      await api('PUT', '/api/products/PROD-007/stock', { delta: -1 });
      expect((await api('GET', '/api/products/PROD-007')).body.stock_quantity).toBe(7);
      const order = await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-007', quantity: 2 }] });
      expect((await api('GET', '/api/products/PROD-007')).body.stock_quantity).toBe(5);
      await api('PUT', `/api/orders/${order.body.order_id}/status`, { status: 'cancelled' });
      expect((await api('GET', '/api/products/PROD-007')).body.stock_quantity).toBe(7);
      const end = await metrics();
      expect(end.misses - warm.misses).toBe(3);
      expect(end.hit_ratio).toBeCloseTo(end.hits / (end.hits + end.misses), 2);
    });
  });

  describe('SQL metacharacters are plain text everywhere', () => {
    it('name search matches them literally (LIKE wildcards escaped) and changes nothing', async () => {
      const names = (await b.db.query<{ product_id: string; name: string }>('SELECT product_id, name FROM mock_data.products ORDER BY product_id')).rows;
      await unchanged(async () => {
        for (const text of [...NASTY, '100%', 'cold_brew', 'Back\\slash']) {
          const res = await api('GET', `/api/products?search=${encodeURIComponent(text)}&limit=500`);
          expect(res.status, text).toBe(200);
          const expected = names.filter((p) => p.name.toLowerCase().includes(text.toLowerCase())).map((p) => p.product_id);
          expect(res.body.items.map((p: any) => p.product_id), text).toEqual(expected);
        }
      });
      // The cases that tell escaping from wildcards:
      const ids = async (q: string) => (await api('GET', `/api/products?search=${encodeURIComponent(q)}`)).body.items.map((p: any) => p.product_id);
      expect(await ids('100%')).toEqual(['PROD-002']); // not "Plain 100 percent"
      expect(await ids('cold_brew')).toEqual(['PROD-003']); // not "coldXbrew" nor "Cold brew"
      expect(await ids('%')).toEqual(['PROD-002']);
      expect(await ids('_')).toEqual(['PROD-003']);
      expect(await ids('\\')).toEqual(['PROD-004']);
      expect(await ids("'")).toEqual(['PROD-005']);
    });

    it('filters and ids holding them find nothing or are refused, and change nothing', async () => {
      await unchanged(async () => {
        for (const text of NASTY) {
          const q = encodeURIComponent(text);
          const category = await api('GET', `/api/products?category=${q}`);
          expect(category.status, text).toBe(200);
          expect(category.body.total).toBe(0);
          expect((await api('GET', `/api/orders?customer_id=${q}`)).status, text).toBe(400);
          expect((await api('GET', `/api/orders?status=${q}`)).status, text).toBe(400);
          expect((await api('GET', `/api/orders?from=${q}`)).status, text).toBe(400);
          expect((await api('GET', `/api/orders?cursor=${q}`)).status, text).toBe(400);
          expect([400, 404], text).toContain((await api('GET', `/api/orders/${q}`)).status);
          expect([400, 404], text).toContain((await api('GET', `/api/products/${q}`)).status);
          expect([400, 404], text).toContain((await api('PUT', `/api/products/${q}/stock`, { delta: 1 })).status);
          expect([400, 404], text).toContain((await api('PUT', `/api/orders/${q}/status`, { status: 'confirmed' })).status);
          expect((await api('POST', '/api/orders', { customer_id: text, items: [{ product_id: 'PROD-001', quantity: 1 }] })).status, text).toBe(400);
          expect((await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: text, quantity: 1 }] })).status, text).toBe(400);
          expect((await api('PUT', '/api/orders/ORD-00000010/status', { status: text })).status, text).toBe(400);
        }
      });
    });

    it('free-text fields store them verbatim', async () => {
      for (const text of NASTY) {
        const address = { street: text, city: text, state: text, zip_code: '12345', country: 'EGY' };
        const res = await api('POST', '/api/orders', { customer_id: CUSTOMERS[0].customer_id, items: [{ product_id: 'PROD-009', quantity: 1 }], notes: text, shipping_address: address });
        expect(res.status, text).toBe(201);
        const stored = (await api('GET', `/api/orders/${res.body.order_id}`)).body;
        expect(stored.notes).toBe(text);
        expect(stored.shipping_address).toEqual(address);
        const row = await b.db.query<{ notes: string; shipping_address_street: string }>('SELECT notes, shipping_address_street FROM mock_data.orders WHERE order_id = $1', [res.body.order_id]);
        expect(row.rows[0]).toEqual({ notes: text, shipping_address_street: text });
        const cancelled = await api('PUT', `/api/orders/${res.body.order_id}/status`, { status: 'cancelled', cancellation_reason: text });
        expect(cancelled.body.order.cancellation_reason).toBe(text);
      }
      const tables = await b.db.query<{ t: string | null }>("SELECT to_regclass('mock_data.orders')::text AS t");
      expect(tables.rows[0].t).toBe('mock_data.orders');
    });
  });

  describe('simulate', () => {
    it('new-order orders an existing product in stock for an existing customer, taking the stock', async () => {
      const before = await snapshot(b.db);
      const res = await api('POST', '/api/simulate/new-order');
      expect(res.status).toBe(201);
      const order = OrderWithItems.parse(res.body.order);
      expect(CUSTOMERS.map((c) => c.customer_id)).toContain(order.customer_id);
      const was = before.stock.find((s) => s.product_id === order.product_id)!;
      expect(order.quantity).toBeGreaterThanOrEqual(1);
      expect(order.quantity).toBeLessThanOrEqual(was.stock_quantity);
      expect(await stockOf(b.db, order.product_id)).toBe(was.stock_quantity - order.quantity);
      expect((await snapshot(b.db)).tables.orders).toBe(before.tables.orders + 1);
    });

    it('update-stock changes a random product by a random amount, never below zero', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await api('POST', '/api/simulate/update-stock');
        expect(res.status).toBe(200);
        const { product, previous_quantity, delta } = res.body;
        expect(delta).not.toBe(0);
        expect(product.stock_quantity).toBe(previous_quantity + delta);
        expect(product.stock_quantity).toBeGreaterThanOrEqual(0);
        expect(await stockOf(b.db, product.product_id)).toBe(product.stock_quantity);
      }
    });

    it('status-update moves an open order one legal step forward', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await api('POST', '/api/simulate/status-update');
        expect(res.status).toBe(200);
        const { order, previous_status } = res.body;
        expect(ORDER_TRANSITIONS[previous_status as keyof typeof ORDER_TRANSITIONS][0]).toBe(order.status);
        expect(order.status_history.at(-2).status).toBe(previous_status);
        if (order.status === 'shipped') expect(order.tracking_number).toMatch(/^TRK\d{9}$/);
      }
    });
  });

  describe('metrics and health', () => {
    it('reports events per second, clients, database latency, cache, errors and the breaker', async () => {
      const before = Metrics.parse((await api('GET', '/api/metrics')).body);
      await api('GET', '/api/orders/nope'); // a 400
      await api('GET', '/api/orders/ORD-99999996'); // a 404
      for (let i = 0; i < 50; i++) b.server.state.hub.publish({ event_type: 'alert.broadcast', data: { ...EVENT_EXAMPLES['alert.broadcast'], title: `t${i}` } });
      const m = Metrics.parse((await api('GET', '/api/metrics')).body);
      expect(m.http.errors_4xx - before.http.errors_4xx).toBe(2);
      expect(m.http.errors_5xx).toBe(0);
      expect(m.events.total - before.events.total).toBeGreaterThanOrEqual(50);
      expect(m.events.per_second).toBeGreaterThan(0);
      expect(m.clients).toEqual({ websocket: 0, sse: 0, total: 0 });
      expect(m.database.backend).toBe(backend);
      expect(m.database.latency_ms.samples).toBeGreaterThan(10);
      expect(m.database.latency_ms.p50).toBeGreaterThan(0);
      expect(m.database.latency_ms.p99!).toBeGreaterThanOrEqual(m.database.latency_ms.p50!);
      expect(m.database.breaker).toMatchObject({ state: 'closed', opened: 0 });
      expect(m.cache.hits).toBeGreaterThan(0);
    });

    it('GET /api/health checks the database with SELECT 1 and reports the brokers', async () => {
      const res = await api('GET', '/api/health');
      expect(res.status).toBe(200);
      const health = ApiHealth.parse(res.body);
      expect(health).toMatchObject({ status: 'ok', database: { status: 'ok', backend, error: null, breaker: 'closed' }, brokers: { kafka: { status: 'disabled' }, redis: { status: 'disabled' } } });
      expect(health.database.latency_ms).toBeGreaterThan(0);
    });
  });
});
