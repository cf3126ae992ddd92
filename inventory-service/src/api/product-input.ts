import { z } from 'zod';

export const productIdParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits, ".", "_", ":" and "-" only'),
});

/** The body of PUT /products/:id. Money is integer minor units of an ISO 4217 currency. */
export const productBody = z.object({
  name: z.string().trim().min(1).max(200),
  priceMinor: z.int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code: 3 upper-case letters'),
  /** The available quantity to set; an Avro int, like the stock of product.upserted. */
  stock: z.int32().min(0),
  /** Sold through order-service's gate: buyers are refused at the door once it is sold out. */
  hotDeal: z.boolean().default(false),
});
