import { type FieldProblem, HttpProblem, PROBLEM_BASE } from '@saga/shared/service';

export function badHeader(header: string, message: string): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}validation`,
    title: 'Invalid request',
    status: 400,
    detail: `The ${header} header is invalid`,
    errors: [{ field: header, message }],
  });
}

export function badCursor(): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}validation`,
    title: 'Invalid request',
    status: 400,
    detail: 'The request query is invalid',
    errors: [{ field: 'cursor', message: 'Not a cursor returned by this endpoint' }],
  });
}

export function unprocessableOrder(errors: FieldProblem[]): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}unprocessable-order`,
    title: 'The order cannot be placed',
    status: 422,
    detail: errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    errors,
  });
}

export function idempotencyKeyReused(idempotencyKey: string): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}idempotency-key-reused`,
    title: 'Idempotency-Key already used for another request',
    status: 409,
    detail: `Idempotency-Key "${idempotencyKey}" was first used with a different body`,
  });
}

export function orderNotFound(orderId: string): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}order-not-found`,
    title: 'Order not found',
    status: 404,
    detail: `No order ${orderId}`,
  });
}

export function soldOut(productId: string): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}sold-out`,
    title: 'Sold out',
    status: 409,
    detail: `Hot deal ${productId} has no units left for this order; nothing was charged`,
    productId,
  });
}

export function sagaNotFound(orderId: string): HttpProblem {
  return new HttpProblem({
    type: `${PROBLEM_BASE}saga-not-found`,
    title: 'Saga not found',
    status: 404,
    detail: `No saga for order ${orderId}`,
  });
}
