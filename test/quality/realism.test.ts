/**
 * Believable data (issue 12): market × scenario years (a cross of them here, the whole grid in
 * `npm run test:scale`) through the in-process
 * engine, read by the data-quality report (quality/inspect.ts): no incoherent record, no
 * duplicate; the scenario's anomaly rate within ±1.5 pp; private customers' order values
 * under the bound each market documents; the calendar visible in the counts (Egypt's
 * Friday, Ramadan's evenings, Eid, Black Friday, quarter-end); visits and deliveries on
 * working days; the record estimate an upper bound; and `stream`'s default output inside
 * spec 004's field table over 10,000 orders.
 */
import { describe, expect, it } from 'vitest';
import { coherenceRules } from '../../src/catalog/coherence.js';
import { allMarkets, getMarket } from '../../src/catalog/index.js';
import { validateMarketPack } from '../../src/catalog/schema.js';
import type { MarketPack } from '../../src/catalog/types.js';
import { salesOf, streamScenario, type StreamStats } from '../../src/cli/commands/stream.js';
import { ORDER_ANOMALY_KINDS } from '../../src/domain/anomalies.js';
import { Sale } from '../../src/domain/events.js';
import { DatasetInspector, type InspectReport } from '../../src/quality/inspect.js';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { getScenario } from '../../src/scenarios/resolve.js';
import { createLiveSimulation } from '../../src/simulation/live.js';
import { World } from '../../src/simulation/world.js';
import { runEngine } from '../helpers/engine.js';
import { expectEstimateBounds } from '../helpers/estimate.js';
import { FULL_SCALE } from '../helpers/scale.js';

/** Every built-in pack, each checked against the market schema (a broken one throws here, naming the field). */
const MARKETS = allMarkets();

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PP = 0.015;

/** The 99th percentile of a private customer's order value each market promises (README: realism rules). */
export const B2C_P99_BOUND: Record<string, number> = { 'egypt-coffee': 20_000, 'us-electronics': 4_000, 'global-components': 5_000 };

interface Year {
  world: World;
  report: InspectReport;
  matureOrders: number;
  matureInjected: number;
  /** Orders and business orders per local day number. */
  perDay: Map<number, { orders: number; b2b: number }>;
  /** Orders per local hour, on Ramadan days and on others. */
  ramadanHours: number[];
  otherHours: number[];
  visitsOffWork: number;
  visits: number;
  deliveriesOnClosedDays: number;
  deliveries: number;
}

async function year(market: string, scenario: string, multiplier: number): Promise<Year> {
  let inspector: DatasetInspector | null = null;
  const y: Omit<Year, 'world' | 'report'> = {
    matureOrders: 0,
    matureInjected: 0,
    perDay: new Map(),
    ramadanHours: new Array<number>(24).fill(0),
    otherHours: new Array<number>(24).fill(0),
    visitsOffWork: 0,
    visits: 0,
    deliveriesOnClosedDays: 0,
    deliveries: 0,
  };
  const kinds = new Set<string>(ORDER_ANOMALY_KINDS);
  const world = await runEngine({ scenario, market, multiplier }, (day, w) => {
    if (!inspector) {
      inspector = new DatasetInspector({ utcOffsetMinutes: w.offset, rules: coherenceRules(w.market) });
      inspector.companies(w.dims.companies);
      inspector.customers(w.dims.customers);
      inspector.products(w.dims.products);
    }
    inspector.orders(day.records.orders);
    inspector.orderItems(day.records.order_items);
    const injected = new Set(day.anomalies.filter((a) => a.cause === 'injected' && kinds.has(a.kind)).map((a) => a.order_id));
    for (const o of day.records.orders) {
      const t = Date.parse(o.order_date);
      const cal = w.dayAt(t);
      const d = y.perDay.get(cal.day) ?? { orders: 0, b2b: 0 };
      d.orders++;
      if (o.company_id) d.b2b++;
      y.perDay.set(cal.day, d);
      const hour = Math.floor((((t + w.offset * 60_000) % DAY) + DAY) % DAY / HOUR);
      (cal.names.includes('Ramadan') ? y.ramadanHours : y.otherHours)[hour]++;
      if (t < w.asOfMs - 120 * DAY) {
        y.matureOrders++;
        if (injected.has(o.order_id)) y.matureInjected++;
      }
      if (o.delivered_at) {
        y.deliveries++;
        if (w.dayAt(Date.parse(o.delivered_at)).closed) y.deliveriesOnClosedDays++;
      }
    }
    for (const v of day.records.maintenance_visits) {
      y.visits++;
      if (!w.dayAt(Date.parse(v.scheduled_at)).working) y.visitsOffWork++;
    }
  });
  return { world, report: (inspector as DatasetInspector | null)!.report(), ...y };
}

/**
 * The scenarios and markets the checks below run on: every scenario in one market in turn (so
 * every market twice) and normal-ops in every market; `npm run test:scale` runs them all, every
 * scenario in every market (realism.scale.ts).
 */
const grid: Array<[scenario: string, market: string]> = BUILT_IN_SCENARIOS.flatMap((s, i) =>
  MARKETS.filter((m, j) => FULL_SCALE || s.name === 'normal-ops' || j === i % MARKETS.length).map((m) => [s.name, m.id] as [string, string]),
);

/**
 * Normal-ops at ×1 is run once per market and serves both its market's row below and the
 * calendar tests (which need ×1 for their day counts); only those years are kept, since a
 * year kept on the heap slows every later collection. The other scenarios run at ×0.4.
 */
const normalYears = new Map<string, Promise<Year>>();
function yearOf(market: string, scenario: string, multiplier: number): Promise<Year> {
  if (scenario !== 'normal-ops' || multiplier !== 1) return year(market, scenario, multiplier);
  let y = normalYears.get(market);
  if (!y) normalYears.set(market, (y = year(market, scenario, multiplier)));
  return y;
}

describe('market packs', () => {
  it.each(MARKETS.map((m) => [m.id, m] as const))('%s: ≥ 500 first and last names, weighted; brand words name no place', (_, m: MarketPack) => {
    expect(new Set(m.people.firstNames.map((n) => n.en)).size).toBeGreaterThanOrEqual(500);
    expect(new Set(m.people.lastNames.map((n) => n.en)).size).toBeGreaterThanOrEqual(500);
    expect(new Set(m.people.firstNames.map((n) => n.weight)).size).toBeGreaterThan(10);
    const places = new Set(coherenceRules(m).placeNames);
    for (const w of [...m.companies.brandWords, ...m.companies.brandCores]) expect(places.has(w.en), w.en).toBe(false);
  });

  it('every built-in pack passes the market schema (checked when first used, not at import)', () => {
    for (const m of MARKETS) expect(() => validateMarketPack(m), m.id).not.toThrow();
  });

  it('refuses a pack whose data breaks a rule, naming the field', () => {
    const egypt = getMarket('egypt-coffee');
    const broken = { ...egypt, calendar: { ...egypt.calendar, dayOfWeek: { ...egypt.calendar.dayOfWeek, b2b: [1, 1, 1] } } };
    expect(() => validateMarketPack(broken)).toThrow(/calendar\.dayOfWeek\.b2b/);
    const shared = { ...egypt, companies: { ...egypt.companies, naming: egypt.companies.naming.map((n) => ({ ...n, words: [{ en: 'Hotel' }] })) } };
    expect(() => validateMarketPack(shared)).toThrow(/one segment only/);
  });

  it('dimension tables at scale (×5): every company, customer and product coherent, no duplicate', () => {
    for (const m of MARKETS) {
      for (const s of BUILT_IN_SCENARIOS) {
        const world = new World({ seed: 99, from: '2024-06-01', to: '2024-06-01', multiplier: 5, scenario: s, marketId: m.id });
        const inspector = new DatasetInspector({ utcOffsetMinutes: world.offset, rules: coherenceRules(m) });
        inspector.companies(world.dims.companies);
        inspector.customers(world.dims.customers);
        inspector.products(world.dims.products);
        const r = inspector.report();
        expect(r.violations, `${m.id} × ${s.name}`).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.coherence.find((c) => c.check === 'company_segment')!.rows).toBe(world.dims.companies.length);
        expect(r.coherence.find((c) => c.check === 'email_unique')!.rows).toBe(world.dims.customers.length);
      }
    }
    // The checks can fail: the audit's own examples.
    const inspector = new DatasetInspector({ utcOffsetMinutes: 120, rules: coherenceRules(getMarket('egypt-coffee')) });
    const company = { ...new World({ seed: 1, from: '2024-01-01', to: '2024-01-01', multiplier: 1, scenario: getScenario('normal-ops'), marketId: 'egypt-coffee' }).dims.companies[0] };
    inspector.companies([
      { ...company, company_id: 'C1', name: 'El Safa Jasmine Supermarket', segment: 'hotel' },
      { ...company, company_id: 'C2', name: 'Green Luxor Restaurant', segment: 'restaurant', city: 'El Tor', area: 'El Tor' },
    ]);
    const product = { product_id: 'P1', sku: 'X', name: 'Turkish Coffee 500 g', name_ar: null, category: 'Turkish Coffee', supplier_id: 'S', unit: 'kg bag', unit_price: 431.48, currency: 'EGP', popularity_rank: 1, stock_quantity: 1, reorder_threshold: 1, created_at: '2024-01-01T00:00:00.000Z' };
    inspector.products([product, { ...product, product_id: 'P2', name: 'Turkish Coffee 1 kg', unit: '1 kg bag', unit_price: 993.03 }]);
    expect(inspector.report().coherence.filter((c) => c.violations > 0).map((c) => c.check).sort()).toEqual(['company_location', 'company_segment', 'pack_price', 'unit_pack']);
  });
});

describe.each(MARKETS.map((m) => m.id))('a year of %s', (market) => {
  it.each(grid.filter(([, m]) => m === market).map(([s]) => s))('%s: coherent, no duplicates, anomalies at the rate (±1.5 pp), B2C p99 under the bound, visits and deliveries on working days', async (scenario) => {
    const y = await yearOf(market, scenario, scenario === 'normal-ops' ? 1 : 0.4);
    const privateP99 = y.report.distributions.orderValueBySegment.private?.p99;
    console.log(`${market} × ${scenario}: injected anomalies on ${(100 * (y.matureInjected / y.matureOrders)).toFixed(2)}% of ${y.matureOrders} mature orders (configured ${100 * y.world.scenario.anomalyRate}%), B2C p99 ${privateP99}`);
    expect(y.report.violations).toEqual([]);
    expect(y.report.duplicates).toEqual({ order_id: 0, customer_email: 0, company_name: 0, customer_id: 0, product_id: 0 });
    for (const c of y.report.coherence) if (c.check !== 'pack_price' && c.check !== 'unit_pack') expect(c.rows, c.check).toBeGreaterThan(0);
    expect(y.matureOrders).toBeGreaterThan(3_000);
    expect(Math.abs(y.matureInjected / y.matureOrders - y.world.scenario.anomalyRate)).toBeLessThan(PP);
    const privateValues = y.report.distributions.orderValueBySegment.private;
    expect(privateValues.orders).toBeGreaterThan(200);
    expect(privateValues.p99).toBeLessThan(B2C_P99_BOUND[market]);
    expect(y.visits).toBeGreaterThan(50);
    expect(y.visitsOffWork).toBe(0);
    expect(y.deliveries).toBeGreaterThan(1_000);
    expect(y.deliveriesOnClosedDays).toBe(0);
    // Households buy a few units; businesses by the dozen.
    const units = (m: Record<string, number>) => {
      const n = Object.values(m).reduce((a, b) => a + b, 0);
      return { n, mean: Object.entries(m).reduce((a, [k, v]) => a + Number(k) * v, 0) / n, upTo3: Object.entries(m).reduce((a, [k, v]) => a + (Number(k) <= 3 ? v : 0), 0) / n };
    };
    const b2c = units(y.report.distributions.unitsB2c);
    const b2b = units(y.report.distributions.unitsB2b);
    if (market !== 'global-components') expect(b2c.upTo3).toBeGreaterThan(0.8);
    expect(b2b.mean).toBeGreaterThan(1.5 * b2c.mean);
  });
});

describe('the calendar in the counts', () => {
  const ratioOf = (y: Year, pick: (day: ReturnType<World['dayAt']>) => boolean, field: 'orders' | 'b2b' = 'orders') => {
    let sum = 0;
    let days = 0;
    for (const [n, c] of y.perDay) {
      if (!pick(y.world.calendar.day(n))) continue;
      sum += c[field];
      days++;
    }
    return { mean: sum / Math.max(1, days), days };
  };

  it('Egypt: Friday orders under 40% of a Sunday\'s, businesses nearly silent on Fridays and Eid, Ramadan\'s evening peak', async () => {
    const y = await yearOf('egypt-coffee', 'normal-ops', 1);
    const friday = ratioOf(y, (d) => d.weekday === 5 && d.names.length === 0);
    const sunday = ratioOf(y, (d) => d.weekday === 0 && d.names.length === 0);
    console.log(`egypt: Friday/Sunday ${(friday.mean / sunday.mean).toFixed(3)}`);
    expect(friday.days).toBeGreaterThan(40);
    expect(friday.mean / sunday.mean).toBeLessThan(0.4);
    expect(ratioOf(y, (d) => d.weekday === 5, 'b2b').mean / ratioOf(y, (d) => d.weekday === 0 && d.working, 'b2b').mean).toBeLessThan(0.1);
    const eid = ratioOf(y, (d) => d.names.includes('Eid al-Fitr'), 'b2b');
    expect(eid.days).toBe(3);
    expect(eid.mean / ratioOf(y, (d) => d.working && d.names.length === 0, 'b2b').mean).toBeLessThan(0.3);
    const evening = (h: number[]) => (h[20] + h[21] + h[22] + h[23]) / h.reduce((a, b) => a + b, 0);
    console.log(`egypt: orders 20:00–24:00 in Ramadan ${(100 * evening(y.ramadanHours)).toFixed(1)}%, otherwise ${(100 * evening(y.otherHours)).toFixed(1)}%`);
    expect(y.ramadanHours.reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    expect(evening(y.ramadanHours)).toBeGreaterThan(3 * evening(y.otherHours));
    // The late-evening hours are Ramadan's busiest; outside Ramadan, the late morning.
    expect(y.ramadanHours.indexOf(Math.max(...y.ramadanHours))).toBeGreaterThanOrEqual(20);
    expect(y.otherHours.indexOf(Math.max(...y.otherHours))).toBeLessThan(14);
  });

  it('US electronics: Black Friday and Cyber Monday at least twice a normal Friday and Monday; Christmas Day quiet', async () => {
    const y = await yearOf('us-electronics', 'normal-ops', 1);
    const normal = (weekday: number) => ratioOf(y, (d) => d.weekday === weekday && d.names.length === 0 && new Date(d.day * DAY).getUTCMonth() >= 8 && new Date(d.day * DAY).getUTCMonth() <= 9).mean;
    const bf = ratioOf(y, (d) => d.names.includes('Black Friday'));
    const cm = ratioOf(y, (d) => d.names.includes('Cyber Monday'));
    console.log(`us-electronics: Black Friday ${(bf.mean / normal(5)).toFixed(2)}× a normal Friday, Cyber Monday ${(cm.mean / normal(1)).toFixed(2)}× a normal Monday`);
    expect(bf.days).toBe(1);
    expect(bf.mean / normal(5)).toBeGreaterThanOrEqual(2);
    expect(cm.mean / normal(1)).toBeGreaterThanOrEqual(2);
    expect(ratioOf(y, (d) => d.names.includes('Christmas Day')).mean).toBeLessThan(0.6 * normal(3));
  });

  it('global components: the last five working days of a quarter busier than the rest', async () => {
    const y = await yearOf('global-components', 'normal-ops', 1);
    const quarterEnd = ratioOf(y, (d) => d.working && d.names.includes('Quarter-end'));
    const rest = ratioOf(y, (d) => d.working && d.names.length === 0);
    console.log(`global-components: quarter-end ${(quarterEnd.mean / rest.mean).toFixed(2)}× other working days`);
    expect(quarterEnd.days).toBeGreaterThanOrEqual(18);
    expect(quarterEnd.mean / rest.mean).toBeGreaterThan(1.3);
  });
});

describe('the record estimate', () => {
  it(`is an upper bound on ${FULL_SCALE ? 'every scenario in every market' : 'a cross of scenarios and markets (every one of each)'}, at small and large multipliers`, async () => {
    const ratios: string[] = [];
    for (const [scenario, market] of grid) for (const multiplier of [0.2, 2]) ratios.push(await expectEstimateBounds(getScenario(scenario), market, multiplier));
    console.log(`records / estimate: ${ratios.join(', ')}`);
  }, 600_000);
});

describe('stream without --scenario: spec 004 exactly', () => {
  it('10,000 orders: quantities 1–5, the four statuses in order, prices varying inside each category\'s range, every field as the table says', async () => {
    const { scenario, marketId } = await streamScenario({});
    expect(marketId).toBe('us-electronics');
    const market = getMarket(marketId);
    const range = new Map(market.products.categories.flatMap((c) => c.items.map((i) => [i.en, c.priceRange] as const)));
    const start = Date.parse('2025-03-03T09:00:00Z');
    const sim = createLiveSimulation({ scenario, marketId, seed: 12345, startMs: start, arrivals: { mode: 'delay', delaySeconds: [1, 5] } });
    const stats: StreamStats = { newOrders: 0, transitions: 0, shipped: 0, cancelled: 0, active: 0 };
    const byOrder = new Map<string, string[]>();
    const prices = new Map<string, Set<number>>();
    // 10,000 orders at 1–5 s: about 8.3 hours, and a few minutes for the last to ship.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 20) problems.push(what);
    };
    for (let t = start + 8 * HOUR; stats.newOrders < 10_000; t += HOUR) {
      for (const sale of salesOf(sim.advanceTo(t), start, stats)) {
        const id = sale.order_id;
        check(Sale.safeParse(sale).success, `${id}: not a strict sale object`);
        check(/^ORD-\d{8}$/.test(id), `${id}: order_id`);
        check(/^PROD-0(0[1-9]|1[0-5])$/.test(sale.product_id), `${id}: product_id ${sale.product_id}`);
        check(/^CUST-\d{6}$/.test(sale.customer_id), `${id}: customer_id ${sale.customer_id}`);
        check(Number.isInteger(sale.quantity) && sale.quantity >= 1 && sale.quantity <= 5, `${id}: quantity ${sale.quantity}`);
        check(['pending', 'confirmed', 'processing', 'shipped'].includes(sale.status), `${id}: status ${sale.status}`);
        const [lo, hi] = range.get(sale.product_name)!;
        check(sale.price >= lo && sale.price <= hi, `${id}: price ${sale.price} outside ${lo}–${hi}`);
        check(Math.round(sale.total * 100) === Math.round(sale.quantity * sale.price * 100), `${id}: total ${sale.total}`);
        check(['credit_card', 'debit_card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer'].includes(sale.payment_method), `${id}: payment_method`);
        check(/^[a-z0-9._]+@example\.(com|org|net)$/.test(sale.customer_email), `${id}: email ${sale.customer_email}`);
        check(/^[A-Z]{2}$/.test(sale.shipping_address.state) && /^\d{5}$/.test(sale.shipping_address.zip_code) && /^[A-Z]{3}$/.test(sale.shipping_address.country), `${id}: address`);
        check(new Date(sale.timestamp).toISOString() === sale.timestamp, `${id}: timestamp ${sale.timestamp}`);
        byOrder.set(id, [...(byOrder.get(id) ?? []), sale.status]);
        if (sale.status === 'pending') prices.set(sale.product_id, (prices.get(sale.product_id) ?? new Set()).add(sale.price));
      }
    }
    expect(problems).toEqual([]);
    sim.advanceTo(sim.now + 10 * 60_000);
    expect(stats.cancelled).toBe(0);
    const outOfOrder = [...byOrder].filter(([, statuses]) => statuses.join() !== ['pending', 'confirmed', 'processing', 'shipped'].slice(0, statuses.length).join());
    expect(outOfOrder).toEqual([]);
    expect(byOrder.size).toBeGreaterThanOrEqual(10_000);
    // Prices vary around each product's list price (every product, many distinct prices).
    expect(prices.size).toBe(15);
    for (const [id, set] of prices) expect(set.size, id).toBeGreaterThan(5);
  }, 120_000);
});
