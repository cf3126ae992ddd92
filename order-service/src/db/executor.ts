import type { Database, Transaction } from '@saga/shared/db';

/** Reads run on the pool or inside a caller's transaction alike. */
export type Executor = Database | Transaction;

/** Whether `error` (or the driver error drizzle wrapped in it) violates `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const found = current as { code?: unknown; constraint?: unknown };
    if (found.code === '23505') return found.constraint === constraint;
  }
  return false;
}
