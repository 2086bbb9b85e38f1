/**
 * Shared by the management API tests: a server with a database on either backend, a small
 * dataset inserted row by row (every record checked against its entity schema first), an
 * HTTP helper, and a snapshot of everything a refused request must leave alone.
 */
import { ENTITY_SCHEMAS, type Entities, type EntityName, type OrderItemRecord, type OrderRecord, type ProductRecord } from '../../src/domain/entities.js';
import { insertRecords } from '../../src/store/queries/records.js';
import type { Queryable, Store } from '../../src/store/store.js';
import { inProcessServer } from '../helpers/server.js';
import { openTestStore, type BackendName } from '../helpers/store.js';

export type Server = Awaited<ReturnType<typeof inProcessServer>>;

export interface Backend {
  server: Server;
  /** The server's own database (for PGlite the in-process one; for PostgreSQL a connection of the test's). */
  db: Store;
  /** DATABASE_URL of the PostgreSQL database; null for PGlite. */
  url: string | null;
  close(): Promise<void>;
}

/** Deterministic servers: no simulation, no demo seed; mock data explicitly enabled on PostgreSQL (spec 002's server default is off). */
export const QUIET = { STORE_ENABLED: 'true', SIMULATION_ENABLED: 'false', STORE_SEED_DEMO: 'false' };

export async function startBackend(backend: BackendName, env: Record<string, string> = {}): Promise<Backend> {
  if (backend === 'pglite') {
    const server = await inProcessServer({ ...QUIET, ORDERSTREAM_DATA_DIR: 'memory', ...env });
    return { server, db: server.state.store!, url: null, close: () => server.close() };
  }
  const test = await openTestStore('postgres');
  if (!test) throw new Error('PostgreSQL is not available');
  const server = await inProcessServer({ ...QUIET, DATABASE_URL: test.url!, MOCK_DATA_ENABLED: 'true', ...env });
  return {
    server,
    db: test.store,
    url: test.url,
    close: async () => {
      await server.close();
      await test.close();
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One request; a string body is sent as is (malformed JSON), anything else as JSON. */
export async function call<T = any>(server: Server, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T), headers: res.headers };
}

// ——— the dataset ———

const T0 = '2024-01-01T00:00:00.000Z';

export const SUPPLIER: Entities['suppliers'] = {
  supplier_id: 'SUP-001',
  name: 'Nile Roasters',
  country: 'EGY',
  region: 'Cairo',
  lead_time_days_min: 1,
  lead_time_days_max: 3,
  email: 'sales@nile.test',
  phone: '+20 2 1234',
  rating: 4.5,
};

export const customer = (n: number, first: string, last: string): Entities['customers'] => ({
  customer_id: `CUST-${String(n).padStart(6, '0')}`,
  first_name: first,
  last_name: last,
  full_name: `${first} ${last}`,
  full_name_ar: null,
  email: `${first.toLowerCase()}@example.test`,
  phone: '+20 100 000',
  company_id: null,
  branch_id: null,
  tier: 'standard',
  region: 'Cairo',
  delivery_region: 'cairo',
  shipping_address: { street: `${n} Nile St`, city: 'Cairo', state: 'Cairo', zip_code: '11511', country: 'EGY' },
  created_at: T0,
});

export const CUSTOMERS = [customer(1, 'Mona', 'Saleh'), customer(2, 'Omar', 'Fathy')];

const product = (n: number, name: string, category: string, stock: number, threshold: number, price: number): ProductRecord => ({
  product_id: `PROD-${String(n).padStart(3, '0')}`,
  sku: `SKU-${n}`,
  name,
  name_ar: null,
  category,
  supplier_id: 'SUP-001',
  unit: 'piece',
  unit_price: price,
  currency: 'EGP',
  popularity_rank: n,
  stock_quantity: stock,
  reorder_threshold: threshold,
  created_at: T0,
});

/**
 * Names chosen for the LIKE tests: "100%" must not match "100 percent" (% as a wildcard
 * would), "cold_brew" must not match "coldXbrew" or "Cold brew" (_ as a wildcard would).
 */
export const PRODUCTS: ProductRecord[] = [
  product(1, 'Espresso beans 1kg', 'coffee', 10, 3, 19.99),
  product(2, 'Cold brew 100% Arabica', 'coffee', 2, 5, 45.5),
  product(3, 'cold_brew filter', 'equipment', 50, 5, 7.25),
  product(4, 'Back\\slash mug', 'merch', 0, 0, 12),
  product(5, "O'Reilly's tamper", 'merch', 5, 1, 30),
  product(6, 'Plain 100 percent blend', 'coffee', 100, 10, 25),
  product(7, 'coldXbrew kettle', 'equipment', 8, 2, 60),
  product(8, 'Race stock', 'coffee', 5, 1, 10),
  product(9, 'Simulation stock', 'coffee', 1000, 10, 5),
];

function seededOrder(n: number, customerIndex: number, status: OrderRecord['status'], day: number, history: OrderRecord['status'][]): { order: OrderRecord; item: OrderItemRecord } {
  const id = `ORD-${String(n).padStart(8, '0')}`;
  const c = CUSTOMERS[customerIndex];
  const p = PRODUCTS[0];
  const at = `2024-01-0${day}T10:00:00.000Z`;
  const order: OrderRecord = {
    order_id: id,
    customer_id: c.customer_id,
    customer_email: c.email,
    company_id: null,
    branch_id: null,
    sales_rep_id: null,
    supplier_id: p.supplier_id,
    pattern_type: 'regular_orders',
    priority: 'medium',
    region: c.region,
    delivery_region: c.delivery_region,
    product_id: p.product_id,
    product_name: p.name,
    quantity: 2,
    price: p.unit_price,
    total: 39.98,
    items_count: 1,
    subtotal: 39.98,
    discount_amount: 0,
    total_amount: 39.98,
    currency: 'EGP',
    payment_method: 'credit_card',
    shipping_address: c.shipping_address,
    status,
    status_history: history.map((s, i) => ({ status: s, at: `2024-01-0${day}T1${i}:00:00.000Z` })),
    order_date: at,
    expected_delivery: '2024-01-09T18:00:00.000Z',
    delivered_at: status === 'delivered' ? `2024-01-0${day}T1${history.length - 1}:00:00.000Z` : null,
    tracking_number: status === 'shipped' || status === 'delivered' ? `TRK00000${n}` : null,
    cancellation_reason: null,
    notes: '',
    created_at: at,
    updated_at: at,
  };
  const item: OrderItemRecord = {
    order_item_id: `${id}-1`,
    order_id: id,
    line_number: 1,
    product_id: p.product_id,
    product_name: p.name,
    quantity: 2,
    unit_price: p.unit_price,
    line_total: 39.98,
    discount_amount: 0,
    net_total: 39.98,
    fulfilment: 'allocated',
  };
  return { order, item };
}

/** Oldest first: ORD-00000010 (pending, Jan 2), ORD-00000020 (shipped, Jan 3), ORD-00000030 (delivered, Jan 4). */
export const ORDERS = [
  seededOrder(10, 0, 'pending', 2, ['pending']),
  seededOrder(20, 1, 'shipped', 3, ['pending', 'confirmed', 'processing', 'shipped']),
  seededOrder(30, 0, 'delivered', 4, ['pending', 'confirmed', 'processing', 'shipped', 'delivered']),
];

async function insertChecked<E extends EntityName>(db: Queryable, entity: E, records: Array<Entities[E]>): Promise<void> {
  for (const r of records) ENTITY_SCHEMAS[entity].parse(r);
  await insertRecords(db, entity, records);
}

export async function seed(db: Queryable): Promise<void> {
  await insertChecked(db, 'suppliers', [SUPPLIER]);
  await insertChecked(db, 'customers', CUSTOMERS);
  await insertChecked(db, 'products', PRODUCTS);
  await insertChecked(db, 'orders', ORDERS.map((o) => o.order));
  await insertChecked(db, 'order_items', ORDERS.map((o) => o.item));
}

// ——— what a refused request must not change ———

export interface Snapshot {
  tables: Record<string, number>;
  stock: Array<{ product_id: string; stock_quantity: number }>;
  orders: Array<{ order_id: string; status: string; updated_at: string; notes: string; steps: number }>;
  items: Array<{ order_item_id: string; fulfilment: string }>;
}

export async function snapshot(db: Queryable): Promise<Snapshot> {
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM mock_data.${table}`)).rows[0].n;
  const tables: Record<string, number> = {};
  for (const t of ['orders', 'order_items', 'products', 'customers', 'suppliers']) tables[t] = await count(t);
  const stock = (await db.query<Snapshot['stock'][number]>('SELECT product_id, stock_quantity FROM mock_data.products ORDER BY product_id')).rows;
  const orders = (
    await db.query<Snapshot['orders'][number]>('SELECT order_id, status, updated_at, notes, json_array_length(status_history::json) AS steps FROM mock_data.orders ORDER BY order_id')
  ).rows;
  const items = (await db.query<Snapshot['items'][number]>('SELECT order_item_id, fulfilment FROM mock_data.order_items ORDER BY order_item_id')).rows;
  return { tables, stock, orders, items };
}

export const stockOf = async (db: Queryable, id: string): Promise<number> =>
  (await db.query<{ stock_quantity: number }>('SELECT stock_quantity FROM mock_data.products WHERE product_id = $1', [id])).rows[0].stock_quantity;

/** SQL metacharacters and injection attempts that every string input must survive as plain text. */
export const NASTY = [`'; DROP TABLE mock_data.orders; --`, '%', '_', '\\', '"', "'", `%' OR '1'='1`, `x\\'; SELECT pg_sleep(2); --`];
