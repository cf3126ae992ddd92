// Drives orders through the HTTP API and times each saga from its 202 to its terminal state.
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal, type OrderApi, type OrderView } from '../../saga/api.js';
import { newIdempotencyKey, orderRequest } from '../../saga/orders.js';
import { type Kind, kindOf, type Mix, OUTCOMES, orderSpec } from './mix.js';

export interface SagaSample {
  kind: Kind;
  /** POST /orders, request to 202. */
  postMs: number;
  /** 202 to the answer that showed the order terminal. */
  sagaMs: number;
  /** How the saga ended, e.g. `CANCELED OUT_OF_STOCK`. */
  outcome: string;
  /** `performance.now()` when the terminal answer came. */
  endedAt: number;
  /** The saga's hops: time between consecutive timeline events, by the services' clocks. */
  hops: { hop: string; ms: number }[];
}

export type Load =
  | { mode: 'closed'; concurrency: number; orders: number }
  | { mode: 'open'; rate: number; seconds: number };

const outcomeOf = (order: OrderView) =>
  order.failureReason ? `${order.status} ${order.failureReason}` : order.status;

function hopsOf(order: OrderView): SagaSample['hops'] {
  const steps = order.timeline.map(({ type, at }) => ({ type, at: Date.parse(at) }));
  return steps.slice(1).map((step, i) => ({
    hop: `${steps[i]!.type} → ${step.type}`,
    ms: step.at - steps[i]!.at,
  }));
}

/**
 * Waits without polling (`Prefer: wait`); backs off only if order-service did not wait. With the
 * customer's own token, as the client the benchmark stands for would.
 */
async function awaitTerminal(
  orders: OrderApi,
  orderId: string,
  customerId: string,
): Promise<OrderView> {
  for (;;) {
    const { order, waited } = await orders.waitFor(orderId, 30, customerId);
    if (isTerminal(order.status)) return order;
    if (!waited) await sleep(50);
  }
}

/** One order's whole saga, as a client sees it. */
async function oneSaga(orders: OrderApi, mix: Mix, n: number): Promise<SagaSample> {
  const kind = kindOf(mix, n);
  const request = orderRequest(orderSpec(kind, n));
  const begin = performance.now();
  const orderId = await orders.place(request, newIdempotencyKey());
  const accepted = performance.now();
  const order = await awaitTerminal(orders, orderId, request.customerId);
  const endedAt = performance.now();
  return {
    kind,
    postMs: accepted - begin,
    sagaMs: endedAt - accepted,
    outcome: outcomeOf(order),
    endedAt,
    hops: hopsOf(order),
  };
}

/**
 * Closed loop: `concurrency` clients, each placing its next order once the last saga ended.
 * Open loop: orders started on a fixed schedule, whatever is still running. `first` numbers the
 * orders, so a warm-up and the measured run keep one mix sequence.
 */
export async function drive(orders: OrderApi, mix: Mix, load: Load, first = 0) {
  const samples: SagaSample[] = [];
  let next = first;
  const begin = performance.now();
  if (load.mode === 'closed') {
    const end = first + load.orders;
    const client = async () => {
      while (next < end) samples.push(await oneSaga(orders, mix, next++));
    };
    await Promise.all(Array.from({ length: Math.min(load.concurrency, load.orders) }, client));
  } else {
    const total = Math.round(load.rate * load.seconds);
    const running: Promise<void>[] = [];
    let behindMs = 0;
    for (let i = 0; i < total; i++) {
      const due = begin + (i * 1000) / load.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else behindMs = Math.max(behindMs, -wait);
      running.push(oneSaga(orders, mix, next++).then((sample) => void samples.push(sample)));
    }
    await Promise.all(running);
    if (behindMs > 50) {
      console.warn(`  ! the load generator fell up to ${behindMs.toFixed(0)} ms behind schedule`);
    }
  }
  return { samples, seconds: (performance.now() - begin) / 1000, next };
}

/**
 * Sagas ended per second, from the first to end to the last. Unlike sagas over the whole run it
 * does not count the first saga's latency as idle time, so a platform that keeps up with an open
 * loop scores about the offered rate even in a short run.
 */
export function completionRate(samples: readonly SagaSample[]): number {
  const ends = samples.map((sample) => sample.endedAt);
  const spanMs = Math.max(...ends) - Math.min(...ends);
  return samples.length > 1 && spanMs > 0 ? ((samples.length - 1) * 1000) / spanMs : Number.NaN;
}

/** Orders that ended other than their kind says (a declined card that completed, say). */
export const unexpected = (samples: readonly SagaSample[]) =>
  samples.filter((sample) => sample.outcome !== OUTCOMES[sample.kind]);
