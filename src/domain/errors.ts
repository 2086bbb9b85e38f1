/** Errors a user can fix: bad flags, bad files, refused writes. The CLI prints them without a stack. */
import type { z } from 'zod';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The user stopped the run (SIGINT/SIGTERM); exits 130 like any interrupted Unix tool. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/** One line per problem, each naming the field: "  • to: must not be before the start date". */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `  • ${path ? `${path}: ` : ''}${issue.message}`;
    })
    .join('\n');
}
