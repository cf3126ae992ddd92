import { Counter, Gauge, type Registry } from 'prom-client';

/** One request waiting for an order to end. */
export interface OrderWaiter {
  /**
   * Resolves when the order ended since the last call (at once if it already did), after `ms`,
   * or when the waiter is released, whichever comes first. The caller re-reads the order.
   */
  next(ms: number): Promise<void>;
  /** Whether it was released: by its request, or by the watch closing. */
  readonly released: boolean;
  /** Unregisters the waiter and ends a pending `next`; safe to call twice. */
  release(): void;
}

export interface OrderWatch {
  /**
   * Registers a waiter for `orderId`, before the caller reads the order, so no end is missed in
   * between. Undefined when `maxWaiters` already wait or the watch is closed: answer at once.
   */
  register(orderId: string): OrderWaiter | undefined;
  /** Wakes the waiters of `orderId`. Call only after the transaction that ended it committed. */
  ended(orderId: string): void;
  /** Releases every waiter and refuses new ones: the service is stopping. */
  close(): void;
  /** Waiters registered now. */
  readonly size: number;
}

export interface OrderWatchOptions {
  maxWaiters: number;
  /** Gets `saga_order_waiters` and `saga_order_waits_refused_total`. */
  registry: Registry;
}

interface Registered extends OrderWaiter {
  wake(): void;
}

/**
 * Who waits for which order, in this process only: a move committed by another instance wakes
 * nobody here, so waiters also re-read on a timer of their own (see `next`).
 */
export function createOrderWatch({ maxWaiters, registry }: OrderWatchOptions): OrderWatch {
  const waiting = new Map<string, Set<Registered>>();
  let size = 0;
  let closed = false;

  new Gauge({
    name: 'saga_order_waiters',
    help: 'GET /orders/:id requests waiting (Prefer: wait) for their order to end',
    registers: [registry],
    collect() {
      this.set(size);
    },
  });
  const refused = new Counter({
    name: 'saga_order_waits_refused_total',
    help: 'Waits answered at once because ORDER_WAIT_MAX_WAITERS requests were already waiting',
    registers: [registry],
  });

  function register(orderId: string): OrderWaiter | undefined {
    if (closed) return undefined;
    if (size >= maxWaiters) {
      refused.inc();
      return undefined;
    }
    let woken = false;
    let released = false;
    let resume: (() => void) | undefined;
    const waiter: Registered = {
      get released() {
        return released;
      },
      wake() {
        woken = true;
        resume?.();
      },
      next(ms) {
        if (woken || released) {
          woken = false;
          return Promise.resolve();
        }
        return new Promise((resolve) => {
          const timer = setTimeout(() => resume?.(), ms);
          resume = () => {
            clearTimeout(timer);
            resume = undefined;
            woken = false;
            resolve();
          };
        });
      },
      release() {
        if (released) return;
        released = true;
        size--;
        const waiters = waiting.get(orderId);
        waiters?.delete(waiter);
        if (waiters?.size === 0) waiting.delete(orderId);
        resume?.();
      },
    };
    const waiters = waiting.get(orderId) ?? new Set();
    waiting.set(orderId, waiters.add(waiter));
    size++;
    return waiter;
  }

  return {
    register,
    ended(orderId) {
      for (const waiter of waiting.get(orderId) ?? []) waiter.wake();
    },
    close() {
      closed = true;
      for (const waiters of [...waiting.values()]) {
        for (const waiter of [...waiters]) waiter.release();
      }
    },
    get size() {
      return size;
    },
  };
}
