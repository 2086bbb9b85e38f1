/**
 * The live simulation's settings, as `stream` flags and `GET/PUT /api/simulation` read and
 * change them. Declared once here; the server's OpenAPI document is generated from it.
 */
import { z } from 'zod';
import { PATTERN_NAMES, type PatternName } from './entities.js';
import { LifecycleTimings, SecondsRange } from './scenario.js';
import { finiteNumber, nonNegativeNumber, positiveNumber } from './numbers.js';

/** Speed factor: simulated seconds per wall-clock second (60 runs an hour a minute). */
export const Speed = positiveNumber().max(1_000_000);

/**
 * How new orders arrive: the scenario's own curves (daily, weekly, seasonal: the arrivals
 * `generate` writes for the same days), a Poisson process at a flat rate, or spec 004's
 * uniform gaps between two delays.
 */
export const Arrivals = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('scenario') }),
  z.strictObject({ mode: z.literal('rate'), ratePerMinute: positiveNumber().max(6_000_000) }),
  z.strictObject({ mode: z.literal('delay'), delaySeconds: SecondsRange.refine(([, max]) => max > 0, 'the maximum delay must be greater than 0') }),
]);
export type Arrivals = z.infer<typeof Arrivals>;

export type PatternFrequencies = Record<PatternName, number>;

export interface LiveSettings {
  arrivals: Arrivals;
  patterns: PatternFrequencies;
  lifecycle: LifecycleTimings;
  speed: number;
  paused: boolean;
}

const frequency = finiteNumber().min(0).max(1);
const patternPatch = z.strictObject(
  Object.fromEntries(PATTERN_NAMES.map((p) => [p, frequency.optional()])) as { [K in PatternName]: z.ZodOptional<typeof frequency> },
);

/**
 * A change to the running simulation. Every field is optional; `patterns` may name only
 * the patterns to change (spec 000: `{"patterns":{"rush_orders":0.3}}`), and the others
 * are rescaled to keep their proportions and fill the rest.
 */
export const SimulationPatch = z
  .strictObject({
    ratePerMinute: positiveNumber().max(6_000_000).optional(),
    delaySeconds: SecondsRange.refine(([, max]) => max > 0, 'the maximum delay must be greater than 0').optional(),
    /** Back to the scenario's own arrival curves. */
    arrivals: z.literal('scenario').optional(),
    patterns: patternPatch.optional(),
    lifecycle: LifecycleTimings.partial().optional(),
    speed: Speed.optional(),
    paused: z.boolean().optional(),
  })
  .refine((p) => [p.ratePerMinute, p.delaySeconds, p.arrivals].filter((x) => x !== undefined).length <= 1, {
    message: 'give one of ratePerMinute (Poisson arrivals), delaySeconds (uniform gaps) or arrivals: "scenario" (the scenario\'s curves)',
  });
export type SimulationPatch = z.infer<typeof SimulationPatch>;

/** Applies the pattern part of a patch; throws a readable message when it cannot add up to 1. */
export function mergePatterns(current: PatternFrequencies, patch: Partial<PatternFrequencies>): PatternFrequencies {
  const given = PATTERN_NAMES.filter((p) => patch[p] !== undefined);
  const givenSum = given.reduce((s, p) => s + patch[p]!, 0);
  if (givenSum > 1 + 1e-9) throw new RangeError(`pattern frequencies add up to ${givenSum.toFixed(3)}, more than 1`);
  const rest = PATTERN_NAMES.filter((p) => patch[p] === undefined);
  const restSum = rest.reduce((s, p) => s + current[p], 0);
  // Given shares a hair over 1 (within the tolerance) leave nothing, not a negative share.
  const left = Math.max(0, 1 - givenSum);
  if (!rest.length && Math.abs(left) > 1e-6) throw new RangeError(`pattern frequencies must add up to 1 (they add up to ${givenSum.toFixed(3)})`);
  if (rest.length && left > 1e-9 && restSum <= 0) {
    throw new RangeError(`the patterns not named (${rest.join(', ')}) have no weight to fill the remaining ${left.toFixed(3)}; name them too`);
  }
  const next = { ...current };
  for (const p of given) next[p] = patch[p]!;
  // To 9 decimals, and a share the change leaves where it was (within that) kept as it is:
  // rescaling shares that were themselves rescaled showed float noise (0.15000000000000002),
  // and the same request twice gave …665 then …667.
  let moved = false;
  for (const p of rest) {
    const scaled = restSum > 0 ? (current[p] / restSum) * left : 0;
    if (Math.abs(scaled - current[p]) < 1e-8) continue;
    next[p] = Math.round(scaled * 1e9) / 1e9;
    moved = true;
  }
  // What the rounding took from the total goes to the largest share, so that they add up to 1.
  if (moved) {
    const largest = rest.reduce((a, b) => (next[b] > next[a] ? b : a));
    next[largest] = Math.max(0, Math.round((next[largest] + 1 - PATTERN_NAMES.reduce((sum, p) => sum + next[p], 0)) * 1e9) / 1e9);
  }
  return next;
}


/** `orderstream stream` options (spec 004's generator flags plus orderstream's). */
export const StreamOptions = z
  .strictObject({
    minDelay: nonNegativeNumber().max(86_400).default(1),
    maxDelay: positiveNumber().max(86_400).default(5),
    rate: positiveNumber().max(6_000_000).optional(),
    duration: positiveNumber().max(525_600).default(5),
    seed: z.number().int().min(0).max(0xffffffff).default(12345),
    speed: Speed.default(1),
    start: z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant such as 2025-01-06T08:00:00Z' }).optional(),
    kafkaTopic: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name: letters, digits, ".", "_" and "-"').default('ecommerce-sales'),
  })
  .refine((o) => o.minDelay <= o.maxDelay, { message: '--min-delay must not exceed --max-delay', path: ['minDelay'] });
export type StreamOptions = z.infer<typeof StreamOptions>;
