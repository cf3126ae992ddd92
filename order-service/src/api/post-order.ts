import type { ServiceContext } from '@saga/shared/service';
import { parseInput, principalOf, requestTrace } from '@saga/shared/service';
import type { RequestHandler } from 'express';
import type { HotDealGate } from '../hot-deal/gate.js';
import type { IdempotencyCache, IdempotentResponse } from '../idempotency/cache.js';
import { requestHash } from '../idempotency/request-hash.js';
import { placeOrder } from '../use-cases/place-order.js';
import { badHeader, idempotencyKeyReused, soldOut, unprocessableOrder } from './problems.js';
import { idempotencyKeySchema, orderRequestSchema } from './schemas.js';

const IDEMPOTENCY_KEY = 'Idempotency-Key';

/**
 * POST /orders, for the token's customer. Same key and body answer the first response; same key
 * and another body is a 409, and so is a hot deal sold out at its gate. Keys are the customer's own. Redis answers repeats fast; the orders table's unique key decides when Redis cannot.
 */
export function postOrder(
  context: ServiceContext,
  cache: IdempotencyCache,
  sagaDeadlineSeconds: number,
  gate: HotDealGate,
): RequestHandler {
  return async (request, response) => {
    const key = idempotencyKeySchema.safeParse(request.get(IDEMPOTENCY_KEY));
    if (!key.success) {
      throw badHeader(IDEMPOTENCY_KEY, 'Required: 1 to 255 characters unique to this order');
    }
    const idempotencyKey = key.data;
    const customerId = principalOf(response).subject;
    const body = parseInput(orderRequestSchema, request.body);
    const hash = requestHash(body);

    const answer = (orderId: string) => {
      const first: IdempotentResponse = { orderId, status: 'PENDING' };
      response.status(202).location(`/orders/${orderId}`).json(first);
      return first;
    };

    const cached = await cache.get(customerId, idempotencyKey);
    if (cached) {
      if (cached.requestHash !== hash) throw idempotencyKeyReused(idempotencyKey);
      answer(cached.response.orderId);
      return;
    }
    const outcome = await placeOrder(context, gate, {
      idempotencyKey,
      requestHash: hash,
      request: { ...body, customerId },
      trace: requestTrace(response),
      deadlineSeconds: sagaDeadlineSeconds,
    });
    if (outcome.kind === 'unprocessable') throw unprocessableOrder(outcome.problems);
    // Not remembered under the key: the same request may succeed after a restock.
    if (outcome.kind === 'sold-out') throw soldOut(outcome.productId);
    if (outcome.kind === 'key-used' && outcome.requestHash !== hash) {
      throw idempotencyKeyReused(idempotencyKey);
    }
    const first = answer(outcome.orderId);
    await cache.set(customerId, idempotencyKey, { requestHash: hash, response: first });
  };
}
