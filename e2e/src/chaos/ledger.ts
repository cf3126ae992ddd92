import { gatewayApi, isTerminal, type OrderView } from '../saga/api.js';
import { mapConcurrently } from '../saga/wait.js';

/**
 * The external side of invariant 3, which the databases cannot show: what the gateway simulator
 * really took from each card. A completed order keeps exactly its amount, a canceled one
 * nothing, and no order has two successful charges (a timed-out charge paid twice).
 */
export async function checkGatewayLedger(
  gatewayUrl: string,
  orders: readonly OrderView[],
): Promise<string[]> {
  const gateway = gatewayApi(gatewayUrl);
  const problems = await mapConcurrently(
    orders.filter((order) => isTerminal(order.status)),
    8,
    async (order) => {
      const charges = (await gateway.charges(order.orderId)).filter(
        (charge) => charge.status === 'succeeded',
      );
      const kept = charges.reduce((sum, c) => sum + c.amountMinor - c.amountRefundedMinor, 0);
      const expected = order.status === 'COMPLETED' ? order.amountMinor : 0;
      const found: string[] = [];
      if (charges.length > 1) found.push(`${order.orderId}: ${charges.length} successful charges`);
      if (kept !== expected) {
        found.push(
          `${order.orderId}: ${order.status}, the gateway kept ${kept} instead of ${expected}`,
        );
      }
      return found;
    },
  );
  return problems.flat();
}
