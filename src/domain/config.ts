/** The options of one generation run, as the CLI and (later) the jobs API accept them. */
import { z } from 'zod';

export const OUTPUT_FORMATS = ['ndjson', 'json', 'csv'] as const;
export const OutputFormat = z.enum(OUTPUT_FORMATS);
export type OutputFormat = z.infer<typeof OutputFormat>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};
const isoDate = z
  .string()
  .regex(DATE, 'expected a date as YYYY-MM-DD')
  .refine((s) => !DATE.test(s) || realDate(s), 'not a real calendar date')
  .refine((s) => !DATE.test(s) || (s >= '1900-01-01' && s <= '2999-12-31'), 'dates must lie between 1900-01-01 and 2999-12-31');

export const DEFAULT_MAX_RECORDS = 50_000_000;

export const GenerateOptions = z
  .strictObject({
    from: isoDate.default('2024-01-01'),
    to: isoDate.default('2024-03-31'),
    seed: z.number().int().min(0).max(0xffffffff).default(12345),
    multiplier: z.number().positive('must be greater than 0').max(10_000).default(1),
    workers: z.number().int().min(1).max(64).default(1),
    format: OutputFormat.default('ndjson'),
    events: z.boolean().default(false),
    maxRecords: z.number().int().positive().default(DEFAULT_MAX_RECORDS),
  })
  // Only comparable once both are dates; otherwise their own messages say what is wrong.
  .refine((o) => !(realDate(o.from) && realDate(o.to)) || o.to >= o.from, { message: 'must not be before the start date', path: ['to'] });
export type GenerateOptions = z.infer<typeof GenerateOptions>;
