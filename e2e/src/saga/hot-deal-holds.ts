/** What order-service's hot-deal gate counted (`saga_hot_deal_holds_total` by event). */
export type HoldCounts = Record<
  'taken' | 'refused' | 'consumed' | 'released' | 'given-back' | 'expired' | 'skipped',
  number
>;

/** Reads the gate's counters from an order-service instance's /metrics. */
export async function holdCounts(orderServiceUrl: string): Promise<HoldCounts> {
  const response = await fetch(`${orderServiceUrl}/metrics`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const counts: HoldCounts = {
    taken: 0,
    refused: 0,
    consumed: 0,
    released: 0,
    'given-back': 0,
    expired: 0,
    skipped: 0,
  };
  for (const [, event, value] of text.matchAll(
    /^saga_hot_deal_holds_total\{[^}]*\bevent="([^"]+)"[^}]*\} (\d+)$/gm,
  )) {
    if (event! in counts) counts[event as keyof HoldCounts] = Number(value);
  }
  return counts;
}

/** Holds taken and not yet ended: none once every saga ended (invariant 7). */
export const openHolds = (counts: HoldCounts) =>
  counts.taken - counts.consumed - counts.released - counts['given-back'] - counts.expired;
