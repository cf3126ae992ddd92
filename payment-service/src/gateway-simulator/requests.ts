import { z } from 'zod';
import { type FieldError, problems } from './problem.js';

/** Tokens whose outcome is fixed, so tests can ask for the behaviour they need. */
const TOKENS = ['tok_ok', 'tok_decline', 'tok_timeout_charged'] as const;
export type Token = (typeof TOKENS)[number];

const amountMinor = z.number().int().positive();

export const idempotencyKeySchema = z
  .string({ error: 'required header' })
  .trim()
  .min(1, 'required header')
  .max(255);

export const chargeRequestSchema = z.strictObject({
  amountMinor,
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter ISO 4217 code such as EUR'),
  token: z.enum(TOKENS, { error: `unknown token; use one of ${TOKENS.join(', ')}` }),
  reference: z.string().min(1).max(200),
});
export type ChargeRequest = z.infer<typeof chargeRequestSchema>;

export const refundRequestSchema = z.strictObject({
  chargeId: z.string().min(1),
  amountMinor,
  reason: z.string().min(1).max(500),
});
export type RefundRequest = z.infer<typeof refundRequestSchema>;

export const chargeQuerySchema = z.object({ reference: z.string().min(1) });

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** Checks `value` against `schema`, naming each bad field; `root` names the value itself. */
export function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root: string,
): Checked<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: result.error.issues.flatMap((issue) => fieldErrors(issue, root)) };
}

/** Like {@link check}, but throws a 400 problem for bad input. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root: string,
): z.output<S> {
  const checked = check(schema, value, root);
  if (checked.ok) return checked.data;
  throw problems.invalidRequest(checked.errors);
}

function fieldErrors(issue: z.core.$ZodIssue, root: string): FieldError[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
  }
  return [{ field: path.length > 0 ? path.join('.') : root, message: issue.message }];
}
