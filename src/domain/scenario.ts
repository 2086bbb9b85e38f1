/** The scenario profile contract (spec 002): built-ins and custom JSON files share it. */
import { z } from 'zod';
import { ORDER_ANOMALY_KINDS } from './anomalies.js';
import { PATTERN_NAMES, Priority } from './entities.js';
import { finiteNumber, nonNegativeNumber } from './numbers.js';

const fraction = finiteNumber().min(0).max(1);
const seconds = nonNegativeNumber();

export const SecondsRange = z
  .tuple([seconds, seconds])
  .refine(([min, max]) => min <= max, { message: 'range must be [min, max] with min ≤ max' });

export const PatternConfig = z.strictObject({
  frequency: fraction,
  priority: Priority,
  deliveryDays: z.number().positive(),
});
export type PatternConfig = z.infer<typeof PatternConfig>;

const patternsShape = Object.fromEntries(PATTERN_NAMES.map((name) => [name, PatternConfig])) as {
  [K in (typeof PATTERN_NAMES)[number]]: typeof PatternConfig;
};
export const PatternMix = z.strictObject(patternsShape).superRefine((mix, ctx) => {
  const sum = Object.values(mix).reduce((total, p) => total + p.frequency, 0);
  if (Math.abs(sum - 1) >= 1e-6) ctx.addIssue({ code: 'custom', message: `pattern frequencies must add up to 1 (they add up to ${Number(sum.toFixed(6))})` });
});
export type PatternMix = z.infer<typeof PatternMix>;

const anomalyMixShape = Object.fromEntries(ORDER_ANOMALY_KINDS.map((kind) => [kind, z.number().min(0)])) as {
  [K in (typeof ORDER_ANOMALY_KINDS)[number]]: z.ZodNumber;
};
export const AnomalyMix = z
  .strictObject(anomalyMixShape)
  .refine((mix) => Object.values(mix).some((w) => w > 0), { message: 'at least one anomaly weight must be positive' });
export type AnomalyMix = z.infer<typeof AnomalyMix>;

/** Seconds between lifecycle states (spec 004 defaults: 10–30 s, 15–45 s, 20–60 s). */
export const LifecycleTimings = z.strictObject({
  pendingToConfirmed: SecondsRange,
  confirmedToProcessing: SecondsRange,
  processingToShipped: SecondsRange,
});
export type LifecycleTimings = z.infer<typeof LifecycleTimings>;

export const ScenarioProfile = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  description: z.string(),
  /** Market pack used when the command line names none. */
  market: z.string(),
  /** Share of orders that receive one injected anomaly drawn from anomalyMix. */
  anomalyRate: fraction,
  anomalyMix: AnomalyMix,
  /** Share of payments that stay unpaid past their due date (labelled overdue_payment). */
  overduePaymentRate: fraction,
  entityVolumes: z.strictObject({
    users: z.number().int().min(4),
    companies: z.number().int().min(1),
    branchRatio: fraction,
    products: z.number().int().min(1),
    ordersPerDay: z.number().positive(),
    maintenanceVisitsPerWeek: z.number().min(0),
  }),
  volume: z.strictObject({
    /** Multiplies order arrivals (peak-season: 3). */
    orderFactor: z.number().positive(),
    /** Multiplies companies, their contacts and branches (growth-phase: 2). */
    companyFactor: z.number().positive(),
    /** Compound growth of the order rate per 30 days (growth-phase: rising orders). */
    monthlyGrowth: z.number().min(-0.5).max(2),
  }),
  patterns: PatternMix,
  lifecycle: LifecycleTimings,
  timeSeries: z.strictObject({
    /** Relative order intensity per local hour, 24 values. */
    hourOfDay: z.array(z.number().min(0)).length(24).refine((a) => a.some((v) => v > 0), 'at least one hour must be positive'),
    /** Relative intensity per local weekday, Sunday first, 7 values. */
    dayOfWeek: z.array(z.number().min(0)).length(7).refine((a) => a.some((v) => v > 0), 'at least one day must be positive'),
    seasonality: z.strictObject({ amplitude: z.number().min(0).max(0.95), peakDayOfYear: z.number().int().min(1).max(366) }),
    /** Share of days with a burst: a few hours at burstFactor × the normal rate. */
    burstRate: fraction,
    burstFactor: z.number().min(1),
    /** Share of days whose orders spread evenly over all 24 hours (e.g. a bot or a replayed backlog). */
    spreadRate: fraction,
  }),
  /**
   * The replenishment policy (see simulation/policy.ts): reorder when the stock position
   * reaches lead-time demand plus safety stock for `serviceLevel`, ordering `parDays` of
   * demand on top; `leadTimeFactor` stretches the suppliers' real lead times beyond plan.
   */
  stock: z.strictObject({
    parDays: z.number().positive().max(365),
    serviceLevel: z.number().min(0.5).max(0.9999),
    leadTimeFactor: z.number().min(0.1).max(20),
  }),
  discounts: z.strictObject({ orderRate: fraction, itemRate: fraction }),
  refunds: z.strictObject({ approvalRate: fraction }),
});
export type ScenarioProfile = z.infer<typeof ScenarioProfile>;

/** A custom scenario file: a name, optionally the scenario it extends, and any overrides. */
export const ScenarioFile = z
  // Only that a name is there: what it must look like is the profile's rule, reported with the rest.
  .object({ name: z.unknown().refine((name) => name !== undefined, "required: the scenario's name"), extends: z.string({ message: 'the name of a built-in scenario or the path of another scenario file, as a string' }).optional() })
  .passthrough();
