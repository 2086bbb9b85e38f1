/**
 * The HTTP contract of the analytics, forecasts and reorder endpoints: queries, bodies and
 * answers, declared once (the routes check them, the web app and the docs read them).
 */
import { z } from 'zod';
import { ForecastDay, PeriodFigures } from './event-data.js';
import { EVENT_DATA } from './event-data.js';

/** The longest range /api/analytics/range answers (a year and a day: a leap year whole). */
export const MAX_RANGE_DAYS = 366;

const date = (name: string) =>
  z.iso.date({
    error: (issue) =>
      issue.input === undefined ? `${name} is required: a day written YYYY-MM-DD, e.g. 2025-03-03` : `${name} must be a real calendar date written YYYY-MM-DD, e.g. 2025-03-03`,
  });

export const DailyQuery = z.strictObject({ date: date('date') });
export const MonthlyQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be written YYYY-MM, e.g. 2025-03'),
});
export const RangeQuery = z
  .strictObject({ from: date('from'), to: date('to') })
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 <= MAX_RANGE_DAYS, {
    message: `a range covers at most ${MAX_RANGE_DAYS} days; ask for several ranges, or /api/analytics/monthly for whole months`,
    path: ['to'],
  });

export const DailyAnswer = EVENT_DATA['analytics.daily_summary'];
export const MonthlyAnswer = EVENT_DATA['analytics.monthly_report'];
export const RangeAnswer = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  market: z.string().describe('whose local days these are'),
  total: PeriodFigures,
  days: z.array(DailyAnswer),
});
export type RangeAnswer = z.infer<typeof RangeAnswer>;

// ——— forecasts ———

const ProductFilter = z.string().regex(/^[A-Z]+-\d{3,}$/, 'product_id looks like PROD-001');

export const ForecastQuery = z.strictObject({
  category: z.string().min(1).max(200).optional(),
  product_id: ProductFilter.optional(),
  days: z.coerce.number().int().min(7).max(730).default(56).describe('history shown before today'),
});

/** One category (or product): what sold, what was forecast the day before, and the current forecast. */
export const ForecastView = z.object({
  category: z.string(),
  product_id: z.string().nullable(),
  product_name: z.string().nullable(),
  /** Units ordered per local day. */
  actual: z.array(z.object({ date: z.iso.date(), units: z.number() })),
  /** Each day's forecast made at the midnight before it. */
  day_ahead: z.array(ForecastDay),
  /** The latest forecast, from its first day on. */
  forecast: z.array(ForecastDay),
  forecast_id: z.string().nullable(),
  made_at: z.string().nullable(),
  method: z.string().nullable(),
});
export type ForecastView = z.infer<typeof ForecastView>;

export const ForecastList = z.object({
  market: z.string(),
  categories: z.array(
    z.object({
      category: z.string(),
      predicted_demand: z.number().nullable().describe('expected units over the latest forecast’s horizon'),
      made_at: z.string().nullable(),
      metrics: EVENT_DATA['model.retrained'].shape.metrics.nullable().describe('the last retraining’s accuracy (a running simulation only)'),
    }),
  ),
});

export const RetrainAnswer = z.object({
  retrained: z.array(z.string()).describe('the categories trained again'),
  at: z.iso.datetime().describe('simulated time'),
});

// ——— reorders ———

export const ReorderAdvice = z.object({
  product_id: z.string(),
  product_name: z.string(),
  category: z.string(),
  supplier_id: z.string(),
  on_hand: z.number().int(),
  on_order: z.number().int(),
  owed: z.number().int().describe('units waiting orders are owed'),
  position: z.number().int().describe('on hand + on order − owed'),
  reorder_point: z.number().int(),
  order_up_to: z.number().int(),
  safety_stock: z.number().int(),
  daily_demand: z.number().describe('the forecast’s expected units a day'),
  lead_time_days: z.tuple([z.number(), z.number()]),
  days_of_cover: z.number().nullable().describe('on hand ÷ daily demand'),
  recommended_quantity: z.number().int().describe('up to the order-up-to level, 0 when nothing is needed'),
  status: z.enum(['reorder', 'on_order', 'ok']).describe('reorder: at or below the reorder point with nothing on order'),
});
export type ReorderAdvice = z.infer<typeof ReorderAdvice>;

export const ReorderList = z.object({ at: z.iso.datetime(), items: z.array(ReorderAdvice) });

export const ReorderBody = z.strictObject({
  product_id: ProductFilter,
  quantity: z.number().int().min(1).max(1_000_000).optional().describe('default: the recommended quantity (at least one average order line)'),
});

export const ReorderPlaced = z.object({
  purchase_order_id: z.string(),
  product_id: z.string(),
  quantity: z.number().int(),
  supplier_id: z.string(),
  placed_at: z.iso.datetime(),
  expected_arrival: z.iso.datetime(),
});
