import type { ServiceContext } from '@saga/shared/service';
import type { BackoffPolicy } from '@saga/shared/timing';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { PaymentMetrics } from '../metrics.js';

/** What settling a payment needs. */
export interface SettleDeps {
  context: Pick<ServiceContext, 'transact' | 'database' | 'logger'>;
  gateway: GatewayClient;
  metrics: PaymentMetrics;
  backoff: BackoffPolicy;
}
