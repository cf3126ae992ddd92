import type { FailureReason, OrderStatus, ProductSeed } from '../saga/api.js';
import { CARDS, type OrderSpec, UNDELIVERABLE_POSTAL_CODE } from '../saga/orders.js';

export const DEMO_PRODUCTS: ProductSeed[] = [
  {
    productId: 'keyboard',
    name: 'Mechanical keyboard',
    priceMinor: 8_999,
    currency: 'EUR',
    stock: 25,
  },
  { productId: 'mouse', name: 'Wireless mouse', priceMinor: 2_999, currency: 'EUR', stock: 40 },
  {
    productId: 'headphones',
    name: 'Headphones (hot deal)',
    priceMinor: 4_999,
    currency: 'EUR',
    stock: 2,
  },
];

export interface DemoOrder extends OrderSpec {
  /** What the order shows off, in a few words. */
  story: string;
  expected: { status: OrderStatus; failureReason: FailureReason | null };
}

const completes = { status: 'COMPLETED', failureReason: null } as const;
const cancels = (failureReason: FailureReason) => ({ status: 'CANCELED', failureReason }) as const;

/**
 * Orders placed all at once. Every outcome is decided by the order alone, whatever the timing:
 * the hot deal has 2 units, carla takes both and eva asks for 3, more than it ever had.
 */
export const DEMO_ORDERS: DemoOrder[] = [
  { story: 'happy path', customerId: 'ana', productId: 'keyboard', expected: completes },
  {
    story: 'happy path',
    customerId: 'bruno',
    productId: 'mouse',
    quantity: 2,
    expected: completes,
  },
  {
    story: 'hot deal, sold out',
    customerId: 'carla',
    productId: 'headphones',
    quantity: 2,
    expected: completes,
  },
  {
    story: 'card declined',
    customerId: 'duarte',
    productId: 'mouse',
    token: CARDS.declined,
    expected: cancels('PAYMENT_DECLINED'),
  },
  {
    story: 'hot deal, too late',
    customerId: 'eva',
    productId: 'headphones',
    quantity: 3,
    expected: cancels('OUT_OF_STOCK'),
  },
  {
    story: 'undeliverable address',
    customerId: 'filipa',
    productId: 'keyboard',
    postalCode: UNDELIVERABLE_POSTAL_CODE,
    expected: cancels('DELIVERY_FAILED'),
  },
  {
    story: 'gateway timed out, charged',
    customerId: 'gil',
    productId: 'keyboard',
    token: CARDS.timedOutButCharged,
    expected: completes,
  },
];
