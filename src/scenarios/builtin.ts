/** spec 002's six built-in scenarios, as data. Each names only what differs from normal-ops. */
import type { ScenarioProfile } from '../domain/scenario.js';
import { deepMerge, type DeepPartial } from './merge.js';

const flat24 = Array<number>(24).fill(1);
const flat7 = Array<number>(7).fill(1);

export const NORMAL_OPS: ScenarioProfile = {
  name: 'normal-ops',
  description: 'Standard testing: typical business patterns, few anomalies',
  market: 'egypt-coffee',
  anomalyRate: 0.05,
  anomalyMix: { payment_delay: 25, delivery_delay: 25, delivery_failure: 10, cancellation: 20, stockout: 5, refund: 15 },
  overduePaymentRate: 0.02,
  entityVolumes: { users: 20, companies: 100, branchRatio: 0.3, products: 200, ordersPerDay: 50, maintenanceVisitsPerWeek: 10 },
  volume: { orderFactor: 1, companyFactor: 1, monthlyGrowth: 0 },
  patterns: {
    rush_orders: { frequency: 0.1, priority: 'urgent', deliveryDays: 1 },
    bulk_orders: { frequency: 0.15, priority: 'medium', deliveryDays: 7 },
    regular_orders: { frequency: 0.6, priority: 'medium', deliveryDays: 3 },
    premium_orders: { frequency: 0.1, priority: 'high', deliveryDays: 2 },
    delayed_orders: { frequency: 0.05, priority: 'low', deliveryDays: 14 },
  },
  lifecycle: { pendingToConfirmed: [10, 30], confirmedToProcessing: [15, 45], processingToShipped: [20, 60] },
  timeSeries: {
    hourOfDay: flat24,
    dayOfWeek: flat7,
    seasonality: { amplitude: 0.1, peakDayOfYear: 345 },
    burstRate: 0.02,
    burstFactor: 4,
    spreadRate: 0.01,
  },
  stock: { parDays: 7, serviceLevel: 0.95, leadTimeFactor: 1 },
  discounts: { orderRate: 0.12, itemRate: 0.08 },
  refunds: { approvalRate: 0.75 },
};

function variant(overrides: DeepPartial<ScenarioProfile> & Pick<ScenarioProfile, 'name' | 'description'>): ScenarioProfile {
  return deepMerge(NORMAL_OPS, overrides);
}

export const BUILT_IN_SCENARIOS: readonly ScenarioProfile[] = [
  NORMAL_OPS,
  variant({
    name: 'peak-season',
    description: 'Holiday / high-volume simulation: 3× order volume, higher payment delays',
    anomalyRate: 0.15,
    anomalyMix: { payment_delay: 40, delivery_delay: 25, delivery_failure: 5, cancellation: 10, stockout: 10, refund: 10 },
    overduePaymentRate: 0.05,
    volume: { orderFactor: 3 },
    timeSeries: { seasonality: { amplitude: 0.3, peakDayOfYear: 345 }, burstRate: 0.08 },
    stock: { parDays: 4 },
  }),
  variant({
    name: 'anomaly-heavy',
    description: 'Stress testing: many payment delays and delivery failures',
    anomalyRate: 0.4,
    anomalyMix: { payment_delay: 35, delivery_delay: 15, delivery_failure: 30, cancellation: 10, stockout: 5, refund: 5 },
    overduePaymentRate: 0.1,
    timeSeries: { burstRate: 0.1, spreadRate: 0.05 },
  }),
  variant({
    name: 'warehouse-outage',
    description: 'Supply chain disruption: stockouts, low deliveries, high cancellations',
    anomalyRate: 0.6,
    anomalyMix: { payment_delay: 0, delivery_delay: 20, delivery_failure: 10, cancellation: 35, stockout: 35, refund: 0 },
    // Suppliers deliver three times later than planned: stockouts last days.
    stock: { parDays: 3, leadTimeFactor: 3 },
  }),
  variant({
    name: 'growth-phase',
    description: 'Rapid business growth: 2× companies, order volume rising month over month',
    anomalyRate: 0.08,
    volume: { companyFactor: 2, monthlyGrowth: 0.08 },
  }),
  variant({
    name: 'payment-crisis',
    description: 'Payment delay testing: 30% of payments overdue, many late payments',
    anomalyRate: 0.25,
    anomalyMix: { payment_delay: 70, delivery_delay: 10, delivery_failure: 0, cancellation: 10, stockout: 0, refund: 10 },
    overduePaymentRate: 0.3,
  }),
];

/**
 * spec 004's sales generator, what `stream` follows without --scenario: spec 004's catalog
 * (us-electronics), 1–5 units a sale (no bulk orders), pending → confirmed → processing →
 * shipped and nothing else (no injected anomalies, and stock planned so that no customer
 * waits: a sale never turns into a cancellation). Not one of spec 002's six scenarios.
 */
export const SPEC_004: ScenarioProfile = variant({
  name: 'spec-004',
  description: "spec 004's sales generator: 1–5 units a sale, the four statuses, no anomalies",
  market: 'us-electronics',
  anomalyRate: 0,
  overduePaymentRate: 0,
  patterns: { bulk_orders: { frequency: 0 }, regular_orders: { frequency: 0.75 } },
  timeSeries: { burstRate: 0, spreadRate: 0 },
  stock: { parDays: 60, serviceLevel: 0.9999 },
});
