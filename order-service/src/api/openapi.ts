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
  sagaIdSchema,
  stuckQuerySchema,
} from './schemas.js';

const instant = z.iso.datetime();

const timelineEntry = z.object({
  type: z.string(),
  service: z.string(),
  eventId: z.uuid(),
  at: instant,
});

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
      .array(timelineEntry)
      .meta({ description: 'The saga events seen, in the order they were recorded' }),
  })
  .meta({ id: 'Order' });

const serviceName = z.enum(['order', 'payment', 'inventory', 'delivery']);

const saga = z
  .object({
    orderId: z.uuid(),
    status: z.enum(ORDER_STATUSES),
    failureReason: z.enum(FAILURE_REASONS).nullable(),
    ageSeconds: z.int().meta({ description: 'Seconds since the saga started' }),
    deadline: instant.meta({ description: 'When it is canceled TIMED_OUT if not ended' }),
    lastEvent: z
      .object({ type: z.string(), service: serviceName, at: instant })
      .nullable()
      .meta({ description: 'The latest event of its timeline' }),
    waitingFor: z
      .array(z.object({ event: z.string(), service: serviceName }))
      .meta({ description: 'The events it still needs, and the service that owes each' }),
    compensationFailure: z
      .string()
      .nullable()
      .meta({ description: 'Why the gateway refused its refund, until a retry refunds it' }),
  })
  .meta({ id: 'Saga' });

const operatorProblems = problems({
  403: 'A token without scope `admin` (`/problems/forbidden`)',
});

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
            409: 'The Idempotency-Key was first used with another body (`/problems/idempotency-key-reused`), or a hot deal has too few units left (`/problems/sold-out`, with its `productId`): no order, no charge',
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
    '/sagas': {
      get: {
        summary: 'Stuck sagas, least recently moved first (operators)',
        description:
          'Sagas not ended and without progress for `stuckFor` seconds, and sagas holding a refund the gateway refused, whatever their status',
        requestParams: { query: stuckQuerySchema },
        responses: {
          200: {
            description: 'Up to `limit` stuck sagas',
            content: { 'application/json': { schema: z.object({ items: z.array(saga) }) } },
          },
          ...guardProblems,
          ...operatorProblems,
          ...problems({ 400: 'Invalid query (`/problems/validation`)' }),
        },
      },
    },
    '/sagas/{orderId}': {
      get: {
        summary: 'One saga with what it waits for and its timeline (operators)',
        requestParams: { path: sagaIdSchema },
        responses: {
          200: {
            description: 'The saga, stuck or not',
            content: {
              'application/json': {
                schema: saga
                  .extend({ timeline: z.array(timelineEntry) })
                  .meta({ id: 'SagaDetail' }),
              },
            },
          },
          ...guardProblems,
          ...operatorProblems,
          ...problems({
            400: 'Not a UUID (`/problems/validation`)',
            404: 'No saga for this order (`/problems/saga-not-found`)',
          }),
        },
      },
    },
  },
);
