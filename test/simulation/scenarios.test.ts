/** Each built-in scenario does what spec 002 says it does, compared with normal-ops on the same seed. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyLabel } from '../../src/domain/anomalies.js';
import { Order } from '../../src/domain/entities.js';
import { Sale } from '../../src/domain/events.js';
import { saleView } from '../../src/cli/commands/stream.js';
import { runEngine } from '../helpers/engine.js';

const DAY = 86_400_000;

async function summary(scenario: string, extra: { from?: string; to?: string; multiplier?: number; market?: string } = {}) {
  let orders = 0;
  let cancelled = 0;
  let delivered = 0;
  let firstHalf = 0;
  let secondHalf = 0;
  let duePayments = 0;
  let overdueLabels = 0;
  const world = await runEngine({ scenario, multiplier: extra.multiplier ?? 1, ...extra }, (day, w) => {
    const mid = (w.startMs + w.asOfMs) / 2;
    for (const o of day.records.orders) {
      orders++;
      if (o.status === 'cancelled') cancelled++;
      if (o.status === 'delivered') delivered++;
      if (Date.parse(o.order_date) < mid) firstHalf++;
      else secondHalf++;
    }
    for (const p of day.records.payments) if (p.status !== 'void' && Date.parse(p.due_at) + DAY < w.asOfMs) duePayments++;
    overdueLabels += day.anomalies.filter((a: AnomalyLabel) => a.kind === 'overdue_payment').length;
  });
  return { world, orders, cancelled, delivered, firstHalf, secondHalf, duePayments, overdueLabels };
}

// A year at ×1 (~18,600 normal-ops orders): the comparisons are of planned volumes on one seed,
// not of sampling noise, and come out as at ×2 (peak/normal 3.141 vs 3.142, growth's second half
// 1.68× its first vs 1.69×, outage cancellations 33.1% vs 2.6–3.1% normal). payment-crisis at ×3:
// ~51,000 due payments, where 30% has a standard error of 0.2 pp (±1.5 pp is 7σ).
describe('built-in scenarios', () => {
  let normal: Awaited<ReturnType<typeof summary>>;
  beforeAll(async () => {
    normal = await summary('normal-ops');
  });

  it('peak-season: 3× the orders of normal-ops', async () => {
    const peak = await summary('peak-season');
    expect(peak.orders / normal.orders).toBeGreaterThan(2.85);
    expect(peak.orders / normal.orders).toBeLessThan(3.15);
  });

  it('growth-phase: 2× the companies and rising orders', async () => {
    const growth = await summary('growth-phase');
    expect(growth.world.dims.companies.length).toBe(2 * normal.world.dims.companies.length);
    expect(growth.secondHalf / growth.firstHalf).toBeGreaterThan(1.4);
    expect(normal.secondHalf / normal.firstHalf).toBeLessThan(1.15);
  });

  it('payment-crisis: 30% of due payments overdue (± 1.5 pp)', async () => {
    const crisis = await summary('payment-crisis', { multiplier: 3 });
    expect(crisis.duePayments).toBeGreaterThan(30_000);
    expect(Math.abs(crisis.overdueLabels / crisis.duePayments - 0.3)).toBeLessThan(0.015);
  });

  it('warehouse-outage: fewer deliveries and far more cancellations', async () => {
    const outage = await summary('warehouse-outage');
    expect(outage.cancelled / outage.orders).toBeGreaterThan(4 * (normal.cancelled / normal.orders));
    expect(outage.delivered / outage.orders).toBeLessThan(normal.delivered / normal.orders - 0.1);
  });
});

describe('the us-electronics market (spec 004)', () => {
  it('produces spec 004 sales: 15 products, one line, 1–5 units (bulk: more), total = quantity × price, US addresses', async () => {
    const productIds = new Set<string>();
    let n = 0;
    await runEngine({ scenario: 'normal-ops', market: 'us-electronics', from: '2024-03-01', to: '2024-03-31', multiplier: 4 }, (day) => {
      for (const o of day.records.orders) {
        n++;
        productIds.add(o.product_id);
        expect(Order.safeParse(o).success).toBe(true);
        const sale = Sale.parse(saleView({ ...o, timestamp: o.created_at, status: 'pending' }));
        expect(sale.order_id).toMatch(/^ORD-\d{8}$/);
        expect(o.customer_id).toMatch(/^CUST-\d{6}$/);
        expect(o.items_count).toBe(1);
        // spec 004's 1–5 units; spec 000's bulk orders multiply them (businesses ×3–10, households ×2–3).
        const [lo, hi] = o.pattern_type === 'bulk_orders' ? (o.company_id ? [3, 50] : [2, 15]) : [1, 5];
        expect(o.quantity).toBeGreaterThanOrEqual(lo);
        expect(o.quantity).toBeLessThanOrEqual(hi);
        expect(Math.round(o.total * 100)).toBe(Math.round(o.quantity * o.price * 100));
        expect(o.shipping_address.state).toMatch(/^[A-Z]{2}$/);
        expect(o.shipping_address.country).toBe('USA');
      }
    });
    expect(n).toBeGreaterThan(5_000);
    expect([...productIds].sort()).toEqual(Array.from({ length: 15 }, (_, i) => `PROD-${String(i + 1).padStart(3, '0')}`));
  });
});

describe('the egypt-coffee market (spec 002)', () => {
  it('writes bilingual companies with Egyptian tax numbers, +20 phones and A/B delivery regions', async () => {
    const world = await runEngine({ scenario: 'normal-ops', from: '2024-01-01', to: '2024-01-01' }, () => undefined);
    for (const c of world.dims.companies) {
      expect(c.tax_number).toMatch(/^\d{3}-\d{3}-\d{3}$/);
      expect(c.phone).toMatch(/^\+20 1[0125] \d{4} \d{4}$/);
      expect(['A', 'B']).toContain(c.delivery_region);
      expect(c.name_ar).toMatch(/[\u0600-\u06ff]/);
      expect(c.currency).toBe('EGP');
    }
    // Arabic head nouns lead the name: "Nile Restaurant" is "مطعم النيل".
    const restaurant = world.dims.companies.find((c) => c.name.endsWith(' Restaurant'));
    expect(restaurant?.name_ar?.startsWith('مطعم')).toBe(true);
    const trading = world.dims.companies.find((c) => c.name.endsWith(' Trading Co.'));
    expect(trading?.name_ar?.endsWith('للتجارة')).toBe(true);
  });
});

describe('the global-components market (spec 000)', () => {
  it('orders from spec 000\'s six suppliers and ten products, in its five regions', async () => {
    const suppliers = new Set<string>();
    const regions = new Set<string>();
    const world = await runEngine({ scenario: 'normal-ops', market: 'global-components', from: '2024-03-01', to: '2024-03-31', multiplier: 2 }, (day) => {
      for (const o of day.records.orders) {
        suppliers.add(o.supplier_id);
        regions.add(o.region);
      }
    });
    expect(world.dims.suppliers.map((s) => s.name)).toEqual(['TechCorp Solutions', 'Global Parts Inc', 'Budget Suppliers Ltd', 'Premium Components', 'FastTrack Logistics', 'Reliable Systems']);
    expect(world.dims.products.map((p) => p.name).sort()).toEqual(['Aluminum parts', 'Cables', 'Circuit boards', 'Connectors', 'Electronic sensors', 'Memory chips', 'Microprocessors', 'Plastic materials', 'Power supplies', 'Steel components']);
    expect([...regions].sort()).toEqual(['Asia Pacific', 'Europe', 'Latin America', 'Middle East & Africa', 'North America']);
    expect(suppliers.size).toBeGreaterThan(1);
  });
});
