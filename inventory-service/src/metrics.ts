import { Counter, type Registry } from 'prom-client';

/**
 * What an event did to the stock:
 * - `reserved` / `failed`: an order's reservation was recorded with that outcome;
 * - `released`: reserved stock went back to available;
 * - `voided`: an order canceled before it was reserved will not be;
 * - `duplicate`: the order was reserved already (payment.completed again under a new event id);
 * - `stale`: the semantic lock refused the release (reservation failed or released already).
 */
export type StockOutcome = 'reserved' | 'failed' | 'released' | 'voided' | 'duplicate' | 'stale';

export interface StockMetrics {
  count(topic: string, outcome: StockOutcome): void;
}

export function createStockMetrics(registry: Registry): StockMetrics {
  const events = new Counter({
    name: 'saga_inventory_stock_events_total',
    help: 'Events applied by inventory-service, by topic and outcome (reserved, failed, released, voided, duplicate, stale)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [registry],
  });
  return { count: (topic, outcome) => events.inc({ topic, outcome }) };
}
