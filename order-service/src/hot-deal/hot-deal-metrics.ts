import { Counter, type Registry } from 'prom-client';

/**
 * - `taken`: units held for an order at the door; `refused`: sold out, the buyer was turned away;
 * - `consumed`: the order completed, its units are sold; `released`: it was canceled, its units
 *   went back (or not, after OUT_OF_STOCK); `given-back`: the order was not placed after all;
 * - `expired`: the expiry worker ended a hold its saga did not;
 * - `skipped`: Redis or the seed was unreachable, the order went on without a hold.
 */
export type HoldEvent =
  | 'taken'
  | 'refused'
  | 'consumed'
  | 'released'
  | 'given-back'
  | 'expired'
  | 'skipped';

export type HotDealMetrics = (event: HoldEvent) => void;

export function createHotDealMetrics(registry: Registry): HotDealMetrics {
  const holds = new Counter({
    name: 'saga_hot_deal_holds_total',
    help: 'Hot-deal gate holds by event (taken, refused, consumed, released, given-back, expired, skipped)',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  return (event) => holds.inc({ event });
}
