/**
 * One example payload per event type: the AsyncAPI document shows them, and a test event
 * (POST /stream/test/emit-event) is the example of its type, so even a test event parses
 * with its type's schema. A test checks every example against the contract.
 */
import type { EventData, EventType } from './event-data.js';

const order: EventData<'order.created'> = {
  order_id: 'ORD-93239605',
  timestamp: '2025-03-03T09:14:05.120Z',
  product_id: 'PROD-004',
  product_name: 'USB-C Cable',
  quantity: 3,
  price: 11.16,
  total: 33.48,
  customer_id: 'CUST-968801',
  customer_email: 'michael.campbell@example.org',
  payment_method: 'credit_card',
  shipping_address: { street: '40772 Amy Parks', city: 'Denver', state: 'CO', zip_code: '80202', country: 'USA' },
  status: 'pending',
  items_count: 1,
  total_amount: 33.48,
  currency: 'USD',
  pattern_type: 'regular_orders',
  priority: 'medium',
  region: 'Mountain',
  expected_delivery: '2025-03-06T18:00:00.000Z',
};

const rowChange: EventData<'db.orders.update'> = {
  table: 'orders',
  op: 'update',
  row_id: 'ORD-93239605',
  change_id: 1841,
  old: { order_id: 'ORD-93239605', status: 'pending' },
  new: { order_id: 'ORD-93239605', status: 'confirmed' },
  changed_at: '2025-03-03T09:14:27.004Z',
};

const job = {
  job_id: 'job-5f2c9a1e',
  scenario: 'normal-ops',
  currentEntity: 'orders',
  progressPercent: 45,
  throughput: 120_500,
  recordsGenerated: { users: 20, companies: 100, orders: 4500 },
  recordsTotal: 58_000,
  etaSeconds: 3,
};

const period = {
  orders: 52,
  revenue: 3120.55,
  currency: 'USD',
  average_order_value: 60.01,
  delayed: 1,
  by_status: { pending: 52, shipped: 48, delivered: 45, failed: 1, cancelled: 2 },
  by_region: { California: 9, Texas: 6 },
  by_pattern: { rush_orders: 8, bulk_orders: 5, regular_orders: 31, premium_orders: 5, delayed_orders: 3 },
  top_products: [{ product_id: 'PROD-004', product_name: 'USB-C Cable', units: 31 }],
};

export const EVENT_EXAMPLES: { [T in EventType]: EventData<T> } = {
  'order.created': order,
  'order.updated': { ...order, timestamp: '2025-03-03T09:14:27.004Z', status: 'confirmed' },
  'order.cancelled': { ...order, timestamp: '2025-03-03T09:20:11.500Z', status: 'cancelled', reason: 'customer_request' },
  'order.delivered': { ...order, timestamp: '2025-03-05T14:02:00.000Z', status: 'delivered', delivery_date: '2025-03-05T14:02:00.000Z' },
  'shipment.failed': { order_id: 'ORD-93239605', shipment_id: 'SHP-93239605', carrier: 'UPS', tracking_number: '1Z999AA10123456784', attempt: 1, reason: 'recipient_absent' },
  'stock.updated': {
    product_id: 'PROD-004',
    product_name: 'USB-C Cable',
    previous_stock: 120,
    current_stock: 117,
    movement_id: 'MOV-20250303-000042',
    movement_type: 'fulfilment',
    reason: null,
    order_id: 'ORD-93239605',
  },
  'stock.low': { product_id: 'PROD-004', product_name: 'USB-C Cable', current_stock: 9, threshold: 10 },
  'stock.out': { product_id: 'PROD-004', product_name: 'USB-C Cable' },
  'stock.ordered': {
    product_id: 'PROD-004',
    product_name: 'USB-C Cable',
    purchase_order_id: 'PO-000017',
    quantity: 240,
    supplier_id: 'SUP-002',
    expected_arrival: '2025-03-06T11:30:00.000Z',
    placed_by: 'policy',
  },
  'stock.replenished': { product_id: 'PROD-004', product_name: 'USB-C Cable', quantity_added: 240, new_stock: 249, supplier_id: 'SUP-002', purchase_order_id: 'PO-000017' },
  'alert.low_stock': {
    alert_id: 'ALR-20250303-000007',
    alert_level: 'warning',
    affected_products: [{ product_id: 'PROD-004', product_name: 'USB-C Cable', current_stock: 3, threshold: 4, reorder_point: 10 }],
  },
  'alert.reorder_needed': {
    alert_id: 'ALR-20250303-000008',
    product_id: 'PROD-004',
    product_name: 'USB-C Cable',
    current_stock: 9,
    stock_position: 9,
    reorder_point: 10,
    recommended_quantity: 240,
    supplier_id: 'SUP-002',
    purchase_order_id: 'PO-000017',
    expected_arrival: '2025-03-06T11:30:00.000Z',
  },
  'alert.stockout_risk': {
    alert_id: 'ALR-20250303-000009',
    product_id: 'PROD-004',
    product_name: 'USB-C Cable',
    current_stock: 9,
    days_until_stockout: 1.25,
    daily_demand: 7.2,
    next_delivery: '2025-03-06T11:30:00.000Z',
  },
  'alert.dead_stock': { alert_id: 'ALR-20250303-000010', product_id: 'PROD-013', product_name: 'Desk Organizer', days_since_sale: 31, current_stock: 40, value: 796, currency: 'USD' },
  'alert.broadcast': { alert_id: 'b6b1a3c2-8f0e-4f67-9e59-3a1d2c4b5e6f', level: 'warning', title: 'Low Stock', message: 'Product X below threshold' },
  'forecast.generated': {
    forecast_id: 'FC-20250303-000012',
    scope: 'category',
    category: 'Computer Accessories',
    product_id: null,
    product_name: null,
    horizon: '14d',
    start_date: '2025-03-03',
    predicted_demand: 182.4,
    unit: 'units',
    method: 'holt_winters',
    interval: 0.95,
    daily: [{ date: '2025-03-03', demand: 11.6, expected: 13.1, lower: 3.2, upper: 30.5 }],
  },
  'forecast.updated': {
    forecast_id: 'FC-20250304-000013',
    scope: 'category',
    category: 'Computer Accessories',
    horizon: '14d',
    start_date: '2025-03-04',
    old_forecast: 182.4,
    new_forecast: 176.9,
    daily: [{ date: '2025-03-04', demand: 12.1, expected: 13.6, lower: 3.4, upper: 31.2 }],
  },
  'model.retrained': {
    category: 'Computer Accessories',
    method: 'holt_winters',
    reason: 'schedule',
    training_days: 365,
    holdout_days: 28,
    metrics: { mape: 0.412, mae: 4.1, bias: -0.8, baseline_mape: 0.553 },
    parameters: { alpha: 0.05, beta: 0, gamma: 0.1, phi: 0.98 },
  },
  'analytics.daily_summary': {
    date: '2025-03-03',
    ...period,
  },
  'analytics.monthly_report': { month: '2025-03', ...period, orders: 1544, revenue: 95_210.4, average_order_value: 61.66 },
  'payment.completed': { payment_id: 'PAY-93239605', order_id: 'ORD-93239605', amount: 33.48, currency: 'USD', method: 'credit_card', batch_id: null },
  'payment.overdue': { payment_id: 'PAY-93239605', order_id: 'ORD-93239605', amount: 33.48, currency: 'USD', due_at: '2025-03-06T09:14:05.120Z' },
  'refund.requested': { refund_id: 'RFD-93239605', order_id: 'ORD-93239605', amount: 33.48, currency: 'USD', reason: 'damaged_item' },
  'refund.resolved': { refund_id: 'RFD-93239605', order_id: 'ORD-93239605', status: 'approved', amount: 33.48, currency: 'USD' },
  'job.progress': { ...job, status: 'generating', dry_run: false },
  'job.completed': {
    ...job,
    status: 'completed',
    progressPercent: 100,
    etaSeconds: 0,
    dry_run: true,
    error: null,
    result: { records: 58_000, counts: { users: 20, companies: 100, orders: 5010 }, elapsedMs: 480 },
  },
  'job.failed': { ...job, status: 'failed', dry_run: false, error: 'mock_data already holds data', result: null },
  'stream.gap': { requested_since: 120, oldest_available: 4021, missed: 3900, message: 'the server keeps the last 10000 events; 3900 after seq 120 are gone' },
  'stream.degraded': { component: 'store', reason: 'the database does not answer: connect ECONNREFUSED 127.0.0.1:5432', since: '2025-03-03T09:14:05.120Z' },
  'stream.recovered': { component: 'store', since: '2025-03-03T09:14:35.480Z', held_ms: 30360 },
  'db.orders.insert': { ...rowChange, op: 'insert', old: null },
  'db.orders.update': rowChange,
  'db.orders.delete': { ...rowChange, op: 'delete', new: null },
  'db.customers.insert': { ...rowChange, table: 'customers', row_id: 'CUST-968801', old: null, new: { customer_id: 'CUST-968801' } },
  'db.customers.update': { ...rowChange, table: 'customers', row_id: 'CUST-968801', old: { customer_id: 'CUST-968801' }, new: { customer_id: 'CUST-968801' } },
  'db.customers.delete': { ...rowChange, table: 'customers', op: 'delete', row_id: 'CUST-968801', old: { customer_id: 'CUST-968801' }, new: null },
  'db.products.insert': { ...rowChange, table: 'products', op: 'insert', row_id: 'PROD-004', old: null, new: { product_id: 'PROD-004', stock_quantity: 120 } },
  'db.products.update': { ...rowChange, table: 'products', row_id: 'PROD-004', old: { stock_quantity: 120 }, new: { stock_quantity: 117 } },
  'db.products.delete': { ...rowChange, table: 'products', op: 'delete', row_id: 'PROD-004', old: { product_id: 'PROD-004' }, new: null },
  'db.users.insert': { ...rowChange, table: 'users', op: 'insert', row_id: 'USR-0042', old: null, new: { user_id: 'USR-0042', role: 'support', active: true } },
  'db.users.update': { ...rowChange, table: 'users', row_id: 'USR-0042', old: { user_id: 'USR-0042', active: true }, new: { user_id: 'USR-0042', active: false } },
  'db.users.delete': { ...rowChange, table: 'users', op: 'delete', row_id: 'USR-0042', old: { user_id: 'USR-0042' }, new: null },
};

/** A test event's payload: the type's example, naming the product or order asked for where the type has one. */
export function testPayload<T extends EventType>(type: T, ids: { product_id?: string; order_id?: string }): EventData<T> {
  const data: Record<string, unknown> = structuredClone(EVENT_EXAMPLES[type]);
  if (ids.product_id !== undefined && 'product_id' in data) data.product_id = ids.product_id;
  if (ids.order_id !== undefined && 'order_id' in data) data.order_id = ids.order_id;
  if (ids.product_id !== undefined && Array.isArray(data.affected_products)) (data.affected_products[0] as Record<string, unknown>).product_id = ids.product_id;
  return data as EventData<T>;
}
