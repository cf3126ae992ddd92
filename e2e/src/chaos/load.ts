import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderApi, OrderRequest, ProductSeed } from '../saga/api.js';
import { CARDS, orderRequest, UNDELIVERABLE_POSTAL_CODE } from '../saga/orders.js';
import type { Random } from './random.js';

/** Plenty of stock for most products, a scarce one so some sagas compensate OUT_OF_STOCK. */
export const CHAOS_PRODUCTS: ProductSeed[] = [
  { productId: 'keyboard', name: 'Keyboard', priceMinor: 4_999, currency: 'EUR', stock: 100_000 },
  { productId: 'mouse', name: 'Mouse', priceMinor: 1_999, currency: 'EUR', stock: 100_000 },
  { productId: 'monitor', name: 'Monitor', priceMinor: 19_900, currency: 'EUR', stock: 100_000 },
  { productId: 'hot-deal', name: 'Hot deal', priceMinor: 999, currency: 'EUR', stock: 15 },
];

export interface PlannedOrder {
  /** Milliseconds after the load starts: open loop, whatever the platform's pace. */
  atMs: number;
  idempotencyKey: string;
  request: OrderRequest;
  /** Sent again with the same key once accepted, as a client unsure of the answer would. */
  repeat: boolean;
}

/** The orders of a run, all drawn from `random`: the same seed plans the same orders. */
export function planOrders(random: Random, count: number, ratePerSecond: number): PlannedOrder[] {
  return Array.from({ length: count }, (_, index) => {
    const card = random.next();
    const token =
      card < 0.85 ? CARDS.approved : card < 0.93 ? CARDS.declined : CARDS.timedOutButCharged;
    return {
      atMs: Math.round((index * 1_000) / ratePerSecond),
      idempotencyKey: `chaos-${index}-${random.int(0, 0xffff_ffff).toString(16)}`,
      request: orderRequest({
        customerId: `customer-${random.int(1, 20)}`,
        productId: random.pick(CHAOS_PRODUCTS).productId,
        quantity: random.int(1, 3),
        token,
        postalCode: random.chance(0.07) ? UNDELIVERABLE_POSTAL_CODE : '1100-053',
      }),
      repeat: random.chance(0.1),
    };
  });
}

export interface Placement {
  /** Undefined when every attempt failed: the order may or may not exist. */
  orderId?: string;
  attempts: number;
  lastError?: string;
  /** The repeated request's order id when it differs from the first: idempotency broke. */
  repeatedAs?: string;
}

const ATTEMPTS = 30;
const REQUEST_TIMEOUT_MS = 3_000;

/**
 * POSTs the order like a careful client: on a failure or a 5xx it retries with the same
 * Idempotency-Key on the other instance, so a killed, stopped or cut-off instance costs latency,
 * not the order, and the retries exercise idempotency under faults.
 */
async function post(order: PlannedOrder, apis: readonly OrderApi[], first: number) {
  let error = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const api = apis[(first + attempt) % apis.length]!;
    try {
      const answer = await Promise.race([
        api.post(order.request, order.idempotencyKey),
        sleep(REQUEST_TIMEOUT_MS).then(() => {
          throw new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`);
        }),
      ]);
      if (answer.status === 202) return { attempts: attempt, orderId: answer.body.orderId };
      error = `${answer.status} ${JSON.stringify(answer.body)}`;
      if (answer.status < 500) return { attempts: attempt, error }; // retrying cannot help
    } catch (failure) {
      error = (failure as Error).message;
    }
    await sleep(Math.min(250 * attempt, 2_000));
  }
  return { attempts: ATTEMPTS, error };
}

async function place(
  order: PlannedOrder,
  apis: readonly OrderApi[],
  first: number,
): Promise<Placement> {
  const sent = await post(order, apis, first);
  if (!sent.orderId) return { attempts: sent.attempts, lastError: sent.error };
  const placement = { attempts: sent.attempts, orderId: sent.orderId };
  if (!order.repeat) return placement;
  const again = await post(order, apis, first + 1);
  return again.orderId === sent.orderId
    ? placement
    : { ...placement, repeatedAs: again.orderId ?? again.error };
}

/**
 * Fires the planned orders at their times (open loop: a slow platform does not slow the load),
 * alternating between the order-service instances, and resolves once every placement settled.
 */
export async function driveLoad(
  plan: readonly PlannedOrder[],
  orderApis: readonly OrderApi[],
  startedAt: number,
  signal: AbortSignal,
): Promise<Placement[]> {
  const placements: Promise<Placement>[] = [];
  for (const [index, order] of plan.entries()) {
    const wait = startedAt + order.atMs - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
    if (signal.aborted) break;
    placements.push(place(order, orderApis, index));
  }
  return Promise.all(placements);
}
