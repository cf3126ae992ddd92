// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.
// Regenerate with: npx tsx schemas/scripts/generate-types.ts

/** The order cannot be delivered. Inventory releases the stock and payment refunds in reaction. */
export interface DeliveryFailed {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (stock.reserved). */
  causationId: string | null;
  deliveryId: string;
  /** Machine-readable reason, upper snake case, e.g. UNDELIVERABLE_ADDRESS. */
  reason: string;
}

/** A delivery was scheduled for the reserved order; the last step of the happy path. */
export interface DeliveryStarted {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (stock.reserved). */
  causationId: string | null;
  deliveryId: string;
  /** Destination postal code. */
  postalCode: string;
}

/**
 * The saga ended canceled: after every compensation it needed was seen, or at its deadline (then
 * the services that hold something for the order compensate on this event). Terminal.
 */
export interface OrderCanceled {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (the last fact needed). */
  causationId: string | null;
  customerId: string;
  /**
   * Why the order was canceled. TIMED_OUT: its deadline passed first; whoever holds something for
   * it gives it back.
   */
  reason: 'PAYMENT_DECLINED' | 'OUT_OF_STOCK' | 'DELIVERY_FAILED' | 'TIMED_OUT';
}

/** The saga ended well: paid, stock reserved, delivery started. Terminal. */
export interface OrderCompleted {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (delivery.started). */
  causationId: string | null;
  customerId: string;
  /** Amount charged, in minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
}

/**
 * One order line, name and price snapshotted from the product replica when the order was placed.
 */
export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  /** Unit price in minor units of `currency`. */
  unitPriceMinor: number;
}

/** Where the order ships to. */
export interface ShippingAddress {
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
}

/** How the customer pays. */
export interface PaymentMethod {
  /** Payment method kind; only `card` today. */
  type: string;
  /** Opaque gateway token (never a card number). */
  token: string;
}

/**
 * An order was accepted and is PENDING; starts the saga. Carries everything payment, inventory and
 * delivery need downstream.
 */
export interface OrderCreated {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one; null here, an HTTP request caused it. */
  causationId: string | null;
  customerId: string;
  items: OrderItem[];
  /** Order total in minor units (sum of quantity x unitPriceMinor). */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
}

/** A quantity of one product. */
export interface ItemQuantity {
  productId: string;
  quantity: number;
}

/** The order was charged. Carries the items for inventory and the address delivery needs later. */
export interface PaymentCompleted {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (order.created). */
  causationId: string | null;
  customerId: string;
  paymentId: string;
  /** The payment gateway's id of the charge. */
  gatewayTransactionId: string;
  /** Amount charged, in minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  items: ItemQuantity[];
  shippingAddress: ShippingAddress;
}

/** The charge was declined or rejected; nothing was charged, so nothing needs compensating. */
export interface PaymentFailed {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (order.created). */
  causationId: string | null;
  customerId: string;
  /** Amount that was attempted, in minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  /** Machine-readable reason, upper snake case, e.g. PAYMENT_DECLINED. */
  reason: string;
  /** Human-readable detail from the gateway, if any. */
  details: string | null;
}

/**
 * A refund the gateway refused for good. The saga stays stuck, with this reason, until an operator
 * retries the refund (npm run saga -- retry).
 */
export interface PaymentRefundFailed {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that asked for the refund. */
  causationId: string | null;
  customerId: string;
  /** The charge that was not refunded. */
  paymentId: string;
  /** Amount still owed to the customer, in minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  /** The failure the refund compensates. */
  reason: 'OUT_OF_STOCK' | 'DELIVERY_FAILED' | 'TIMED_OUT';
  /** What the gateway answered. */
  details: string;
}

/** Compensation: a completed charge was refunded because a later step failed. */
export interface PaymentRefunded {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /**
   * eventId of the event that caused this one (stock.reservation-failed, delivery.failed or
   * order.canceled).
   */
  causationId: string | null;
  customerId: string;
  /** The refunded charge. */
  paymentId: string;
  refundId: string;
  /** Amount refunded, in minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  /** The failure the refund compensates. */
  reason: 'OUT_OF_STOCK' | 'DELIVERY_FAILED' | 'TIMED_OUT';
}

/**
 * A product was created or changed; the current state, for replicas (order-service prices orders
 * from it). Keyed by productId.
 */
export interface ProductUpserted {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The product id and the Kafka key. */
  productId: string;
  /** When the fact happened, epoch milliseconds; replicas keep the newest. */
  occurredAt: number;
  name: string;
  /** Unit price in minor units of `currency`. */
  priceMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  /** The quantity the stock was set to (not a delta). */
  stock: number;
  /** Sold through order-service's gate, which refuses buyers at the door once sold out. */
  hotDeal: boolean;
}

/** Compensation: a reservation was given back to available stock because a later step failed. */
export interface StockReleased {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (delivery.failed or order.canceled). */
  causationId: string | null;
  reservationId: string;
  /** The released lines. */
  items: ItemQuantity[];
  /** The failure the release compensates. */
  reason: 'DELIVERY_FAILED' | 'TIMED_OUT';
}

/**
 * The order could not be reserved as a whole; nothing was reserved. Payment refunds in reaction.
 */
export interface StockReservationFailed {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (payment.completed). */
  causationId: string | null;
  /** The lines that were requested. */
  items: ItemQuantity[];
  /** Machine-readable reason, upper snake case, e.g. OUT_OF_STOCK. */
  reason: string;
}

/** Every line of the order was reserved. Carries the address delivery needs. */
export interface StockReserved {
  /** Unique id of this event (UUIDv7); consumers deduplicate on it. */
  eventId: string;
  /** The saga id and the Kafka key. */
  orderId: string;
  /** When the fact happened, epoch milliseconds. */
  occurredAt: number;
  /** eventId of the event that caused this one (payment.completed). */
  causationId: string | null;
  reservationId: string;
  items: ItemQuantity[];
  shippingAddress: ShippingAddress;
}

/** The event type each topic carries. */
export interface TopicEvents {
  'delivery.failed': DeliveryFailed;
  'delivery.started': DeliveryStarted;
  'order.canceled': OrderCanceled;
  'order.completed': OrderCompleted;
  'order.created': OrderCreated;
  'payment.completed': PaymentCompleted;
  'payment.failed': PaymentFailed;
  'payment.refund-failed': PaymentRefundFailed;
  'payment.refunded': PaymentRefunded;
  'product.upserted': ProductUpserted;
  'stock.released': StockReleased;
  'stock.reservation-failed': StockReservationFailed;
  'stock.reserved': StockReserved;
}

/** An event topic, named after the event type it carries. */
export type Topic = keyof TopicEvents;

/** Every event topic. */
export const TOPICS: readonly Topic[] = [
  'delivery.failed',
  'delivery.started',
  'order.canceled',
  'order.completed',
  'order.created',
  'payment.completed',
  'payment.failed',
  'payment.refund-failed',
  'payment.refunded',
  'product.upserted',
  'stock.released',
  'stock.reservation-failed',
  'stock.reserved',
];
