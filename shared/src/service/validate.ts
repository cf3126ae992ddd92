import type { z } from 'zod';
import { HttpProblem, PROBLEM_BASE } from './problem.js';

/** Parses input with `schema`; on failure throws a 400 problem naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new HttpProblem({
    type: `${PROBLEM_BASE}validation`,
    title: 'Invalid request',
    status: 400,
    detail: `The request ${where} is invalid`,
    errors: result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : where,
      message: issue.message,
    })),
  });
}
