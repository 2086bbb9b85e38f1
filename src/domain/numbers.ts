/**
 * Numbers and text every schema accepts: finite numbers only (no NaN, no Infinity, no
 * denormals: a subnormal such as 1e-320 passes `> 0` yet makes any rate or speed built on
 * it absurd), and text without NUL bytes or unpaired surrogates (PostgreSQL refuses the
 * first, UTF-8 cannot encode the second). The schemas here are for the contracts; the
 * server also walks every request body and query with `firstInvalid`, so a schema that
 * forgets them is still covered.
 */
import { z } from 'zod';

/** The smallest positive normal double; anything non-zero below it in magnitude is a denormal. */
export const SMALLEST_NORMAL = 2.2250738585072014e-308;

export function isSaneNumber(x: number): boolean {
  return Number.isFinite(x) && (x === 0 || Math.abs(x) >= SMALLEST_NORMAL);
}

const NUMBER_MESSAGE = 'must be a finite number (NaN, Infinity and denormals such as 1e-320 are refused)';

/**
 * "must be a number" for a value of another type only: in zod 4 a schema's own `message` would
 * replace the message of every check on it too (a fraction of 1.3 would be told "must be a number").
 */
export const NOT_A_NUMBER = { error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) };

/** A finite, non-denormal number. */
export const finiteNumber = () => z.number(NOT_A_NUMBER).refine(isSaneNumber, NUMBER_MESSAGE);
/** A finite number > 0 (and not a denormal). */
export const positiveNumber = () => finiteNumber().refine((x) => x > 0, 'must be greater than 0');
/** A finite number ≥ 0. */
export const nonNegativeNumber = () => finiteNumber().refine((x) => x >= 0, 'must be 0 or more');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is not acceptable text, or null. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL bytes (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  return null;
}

/** A string without NUL bytes or unpaired surrogates. */
export const safeText = () => z.string().superRefine((s, ctx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export interface InvalidValue {
  /** Dotted path from the root, e.g. `body.config.speed`. */
  field: string;
  message: string;
}

/**
 * The first number or string in a parsed JSON value (or query object) that no schema
 * should accept, with where it is; null when all are fine. Iterative, so a deeply nested
 * value cannot overflow the stack. Keys are checked like values.
 */
export function firstInvalid(value: unknown, root: string): InvalidValue | null {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: root }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number') {
      if (!isSaneNumber(v)) return { field: path, message: NUMBER_MESSAGE };
    } else if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field: path, message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}.${i}` });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const keyProblem = textProblem(k);
        if (keyProblem) return { field: `${path}.${k.replace(/\u0000/g, '\\u0000')}`, message: `key ${keyProblem}` };
        stack.push({ v: child, path: `${path}.${k}` });
      }
    }
  }
  return null;
}
