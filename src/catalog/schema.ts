/**
 * The market packs' data, validated the first time a pack is used (catalog/index.ts): names,
 * calendars, company naming, products and baskets. A pack that breaks a rule (a curve of the
 * wrong length, a pack without a size, a type word shared by two segments) fails before any of
 * its data is used, naming the field.
 */
import { z } from 'zod';
import type { MarketPack } from './types.js';

const positive = z.number().positive();
const weights = (n?: number) => {
  const a = z.array(z.number().min(0));
  return (n === undefined ? a.min(1) : a.length(n)).refine((xs) => xs.some((x) => x > 0), 'at least one weight must be positive');
};
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const term = z.object({ en: z.string().min(1), ar: z.string().min(1).optional() });

export const DateRuleSchema = z.union([
  z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
  z.strictObject({ month: z.number().int().min(1).max(12), weekday: z.number().int().min(0).max(6), nth: z.number().int().min(-1).max(5).refine((n) => n !== 0) }),
  z.strictObject({ dates: z.array(isoDate).min(1) }),
  z.strictObject({ ranges: z.array(z.tuple([isoDate, isoDate]).refine(([a, b]) => a <= b, 'range must be [from, to]')).min(1) }),
  z.strictObject({ quarterEnd: z.number().int().min(1).max(20) }),
]);

export const CalendarSchema = z.strictObject({
  weekend: z.array(z.number().int().min(0).max(6)).max(3),
  dayOfWeek: z.strictObject({ b2b: weights(7), b2c: weights(7) }),
  rules: z.array(
    z.strictObject({
      name: z.string().min(1),
      on: DateRuleSchema,
      offsetDays: z.number().int().min(-60).max(60).optional(),
      span: z.number().int().min(1).max(62).optional(),
      closed: z.boolean().optional(),
      b2b: z.number().min(0).max(10).optional(),
      b2c: z.number().min(0).max(10).optional(),
      hourOfDay: weights(24).optional(),
    }),
  ),
});

const BasketSchema = z.strictObject({
  lines: weights(),
  quantities: z.array(z.strictObject({ value: z.number().int().positive(), weight: positive })).min(1),
  bulkFactor: z.tuple([z.number().int().positive(), z.number().int().positive()]).refine(([a, b]) => a <= b),
});

const PeopleSchema = z.object({
  firstNames: z.array(term.extend({ gender: z.enum(['m', 'f']), weight: positive.optional() })).min(500, 'at least 500 first names'),
  lastNames: z.array(term.extend({ weight: positive.optional() })).min(500, 'at least 500 last names'),
});

const CategorySchema = z
  .object({
    en: z.string(),
    priceRange: z.tuple([positive, positive]).refine(([a, b]) => a <= b),
    unit: z.string().min(1),
    referenceSize: positive.optional(),
    packExponent: z.number().gt(0).max(1).optional(),
    items: z.array(term.extend({ price: positive.optional() })).min(1),
    variants: z.array(term.extend({ size: positive, unit: z.string().min(1), trade: z.boolean().optional() })),
  })
  .refine((c) => c.variants.length === 0 || c.referenceSize !== undefined, 'a category with variants needs a referenceSize')
  .refine((c) => c.variants.every((v, i) => i === 0 || v.size > c.variants[i - 1].size), 'variants must be listed by increasing size');

export const MarketPackSchema = z.object({
  id: z.string(),
  activity: z.object({ hourOfDay: weights(24) }),
  calendar: CalendarSchema,
  people: PeopleSchema,
  companies: z
    .object({
      brandWords: z.array(term).min(1),
      brandCores: z.array(term),
      legalForms: z.array(term),
      naming: z.array(z.strictObject({ segment: z.string(), words: z.array(term.extend({ arLeads: z.boolean().optional() })).min(1), placeShare: z.number().min(0).max(1), place: z.enum(['city', 'either']).optional(), legalForms: z.array(term).optional() })),
      legalFormsByCountry: z.record(z.string(), z.array(term).min(1)).optional(),
      segments: z.array(z.object({ value: z.string(), weight: positive })).min(1),
    })
    .refine((c) => c.segments.every((s) => c.naming.some((n) => n.segment === s.value)), 'every segment needs its naming')
    .refine((c) => {
      const words = c.naming.flatMap((n) => n.words.map((w) => w.en));
      return new Set(words).size === words.length;
    }, 'a type word belongs to one segment only'),
  products: z.object({ categories: z.array(CategorySchema).min(1) }),
  orders: z.object({ baskets: z.strictObject({ b2c: BasketSchema, b2b: BasketSchema }), priceVariation: z.number().min(0).max(0.5) }),
});

/** Validates a pack's data; throws naming the first broken rule. */
export function validateMarketPack(pack: MarketPack): MarketPack {
  const parsed = MarketPackSchema.safeParse(pack);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`market pack '${pack.id}': ${issue.path.join('.')}: ${issue.message}`);
  }
  return pack;
}
