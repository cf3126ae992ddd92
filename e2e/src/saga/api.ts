/** The HTTP API as the end-to-end tests and the demo call it. */
import type { Credentials } from '@saga/shared/auth';
import { request } from 'undici';

export type OrderStatus =
  | 'PENDING'
  | 'PAID'
  | 'STOCK_RESERVED'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'CANCELED';
export type FailureReason = 'PAYMENT_DECLINED' | 'OUT_OF_STOCK' | 'DELIVERY_FAILED' | 'TIMED_OUT';

export const isTerminal = (status: OrderStatus) => status === 'COMPLETED' || status === 'CANCELED';

export interface OrderRequest {
  /** Who places the order: sent as the token's subject, not in the body. */
  customerId: string;
  items: { productId: string; quantity: number }[];
  shippingAddress: { line1: string; city: string; postalCode: string; country: string };
  paymentMethod: { type: 'card'; token: string };
}

export interface TimelineEntry {
  type: string;
  service: string;
  eventId: string;
  at: string;
}

export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  amountMinor: number;
  currency: string;
  items: { productId: string; name: string; quantity: number; unitPriceMinor: number }[];
  failureReason: FailureReason | null;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
}

export interface ProductSeed {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  stock: number;
  /** Sold through order-service's gate; false when left out. */
  hotDeal?: boolean;
}

export interface ProductView {
  productId: string;
  hotDeal: boolean;
  availableQuantity: number;
  reservedQuantity: number;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A request that must not hang a test: every call gives up after `timeoutMs`. undici's `request`
 * rather than `fetch`, which costs several times the CPU: the benchmark's load generator
 * shares the machine with the platform it measures.
 */
export async function call<T>(
  url: string,
  init: { method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: unknown } = {},
  timeoutMs = 10_000,
): Promise<HttpAnswer<T>> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.body.text();
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of [value ?? []].flat()) headers.append(name, one);
  }
  return {
    status: response.statusCode,
    headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

export class UnexpectedAnswer extends Error {
  override name = 'UnexpectedAnswer';
  constructor(what: string, answer: HttpAnswer) {
    super(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * order-service's API. An order is placed with its customer's token; it is read with the token of
 * the customer `as` names, or else an operator's, which may read every customer's orders.
 */
export function orderApi(baseUrl: string, credentials: Credentials) {
  const readerOf = async (as?: string) =>
    bearer(await (as === undefined ? credentials.admin() : credentials.customer(as)));
  return {
    /** POST /orders; the raw answer, so callers can assert on 202, 409 or 422. */
    async post({ customerId, ...body }: OrderRequest, idempotencyKey: string) {
      return call<{ orderId: string; status: OrderStatus }>(`${baseUrl}/orders`, {
        method: 'POST',
        headers: {
          'idempotency-key': idempotencyKey,
          ...bearer(await credentials.customer(customerId)),
        },
        body,
      });
    },
    /** POST /orders that must be accepted: the order id. */
    async place(request: OrderRequest, idempotencyKey: string): Promise<string> {
      const answer = await this.post(request, idempotencyKey);
      if (answer.status !== 202) throw new UnexpectedAnswer('POST /orders', answer);
      return answer.body.orderId;
    },
    async get(orderId: string, as?: string): Promise<OrderView> {
      const answer = await call<OrderView>(`${baseUrl}/orders/${orderId}`, {
        headers: await readerOf(as),
      });
      if (answer.status !== 200) throw new UnexpectedAnswer(`GET /orders/${orderId}`, answer);
      return answer.body;
    },
    /**
     * GET /orders/:id with `Prefer: wait=<seconds>`: answers once the order is COMPLETED or
     * CANCELED, or with its current state when the wait ran out. `waited` is false when
     * order-service answered at once without waiting (no `Preference-Applied`).
     */
    async waitFor(
      orderId: string,
      seconds: number,
      as?: string,
    ): Promise<{ order: OrderView; waited: boolean }> {
      const answer = await call<OrderView>(
        `${baseUrl}/orders/${orderId}`,
        { headers: { prefer: `wait=${seconds}`, ...(await readerOf(as)) } },
        seconds * 1000 + 10_000,
      );
      if (answer.status !== 200) throw new UnexpectedAnswer(`GET /orders/${orderId}`, answer);
      return { order: answer.body, waited: answer.headers.has('preference-applied') };
    },
  };
}

export type OrderApi = ReturnType<typeof orderApi>;

/** inventory-service's API, as an operator: writing products needs the admin scope. */
export function inventoryApi(baseUrl: string, credentials: Credentials) {
  return {
    async put({ productId, ...product }: ProductSeed): Promise<ProductView> {
      const answer = await call<ProductView>(`${baseUrl}/products/${productId}`, {
        method: 'PUT',
        headers: bearer(await credentials.admin()),
        body: product,
      });
      if (answer.status !== 200) throw new UnexpectedAnswer(`PUT /products/${productId}`, answer);
      return answer.body;
    },
    async get(productId: string): Promise<ProductView> {
      const answer = await call<ProductView>(`${baseUrl}/products/${productId}`, {
        headers: bearer(await credentials.admin()),
      });
      if (answer.status !== 200) throw new UnexpectedAnswer(`GET /products/${productId}`, answer);
      return answer.body;
    },
  };
}

export type InventoryApi = ReturnType<typeof inventoryApi>;

export interface GatewayCharge {
  chargeId: string;
  status: 'succeeded' | 'declined';
  amountMinor: number;
  amountRefundedMinor: number;
}

/** The payment gateway simulator: the external ledger, to check money left the card once. */
export function gatewayApi(baseUrl: string) {
  return {
    async charges(reference: string): Promise<GatewayCharge[]> {
      const url = `${baseUrl}/v1/charges?${new URLSearchParams({ reference })}`;
      const answer = await call<{ data: GatewayCharge[] }>(url);
      if (answer.status !== 200) throw new UnexpectedAnswer('GET /v1/charges', answer);
      return answer.body.data;
    },
    /** Turns the simulator's failure knobs (`PUT /admin/config`); the others keep their value. */
    async configure(knobs: Record<string, unknown>): Promise<void> {
      const answer = await call(`${baseUrl}/admin/config`, { method: 'PUT', body: knobs });
      if (answer.status !== 200) throw new UnexpectedAnswer('PUT /admin/config', answer);
    },
  };
}
