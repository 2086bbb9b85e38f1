/**
 * The peer for `generate`: the same order records (every field of our orders table) built
 * the way most mock-data scripts do it, with one plain seeded faker call per field.
 * Run: node dist/bench/faker-baseline.js [orders]
 */
import { faker } from '@faker-js/faker';
import { PATTERN_NAMES, type OrderRecord } from '../src/domain/entities.js';

const METHODS = ['credit_card', 'debit_card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer', 'cash_on_delivery'] as const;
const PATTERN_WEIGHTS = [10, 15, 60, 10, 5];
const STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered'] as const;
const FROM = new Date('2024-01-01T00:00:00Z');
const TO = new Date('2024-12-31T23:59:59Z');

function fakeOrder(): OrderRecord {
  const orderDate = faker.date.between({ from: FROM, to: TO });
  const quantity = faker.number.int({ min: 1, max: 5 });
  const price = faker.number.float({ min: 5, max: 500, fractionDigits: 2 });
  const total = Math.round(quantity * price * 100) / 100;
  const steps = faker.number.int({ min: 1, max: STATUSES.length });
  let at = orderDate.getTime();
  const history = STATUSES.slice(0, steps).map((status) => {
    at += faker.number.int({ min: 10_000, max: 60_000 });
    return { status, at: new Date(at).toISOString() };
  });
  const delivered = steps === STATUSES.length;
  return {
    order_id: `ORD-${faker.string.numeric(8)}`,
    customer_id: `CUST-${faker.string.numeric(6)}`,
    customer_email: faker.internet.email(),
    company_id: faker.datatype.boolean(0.8) ? `COMP-${faker.string.numeric(5)}` : null,
    branch_id: faker.datatype.boolean(0.3) ? `BR-${faker.string.numeric(5)}` : null,
    sales_rep_id: `USR-${faker.string.numeric(4)}`,
    supplier_id: `SUP-${faker.string.numeric(3)}`,
    pattern_type: faker.helpers.weightedArrayElement(PATTERN_NAMES.map((value, i) => ({ value, weight: PATTERN_WEIGHTS[i] }))),
    priority: faker.helpers.arrayElement(['urgent', 'high', 'medium', 'low'] as const),
    region: faker.location.state(),
    delivery_region: faker.helpers.arrayElement(['A', 'B']),
    product_id: `PROD-${faker.string.numeric(3)}`,
    product_name: faker.commerce.productName(),
    quantity,
    price,
    total,
    items_count: 1,
    subtotal: total,
    discount_amount: 0,
    total_amount: total,
    currency: 'USD',
    payment_method: faker.helpers.arrayElement(METHODS),
    shipping_address: {
      street: faker.location.streetAddress(),
      city: faker.location.city(),
      state: faker.location.state({ abbreviated: true }),
      zip_code: faker.location.zipCode('#####'),
      country: faker.location.countryCode('alpha-3'),
    },
    status: history[history.length - 1].status,
    status_history: history,
    order_date: orderDate.toISOString(),
    expected_delivery: faker.date.soon({ days: 14, refDate: orderDate }).toISOString(),
    delivered_at: delivered ? history[history.length - 1].at : null,
    tracking_number: steps >= 4 ? `TRK${faker.string.numeric(9)}` : null,
    cancellation_reason: null,
    notes: faker.lorem.sentence(),
    created_at: orderDate.toISOString(),
    updated_at: history[history.length - 1].at,
  };
}

/** Builds `count` orders and returns records per second (objects only, nothing serialised). */
export function fakerOrdersPerSecond(count: number, seed = 12345): number {
  faker.seed(seed);
  for (let i = 0; i < 2_000; i++) fakeOrder(); // warm-up
  const started = performance.now();
  let checksum = 0;
  for (let i = 0; i < count; i++) checksum += fakeOrder().quantity;
  const seconds = (performance.now() - started) / 1000;
  if (checksum <= 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return count / seconds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100_000);
  process.stdout.write(`${JSON.stringify({ orders: n, recordsPerSecond: Math.round(fakerOrdersPerSecond(n)) })}\n`);
}
