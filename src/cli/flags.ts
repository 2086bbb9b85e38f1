/** Turns zod issues about command-line options into one readable UsageError that names each flag. */
import type { z } from 'zod';
import { UsageError } from '../domain/errors.js';

export const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : s.trim() === '' ? Number.NaN : Number(s));

export function flagError(error: z.ZodError, flags: object, flagOf: Record<string, string>, hints: Record<string, string> = {}): UsageError {
  const lines = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const flag = flagOf[key] ?? key;
    const raw = (flags as Record<string, unknown>)[key];
    const got = raw === undefined ? '' : ` (got '${String(raw)}')`;
    return `  • ${flag}: ${issue.message}${got}${hints[key] ? `; allowed: ${hints[key]}` : ''}`;
  });
  return new UsageError(`invalid options:\n${lines.join('\n')}`);
}
