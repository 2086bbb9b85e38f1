/** Turns zod issues about command-line options into one readable UsageError that names each flag. */
import type { z } from 'zod';
import { UsageError } from '../domain/errors.js';

export const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : s.trim() === '' ? Number.NaN : Number(s));

/** zod's own wording for the usual cases, said plainly ("Invalid input: expected number, received NaN": "not a number"). */
const PLAIN: Array<[RegExp, string]> = [
  [/^Invalid input: expected number, received NaN$/, 'not a number'],
  [/^Too big: expected number to be <=(\S+)$/, 'at most $1'],
  [/^Too big: expected number to be <(\S+)$/, 'less than $1'],
  [/^Too small: expected number to be >=(\S+)$/, 'at least $1'],
  [/^Too small: expected number to be >(\S+)$/, 'greater than $1'],
];
const plain = (message: string) => PLAIN.reduce((m, [pattern, said]) => m.replace(pattern, said), message);

/**
 * `envOf`: options whose value may come from an environment variable (or .env) when the flag is
 * not given; a bad value from there is reported under the variable's name, with the value.
 */
export function flagError(error: z.ZodError, flags: object, flagOf: Record<string, string>, hints: Record<string, string> = {}, envOf: Record<string, string> = {}): UsageError {
  const lines = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const given = (flags as Record<string, unknown>)[key];
    const env = given === undefined && envOf[key] !== undefined && process.env[envOf[key]] !== undefined ? envOf[key] : null;
    const flag = env ? `${env} (from the environment or .env)` : (flagOf[key] ?? key);
    const raw = env ? process.env[env] : given;
    const got = raw === undefined ? '' : ` (got '${String(raw)}')`;
    return `  • ${flag}: ${plain(issue.message)}${got}${hints[key] ? `; allowed: ${hints[key]}` : ''}`;
  });
  return new UsageError(`invalid options:\n${lines.join('\n')}`);
}
