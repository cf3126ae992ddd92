import { setTimeout as sleep } from 'node:timers/promises';
import {
  isTerminal,
  type OrderApi,
  type OrderView,
  type TimelineEntry,
  UnexpectedAnswer,
} from './api.js';
import { newIdempotencyKey, orderRequest } from './orders.js';

export class StuckSaga extends Error {
  override name = 'StuckSaga';
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Resolves once order-service's replica of `product.upserted` knows every product. Probes with an
 * order of quantity 0: always a 422, which names `items.N.productId` only while the product is
 * unknown, so the probe never places an order. A lost connection is probed again: under the chaos
 * harness the instance may have killed itself at a crash point and be on its way back.
 */
export async function waitForCatalog(
  orders: OrderApi,
  productIds: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const probe = {
    ...orderRequest({ customerId: 'catalog-probe', productId: productIds[0]! }),
    items: productIds.map((productId) => ({ productId, quantity: 0 })),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let missing: string;
    try {
      const answer = await orders.post(probe, newIdempotencyKey());
      const errors = (answer.body as { errors?: { field: string }[] } | undefined)?.errors ?? [];
      if (answer.status !== 422) throw new UnexpectedAnswer('the catalog probe', answer);
      const unknown = errors.filter((error) => error.field.endsWith('.productId'));
      if (unknown.length === 0) return;
      missing = `still does not know ${unknown.map((e) => e.field).join(', ')}`;
    } catch (error) {
      if (error instanceof UnexpectedAnswer) throw error;
      missing = `is unreachable (${(error as Error).message})`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `order-service ${missing} after ${timeoutMs} ms: is product.upserted reaching it?`,
      );
    }
    await sleep(100);
  }
}

const offset = (entry: TimelineEntry, start: number) => Date.parse(entry.at) - start;

/** `order.created +0 ms → payment.completed +41 ms → …`, for messages and tables. */
export function describeTimeline(order: OrderView): string {
  const start = Date.parse(order.createdAt);
  return order.timeline.map((entry) => `${entry.type} +${offset(entry, start)} ms`).join(' → ');
}

/** The longest wait one GET /orders/:id asks for; order-service may cap it lower. */
const WAIT_SECONDS = 20;

/**
 * Resolves once every order is COMPLETED or CANCELED. Each GET /orders/:id asks order-service to
 * answer when its order ends (`Prefer: wait`), and is sent again only if the order still runs
 * when the wait ran out. A saga still running at the deadline fails with its id, status and
 * timeline. Waiting requests cost order-service little, so many are open at once. Reads as an
 * operator, whose token sees every customer's orders.
 */
export async function waitForTerminal(
  orders: OrderApi,
  orderIds: readonly string[],
  timeoutMs = 60_000,
): Promise<Map<string, OrderView>> {
  const deadline = Date.now() + timeoutMs;
  const views = await mapConcurrently([...new Set(orderIds)], 32, (orderId) =>
    untilTerminal(orders, orderId, deadline),
  );
  const stuck = views.filter((view) => !isTerminal(view.status));
  if (stuck.length > 0) {
    const shown = stuck
      .slice(0, 5)
      .map((view) => `  ${view.orderId} ${view.status}: ${describeTimeline(view)}`);
    throw new StuckSaga(
      `${stuck.length} saga(s) not terminal after ${timeoutMs} ms:\n${shown.join('\n')}`,
    );
  }
  return new Map(views.map((view) => [view.orderId, view]));
}

/** One order, waited for until it ends or `deadline` passes: its last view either way. */
async function untilTerminal(
  orders: OrderApi,
  orderId: string,
  deadline: number,
): Promise<OrderView> {
  for (;;) {
    const seconds = Math.min(WAIT_SECONDS, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
    const { order, waited } = await orders.waitFor(orderId, seconds);
    if (isTerminal(order.status) || Date.now() >= deadline) return order;
    // Answered without waiting (every waiting slot of the instance taken): back off a little.
    if (!waited) await sleep(150);
  }
}
