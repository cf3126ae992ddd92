/** A line as the client asks for it: prices never come from the client. */
export interface RequestedItem {
  productId: string;
  quantity: number;
}

/** A product as the local replica of `product.upserted` knows it. */
export interface CatalogProduct {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
}

/** A line with the name and unit price snapshotted from the replica. */
export interface PricedItem {
  productId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface PricedOrder {
  items: PricedItem[];
  amountMinor: number;
  currency: string;
}

export interface PricingProblem {
  field: string;
  message: string;
}

export type PricingResult =
  | { ok: true; order: PricedOrder }
  | { ok: false; problems: PricingProblem[] };

/**
 * Prices the requested lines from the catalog. Every problem is reported with the field it is
 * about (`items.1.productId`), so a client can fix them all at once.
 */
export function priceOrder(
  requested: readonly RequestedItem[],
  catalog: ReadonlyMap<string, CatalogProduct>,
): PricingResult {
  const problems: PricingProblem[] = [];
  const items: PricedItem[] = [];
  const seen = new Set<string>();
  requested.forEach(({ productId, quantity }, index) => {
    const product = catalog.get(productId);
    if (!product) {
      problems.push({ field: `items.${index}.productId`, message: `Unknown product ${productId}` });
    } else if (seen.has(productId)) {
      problems.push({
        field: `items.${index}.productId`,
        message: `Product ${productId} is listed twice; order one line with the total quantity`,
      });
    }
    if (quantity <= 0) {
      problems.push({ field: `items.${index}.quantity`, message: 'Must be at least 1' });
    }
    seen.add(productId);
    if (product && quantity > 0) {
      items.push({ productId, name: product.name, quantity, unitPriceMinor: product.priceMinor });
    }
  });
  if (problems.length > 0) return { ok: false, problems };

  const currencies = [
    ...new Set(requested.map(({ productId }) => catalog.get(productId)!.currency)),
  ];
  if (currencies.length !== 1) {
    return {
      ok: false,
      problems: [
        {
          field: 'items',
          message: `Items are priced in different currencies (${currencies.join(', ')}); place one order per currency`,
        },
      ],
    };
  }
  const amountMinor = items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0);
  if (!Number.isSafeInteger(amountMinor)) {
    return { ok: false, problems: [{ field: 'items', message: 'The order total is too large' }] };
  }
  return { ok: true, order: { items, amountMinor, currency: currencies[0]! } };
}
