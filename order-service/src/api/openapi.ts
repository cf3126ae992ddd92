import {
  bodyProblems,
  guardProblems,
  type OpenApiDocument,
  openApiDocument,
  problems,
} from '@saga/shared/service';
import { z } from 'zod';
import { FAILURE_REASONS, ORDER_STATUSES } from '../domain/order-status.js';
import {
  idempotencyKeySchema,
  listQuerySchema,
  orderIdSchema,
  orderRequestSchema,
} from './schemas.js';

const instant = z.iso.datetime();

const orderSummary = z
  .object({
    orderId: z.uuid(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    amountMinor: z.int().meta({ description: 'Integer minor units of `currency`' }),
    currency: z.string(),
    failureReason: z.enum(FAILURE_REASONS).nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'OrderSummary' });

const order = orderSummary
  .extend({
    items: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        quantity: z.int(),
        unitPriceMinor: z.int(),
      }),
    ),
    timeline: z
      .array(z.object({ type: z.string(), service: z.string(), eventId: z.uuid(), at: instant }))
      .meta({ description: 'The saga events seen, in the order they were recorded' }),
  })
  .meta({ id: 'Order' });

const notFound = problems({
  404: 'No such order, or another customer’s (`/problems/order-not-found`)',
});

/** The contract of order-service's API, from the schemas its routes validate with. */
export const orderApiDocument: OpenApiDocument = openApiDocument(
  {
    title: 'order-service',
    version: '1',
    description: 'Places orders and shows their sagas. The customer is the bearer token’s `sub`.',
  },
  {
    '/orders': {
      post: {
        summary: 'Place an order for the token’s customer; its saga runs asynchronously',
        requestParams: { header: z.object({ 'idempotency-key': idempotencyKeySchema }) },
        requestBody: { content: { 'application/json': { schema: orderRequestSchema } } },
        responses: {
          202: {
            description: 'Accepted (or the first answer to this Idempotency-Key and body)',
            headers: z.object({ location: z.string().meta({ description: '/orders/{orderId}' }) }),
            content: {
              'application/json': {
                schema: z.object({ orderId: z.uuid(), status: z.literal('PENDING') }),
              },
            },
          },
          ...guardProblems,
          ...bodyProblems,
          ...problems({
            409: 'The Idempotency-Key was first used with another body (`/problems/idempotency-key-reused`)',
            422: 'Unknown product, bad quantity or mixed currencies (`/problems/unprocessable-order`)',
          }),
        },
      },
      get: {
        summary: 'The caller’s orders, newest first; an operator’s, any customer’s',
        requestParams: { query: listQuerySchema },
        responses: {
          200: {
            description: 'One page; pass `nextCursor` back as `cursor` for the next',
            content: {
              'application/json': {
                schema: z.object({
                  items: z.array(orderSummary),
                  nextCursor: z.string().nullable(),
                }),
              },
            },
          },
          ...guardProblems,
          ...problems({
            400: 'Invalid query (`/problems/validation`)',
            403: 'Another customer’s orders without scope `admin` (`/problems/forbidden`)',
          }),
        },
      },
    },
    '/orders/{id}': {
      get: {
        summary: 'An order with its lines and saga timeline; with `Prefer: wait`, once it ended',
        requestParams: {
          path: orderIdSchema,
          header: z.object({
            prefer: z.string().optional().meta({
              description: 'RFC 7240 `wait=<seconds>`: answer once COMPLETED or CANCELED',
            }),
          }),
        },
        responses: {
          200: {
            description: 'The order; after a wait, as it is when it ended or the wait ran out',
            headers: z.object({
              'preference-applied': z
                .string()
                .optional()
                .meta({ description: '`wait=<seconds>` when the request waited' }),
            }),
            content: { 'application/json': { schema: order } },
          },
          ...guardProblems,
          ...problems({ 400: 'Not a UUID (`/problems/validation`)' }),
          ...notFound,
        },
      },
    },
  },
);
