import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status.js';

const text = z.string().min(1).max(200);

/**
 * The body of POST /orders. Strict: an unknown field is an error, not silently dropped (so is a
 * `customerId`: the customer is the token's subject). Quantity only has to be an integer here:
 * its range is a business rule, answered with a 422.
 */
export const orderRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: text,
        quantity: z.number().int().max(100_000),
      }),
    )
    .min(1)
    .max(100),
  shippingAddress: z.strictObject({
    line1: text,
    city: text,
    postalCode: z.string().min(1).max(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code, e.g. PT'),
  }),
  paymentMethod: z.strictObject({
    type: z.literal('card'),
    token: text,
  }),
});

export const idempotencyKeySchema = z.string().min(1).max(255);

export const orderIdSchema = z.object({ id: z.uuid() });

export const listQuerySchema = z.object({
  customerId: text.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
});

/** GET /sagas: sagas without progress for `stuckFor` seconds (0: every open one). */
export const stuckQuerySchema = z.object({
  stuckFor: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * 24 * 60 * 60)
    .default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const sagaIdSchema = z.object({ orderId: z.uuid() });
