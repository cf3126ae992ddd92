import { ADMIN_SCOPE } from '@saga/shared/auth';
import {
  HttpProblem,
  PROBLEM_BASE,
  parseInput,
  requireScope,
  type ServiceContext,
} from '@saga/shared/service';
import type { Express } from 'express';
import { z } from 'zod';
import { findRefund, rearmFailedRefund } from '../db/payments.js';

export const refundRetryParamsSchema = z.object({ orderId: z.string().min(1).max(200) });

/**
 * POST /payments/:orderId/refund/retry (scope admin): a refund the gateway refused goes back to
 * the settler, pending and due now; it then emits payment.refunded, or payment.refund-failed again.
 */
export function mountRefundRetry(app: Express, context: ServiceContext, wakeSettler: () => void) {
  const { db } = context.database;
  app.post(
    '/payments/:orderId/refund/retry',
    requireScope(ADMIN_SCOPE),
    async (request, response) => {
      const { orderId } = parseInput(refundRetryParamsSchema, request.params, 'params');
      const rearmed = await rearmFailedRefund(db, orderId);
      if (!rearmed) throw nothingToRetry(orderId, (await findRefund(db, orderId))?.status);
      wakeSettler();
      context.logger.warn(
        { orderId, paymentId: rearmed.id },
        'refused refund retried by an operator',
      );
      response.json({
        orderId,
        refundId: rearmed.id,
        status: rearmed.status,
        reason: rearmed.reason,
      });
    },
  );
}

function nothingToRetry(orderId: string, status: string | undefined): HttpProblem {
  return status === undefined
    ? new HttpProblem({
        type: `${PROBLEM_BASE}refund-not-found`,
        title: 'No refund to retry',
        status: 404,
        detail: `Order ${orderId} has no refund`,
      })
    : new HttpProblem({
        type: `${PROBLEM_BASE}refund-not-failed`,
        title: 'The refund has not failed',
        status: 409,
        detail: `The refund of order ${orderId} is ${status}: only a FAILED refund is retried`,
      });
}
