/**
 * The statistical promises of the engine, checked over a year of normal-ops × 6
 * (≥ 100,000 orders) with ±1.5 percentage points where a frequency is configured.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ANOMALY_KINDS, type AnomalyLabel } from '../../src/domain/anomalies.js';
import { PATTERN_NAMES, USER_ROLES, type OrderRecord } from '../../src/domain/entities.js';
import { ROLE_SHARES } from '../../src/simulation/dimensions.js';
import { dimensionKeys, emptyReport, mergeReports, validateDay, validateDimensions } from '../../src/simulation/validate.js';
import type { World } from '../../src/simulation/world.js';
import { runEngine } from '../helpers/engine.js';

const PP = 0.015;
const DAY = 86_400_000;

interface Stats {
  world: World;
  orders: number;
  patterns: Map<string, number>;
  methods: Map<string, number>;
  unitsByProduct: Map<string, number>;
  transitions: { pc: number[]; cp: number[]; ps: number[] };
  backordered: Set<string>;
  lateUnlabelled: number;
  delivered: number;
  matureOrders: number;
  matureWithInjected: number;
  violations: ReturnType<typeof emptyReport>;
}

async function collect(): Promise<Stats> {
  const s: Stats = {
    world: undefined as unknown as World,
    orders: 0,
    patterns: new Map(),
    methods: new Map(),
    unitsByProduct: new Map(),
    transitions: { pc: [], cp: [], ps: [] },
    backordered: new Set(),
    lateUnlabelled: 0,
    delivered: 0,
    matureOrders: 0,
    matureWithInjected: 0,
    violations: emptyReport(),
  };
  let keys: ReturnType<typeof dimensionKeys> | null = null;
  let placed = 0;
  s.world = await runEngine({ scenario: 'normal-ops', multiplier: 6 }, (day, world) => {
    keys ??= dimensionKeys(world.dims);
    placed += day.plan.count;
    mergeReports(s.violations, validateDay(day.records, keys, placed));
    // Orders that waited for stock (their processing waited too) carry a stockout label.
    for (const a of day.anomalies) if (a.kind === 'stockout' && a.order_id) s.backordered.add(a.order_id);
    const injected = new Set(day.anomalies.filter((a: AnomalyLabel) => a.cause === 'injected' && (ORDER_ANOMALY_KINDS as readonly string[]).includes(a.kind)).map((a) => a.order_id));
    const delayLabelled = new Set(day.anomalies.filter((a) => a.kind === 'delivery_delay').map((a) => a.order_id));
    for (const it of day.records.order_items) {
      s.unitsByProduct.set(it.product_id, (s.unitsByProduct.get(it.product_id) ?? 0) + it.quantity);
    }
    for (const o of day.records.orders as OrderRecord[]) {
      s.orders++;
      s.patterns.set(o.pattern_type, (s.patterns.get(o.pattern_type) ?? 0) + 1);
      s.methods.set(o.payment_method, (s.methods.get(o.payment_method) ?? 0) + 1);
      const at = Object.fromEntries(o.status_history.map((h) => [h.status, Date.parse(h.at)]));
      if (at.confirmed) s.transitions.pc.push((at.confirmed - at.pending) / 1000);
      if (at.processing && !s.backordered.has(o.order_id)) s.transitions.cp.push((at.processing - at.confirmed) / 1000);
      if (at.shipped) s.transitions.ps.push((at.shipped - at.processing) / 1000);
      if (o.delivered_at) {
        s.delivered++;
        if (Date.parse(o.delivered_at) > Date.parse(o.expected_delivery) && !delayLabelled.has(o.order_id)) s.lateUnlabelled++;
      }
      if (Date.parse(o.order_date) < world.asOfMs - 120 * DAY) {
        s.matureOrders++;
        if (injected.has(o.order_id)) s.matureWithInjected++;
      }
    }
  });
  mergeReports(s.violations, validateDimensions(s.world.dims));
  return s;
}

let s: Stats;
beforeAll(async () => {
  s = await collect();
});

describe('a year of normal-ops × 6', () => {
  it('has at least 100,000 orders', () => {
    expect(s.orders).toBeGreaterThanOrEqual(100_000);
  });

  it('follows the spec 000 pattern mix within ±1.5 pp', () => {
    for (const p of PATTERN_NAMES) {
      expect(Math.abs(s.patterns.get(p)! / s.orders - s.world.scenario.patterns[p].frequency), p).toBeLessThan(PP);
    }
  });

  it('follows the market\'s payment-method mix within ±1.5 pp', () => {
    const methods = s.world.market.orders.paymentMethods;
    const total = methods.reduce((a, m) => a + m.weight, 0);
    for (const m of methods) expect(Math.abs((s.methods.get(m.value) ?? 0) / s.orders - m.weight / total), m.value).toBeLessThan(PP);
  });

  it('gives users spec 002\'s roles (admin 5%, manager 15%, sales 50%, support 30%)', () => {
    const users = s.world.dims.users;
    for (const role of USER_ROLES) {
      expect(Math.abs(users.filter((u) => u.role === role).length / users.length - ROLE_SHARES[role]), role).toBeLessThan(PP);
    }
  });

  it('sells 75–85% of units from the top 20% of products (Zipf, 80/20)', () => {
    const units = [...s.unitsByProduct.values()].sort((a, b) => b - a);
    const top = units.slice(0, Math.round(s.world.dims.products.length * 0.2)).reduce((a, b) => a + b, 0);
    const share = top / units.reduce((a, b) => a + b, 0);
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(share).toBeLessThanOrEqual(0.85);
  });

  it('keeps lifecycle timings inside the configured ranges (spec 004: 10–30 s, 15–45 s, 20–60 s)', () => {
    const { lifecycle } = s.world.scenario;
    const within = (xs: number[], [lo, hi]: readonly [number, number]) => {
      expect(xs.length).toBeGreaterThan(50_000);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean - (lo + hi) / 2)).toBeLessThan((hi - lo) * 0.02); // uniform in the range
    };
    within(s.transitions.pc, lifecycle.pendingToConfirmed);
    within(s.transitions.cp, lifecycle.confirmedToProcessing);
    within(s.transitions.ps, lifecycle.processingToShipped);
  });

  it('delivers on time unless a delay is labelled', () => {
    expect(s.delivered).toBeGreaterThan(90_000);
    expect(s.lateUnlabelled).toBe(0);
  });

  it('injects order anomalies at the scenario rate (5% ± 1.5 pp)', () => {
    expect(Math.abs(s.matureWithInjected / s.matureOrders - s.world.scenario.anomalyRate)).toBeLessThan(PP);
  });

  it('resolves every foreign key and balances every amount', () => {
    expect(s.violations.violations).toEqual([]);
    expect(s.violations.foreignKeys).toBeGreaterThan(1_000_000);
    expect(s.violations.moneyChecks).toBeGreaterThan(500_000);
  });
});
