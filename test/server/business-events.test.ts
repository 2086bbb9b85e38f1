/**
 * The management API's changes are business events, like the simulation's own: an order
 * placed, moved or cancelled and stock changed through the API appear on the orders, stock
 * and alerts channels with the contract's payloads, and the live simulation's warehouse
 * follows them (its stock events continue from the API's change; it stops moving an order
 * the API took over).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_DATA, type EventType } from '../../src/domain/events.js';
import { inProcessServer, RecordingClient, waitUntil, type Frame } from '../helpers/server.js';

describe('API actions are business events (live simulation on the embedded database)', () => {
  let server: Awaited<ReturnType<typeof inProcessServer>>;
  let client: RecordingClient;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as any };
  };
  const events = (type: EventType, match: (d: Record<string, unknown>) => boolean = () => true) => client.events().filter((e) => e.event_type === type && match(e.data!));

  beforeAll(async () => {
    // One day of demo history: the customers, products and stock the API acts on, and orders to read (no forecast is read).
    server = await inProcessServer({ STORE_ENABLED: 'true', ORDERSTREAM_DATA_DIR: 'memory', STORE_DEMO_DAYS: '1', SIMULATION_SEED: '5', SIMULATION_RATE: '60', SIMULATION_SPEED: '5' }, (c) => {
      c.simulation.startMs = Date.now();
    });
    client = new RecordingClient(`${server.ws}/stream/ws?channels=orders,stock,alerts`);
    await client.opened;
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('a new order, its status moves and its cancellation are order events with the contract\'s payloads, with the stock they moved', async () => {
    const customers = await api('GET', '/api/orders?limit=1');
    const customerId = customers.body.items[0].customer_id as string;
    const products = await api('GET', '/api/products?limit=200');
    const product = (products.body.items as Array<{ product_id: string; stock_quantity: number }>).sort((a, b) => b.stock_quantity - a.stock_quantity)[0];
    const placed = await api('POST', '/api/orders', { customer_id: customerId, items: [{ product_id: product.product_id, quantity: 2 }] });
    expect(placed.status).toBe(201);
    const id = placed.body.order_id as string;
    await waitUntil(() => events('order.created', (d) => d.order_id === id).length === 1, 10_000, 'order.created');
    await waitUntil(() => events('stock.updated', (d) => d.order_id === id).length === 1, 10_000, 'its stock taken');
    const taken = events('stock.updated', (d) => d.order_id === id)[0].data!;
    expect(taken).toMatchObject({ product_id: product.product_id, movement_type: 'fulfilment' });
    expect((taken.previous_stock as number) - (taken.current_stock as number)).toBe(2);

    expect((await api('PUT', `/api/orders/${id}/status`, { status: 'confirmed' })).status).toBe(200);
    expect((await api('PUT', `/api/orders/${id}/status`, { status: 'cancelled', cancellation_reason: 'changed my mind' })).status).toBe(200);
    await waitUntil(() => events('order.cancelled', (d) => d.order_id === id).length === 1, 10_000, 'order.cancelled');
    expect(events('order.updated', (d) => d.order_id === id).map((e) => e.data!.status)).toEqual(['confirmed']);
    expect(events('order.cancelled', (d) => d.order_id === id)[0].data).toMatchObject({ reason: 'changed my mind', status: 'cancelled' });
    await waitUntil(() => events('stock.updated', (d) => d.order_id === id && d.movement_type === 'return').length === 1, 10_000, 'the units back');

    for (const e of client.events()) {
      const parsed = EVENT_DATA[e.event_type as EventType].safeParse(e.data);
      expect(parsed.success, `${e.event_type}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('taking stock below the safety stock through the API raises stock.low and alert.low_stock at once, and the warehouse carries on from the API\'s level', async () => {
    const products = await api('GET', '/api/products?limit=200');
    // The warehouse's own figures: below the reorder point is stock.low, below the safety stock alert.low_stock.
    const advice = new Map((await api('GET', '/api/inventory/reorders')).body.items.map((a: { product_id: string; safety_stock: number }) => [a.product_id, a.safety_stock]));
    const product = (products.body.items as Array<{ product_id: string; stock_quantity: number; reorder_threshold: number }>).find((p) => p.stock_quantity > p.reorder_threshold + 5 && advice.has(p.product_id))!;
    const take = product.stock_quantity - Math.max(1, advice.get(product.product_id) as number) + 1;
    const changed = await api('PUT', `/api/products/${product.product_id}/stock`, { delta: -take });
    expect(changed.status).toBe(200);
    const mine = (d: Record<string, unknown>) => d.product_id === product.product_id;
    await waitUntil(() => events('stock.updated', (d) => mine(d) && d.reason === 'manual_adjustment').length === 1, 10_000, 'the manual adjustment');
    await waitUntil(() => events('stock.low', mine).length >= 1 && events('alert.low_stock', (d) => (d.affected_products as Frame[])[0].product_id === product.product_id).length >= 1, 10_000, 'the low-stock alert');
    // The warehouse's own events for this product form one chain through the API's change.
    await waitUntil(() => events('alert.reorder_needed', mine).length >= 1, 10_000, 'a reorder for it');
    let level: number | null = null;
    for (const e of events('stock.updated', mine)) {
      if (level !== null) expect(e.data!.previous_stock, `${e.data!.movement_id}`).toBe(level);
      level = e.data!.current_stock as number;
    }
  });

  it('a simulated order moved through the API is no longer moved by the simulation', async () => {
    // A simulated order just placed (pending for 10–30 simulated seconds): the API cancels it.
    let simulated: string | undefined;
    await waitUntil(async () => {
      simulated = events('order.created').at(-1)?.data!.order_id as string | undefined;
      // (404 until the simulation's writer has stored it, a few hundred milliseconds; 409 once it moved on)
      return simulated !== undefined && (await api('PUT', `/api/orders/${simulated}/status`, { status: 'cancelled' })).status === 200;
    }, 60_000, 'a simulated order cancelled through the API');
    const mark = client.events().length;
    // Until plenty of other orders have moved, nothing more comes for it.
    await waitUntil(() => client.events().slice(mark).filter((e) => e.event_type === 'order.updated').length >= 10, 60_000, 'other orders moving');
    expect(client.events().slice(mark).filter((e) => (e.data as { order_id?: string }).order_id === simulated && e.event_type !== 'order.cancelled' && e.event_type !== 'stock.updated')).toEqual([]);
  });
  it('an order placed and moved through the API is stamped with the simulation\'s time, on its timeline and analytics day', async () => {
    expect((await api('PUT', '/api/simulation', { paused: true })).status).toBe(200);
    try {
      // Paused, simulated time stands still while the wall clock goes on: the stamp says which clock it came from.
      const frozen = new Date(Math.floor(server.state.clock!.simNow())).toISOString();
      await new Promise((r) => setTimeout(r, 20)); // the wall clock moves on from the frozen instant
      const customerId = (await api('GET', '/api/orders?limit=1')).body.items[0].customer_id as string;
      const products = (await api('GET', '/api/products?limit=200')).body.items as Array<{ product_id: string; stock_quantity: number }>;
      const product = products.sort((a, b) => b.stock_quantity - a.stock_quantity)[0];
      const placed = await api('POST', '/api/orders', { customer_id: customerId, items: [{ product_id: product.product_id, quantity: 1 }] });
      expect(placed.status).toBe(201);
      expect(placed.body.created_at).toBe(frozen);
      const moved = await api('PUT', `/api/orders/${placed.body.order_id}/status`, { status: 'confirmed' });
      expect(moved.status).toBe(200);
      expect(moved.body.order.updated_at).toBe(frozen);
      expect(moved.body.order.status_history.map((h: { at: string }) => h.at)).toEqual([frozen, frozen]);
    } finally {
      await api('PUT', '/api/simulation', { paused: false });
    }
  });
});
