import { randomUUID } from 'node:crypto';
import type { PaymentMethod } from '@saga/shared/events';
import type { UnitOfWork } from '@saga/shared/outbox';
import type { ServiceContext } from '@saga/shared/service';
import type { TraceHeaders } from '@saga/shared/telemetry';
import { isUniqueViolation } from '../db/executor.js';
import { findOrderByIdempotencyKey, orderInsert } from '../db/orders.js';
import { findCatalog } from '../db/products.js';
import type { ShippingAddress } from '../db/schema.js';
import {
  type PricedOrder,
  type PricingProblem,
  priceOrder,
  type RequestedItem,
} from '../domain/pricing.js';
import { producerOf } from '../domain/saga-state.js';
import { orderCreated } from '../events/outgoing.js';
import type { HotDealGate } from '../hot-deal/gate.js';

export interface OrderRequest {
  /** The authenticated customer, never taken from the body. */
  customerId: string;
  items: RequestedItem[];
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
}

export interface PlaceOrderCommand {
  /** The customer's own key: keys of different customers never meet. */
  idempotencyKey: string;
  /** Fingerprint of the request body: a reused key with another body is a conflict. */
  requestHash: string;
  request: OrderRequest;
  /** The request's trace, which the saga continues. */
  trace: TraceHeaders;
  /** Seconds the saga has to end before it is canceled TIMED_OUT. */
  deadlineSeconds: number;
}

export type PlaceOrderOutcome =
  | { kind: 'placed'; orderId: string }
  /** The key was used before: the caller compares hashes to replay or refuse. */
  | { kind: 'key-used'; orderId: string; requestHash: string }
  | { kind: 'unprocessable'; problems: PricingProblem[] }
  /** A hot deal has too few units left: refused at the door, nothing placed or emitted. */
  | { kind: 'sold-out'; productId: string };

/**
 * Places an order in one transaction: order, lines, saga record, first timeline row and
 * `order.created` in the outbox. The catalog is read in BEGIN's round trip and the writes go out
 * with the COMMIT: two round trips in all, shared by the orders placed together. The unique
 * idempotency key is the truth; when an earlier or a concurrent request with the same key won the
 * insert, this one answers from that order. Lines of a hot deal are held at its gate first,
 * between two transactions (a hold may read the replica, so none is held open while it waits); a
 * hold whose order is then not placed is given back.
 */
export async function placeOrder(
  context: ServiceContext,
  gate: HotDealGate,
  { idempotencyKey, requestHash, request, trace, deadlineSeconds }: PlaceOrderCommand,
): Promise<PlaceOrderOutcome> {
  // The unique key decides; the key is looked up only when this request cannot place the order,
  // so a new order (nearly every request: Redis answers most repeats) costs no lookup.
  const usedBefore = async (): Promise<PlaceOrderOutcome | undefined> => {
    const used = await findOrderByIdempotencyKey(
      context.database.db,
      request.customerId,
      idempotencyKey,
    );
    return used && { kind: 'key-used', orderId: used.id, requestHash: used.requestHash };
  };
  const orderId = randomUUID();
  const place = (unit: UnitOfWork, priced: PricedOrder) => {
    const createdAt = new Date();
    const event = orderCreated({
      ...priced,
      orderId,
      customerId: request.customerId,
      shippingAddress: request.shippingAddress,
      paymentMethod: request.paymentMethod,
      createdAt,
    });
    unit.writeAtCommit(
      orderInsert(
        {
          ...priced,
          id: orderId,
          customerId: request.customerId,
          shippingAddress: request.shippingAddress,
          idempotencyKey,
          requestHash,
          createdAt,
          deadlineAt: new Date(createdAt.getTime() + deadlineSeconds * 1000),
        },
        { eventId: event.value.eventId, type: event.topic, service: producerOf(event.topic) },
      ),
    );
    return unit.emit([event]);
  };

  try {
    const first = await context.transact(
      async (unit): Promise<FirstTry> => {
        const catalog = await findCatalog(
          unit.tx,
          request.items.map((item) => item.productId),
        );
        const priced = priceOrder(request.items, catalog);
        if (!priced.ok) return { kind: 'unprocessable', problems: priced.problems };
        const hotLines = request.items.filter((item) => catalog.get(item.productId)?.hotDeal);
        if (hotLines.length > 0) return { kind: 'gate-first', order: priced.order, hotLines };
        await place(unit, priced.order);
        return { kind: 'placed', orderId };
      },
      { trace },
    );
    if (first.kind === 'unprocessable') return (await usedBefore()) ?? first;
    if (first.kind !== 'gate-first') return first;

    // A replay answers as the order first did and takes no second hold. (Concurrent first
    // requests with one key may both hold; the loser gives its hold back below.)
    const used = await usedBefore();
    if (used) return used;
    const hold = await gate.hold(orderId, first.hotLines);
    if (hold.kind === 'sold-out') return hold;
    try {
      await context.transact((unit) => place(unit, first.order), { trace });
    } catch (error) {
      await gate.giveBack(orderId);
      throw error;
    }
    return { kind: 'placed', orderId };
  } catch (error) {
    if (!isUniqueViolation(error, 'orders_customer_idempotency_key_unique')) throw error;
    const winner = await usedBefore();
    if (!winner) throw error;
    return winner;
  }
}

/** What the first transaction found: the order placed, refused, or waiting for the gate. */
type FirstTry =
  | { kind: 'placed'; orderId: string }
  | { kind: 'unprocessable'; problems: PricingProblem[] }
  | { kind: 'gate-first'; order: PricedOrder; hotLines: RequestedItem[] };
