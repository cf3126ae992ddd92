import {
  guardProblems,
  type OpenApiDocument,
  openApiDocument,
  problems,
} from '@saga/shared/service';
import { z } from 'zod';
import { refundRetryParamsSchema } from './refund-retry.js';

/** The contract of payment-service's API: operator actions only. */
export const paymentApiDocument: OpenApiDocument = openApiDocument(
  {
    title: 'payment-service',
    version: '1',
    description: 'Operator actions on payments; charges and refunds follow the saga’s events.',
  },
  {
    '/payments/{orderId}/refund/retry': {
      post: {
        summary: 'Retry a refund the gateway refused (operators)',
        requestParams: { path: refundRetryParamsSchema },
        responses: {
          200: {
            description: 'The refund is pending again and settled at once',
            content: {
              'application/json': {
                schema: z.object({
                  orderId: z.string(),
                  refundId: z.uuid(),
                  status: z.literal('PENDING'),
                  reason: z.string().nullable(),
                }),
              },
            },
          },
          ...guardProblems,
          ...problems({
            400: 'Invalid order id (`/problems/validation`)',
            403: 'A token without scope `admin` (`/problems/forbidden`)',
            404: 'The order has no refund (`/problems/refund-not-found`)',
            409: 'The refund is pending or completed, not failed (`/problems/refund-not-failed`)',
          }),
        },
      },
    },
  },
);
