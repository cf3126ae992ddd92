import { Counter, type Registry } from 'prom-client';
import type { ReleaseReason } from './domain/reservation.js';

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
  /** Reserved stock given back to compensate the saga's `reason`. */
  released(reason: ReleaseReason): void;
}

export function createStockMetrics(registry: Registry): StockMetrics {
  const events = new Counter({
    name: 'saga_inventory_stock_events_total',
    help: 'Events applied by inventory-service, by topic and outcome (reserved, failed, released, voided, duplicate, stale)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [registry],
  });
  const compensations = new Counter({
    name: 'saga_compensations_total',
    help: 'Compensations made, by kind (refund, release) and the failure they compensate',
    labelNames: ['kind', 'reason'] as const,
    registers: [registry],
  });
  return {
    count: (topic, outcome) => events.inc({ topic, outcome }),
    released: (reason) => compensations.inc({ kind: 'release', reason }),
  };
}
