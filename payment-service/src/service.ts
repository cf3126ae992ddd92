import { fileURLToPath } from 'node:url';
import type { ServiceContext, ServiceDefinition, ServiceParts } from '@saga/shared/service';
import { paymentApiDocument } from './api/openapi.js';
import { mountRefundRetry } from './api/refund-retry.js';
import type { PaymentSettings } from './config.js';
import { createBreaker } from './gateway/circuit-breaker.js';
import { createGatewayClient } from './gateway/gateway-client.js';
import { createHandlers } from './handlers/index.js';
import { manifest } from './manifest.js';
import { createPaymentMetrics } from './metrics.js';
import { createSettler } from './use-cases/settler.js';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Charges on `order.created`, refunds on a failed later step; all gateway calls in the settler. */
export function createDefinition(settings: PaymentSettings): ServiceDefinition {
  return {
    ...manifest,
    settings,
    port: settings.PORT,
    migrationsFolder,
    openapi: paymentApiDocument,
    build: (context) => buildPayment(context, settings),
  };
}

/** One instance: its handlers and refund-retry route wake the settler, its one worker. */
function buildPayment(context: ServiceContext, settings: PaymentSettings): ServiceParts {
  const metrics = createPaymentMetrics(context.metrics.registry);
  const breaker = createBreaker(
    'payment-gateway',
    {
      errorThresholdPercentage: settings.PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENTAGE,
      volumeThreshold: settings.PAYMENT_BREAKER_VOLUME_THRESHOLD,
      rollingCountTimeout: settings.PAYMENT_BREAKER_ROLLING_WINDOW_MS,
      resetTimeout: settings.PAYMENT_BREAKER_RESET_TIMEOUT_MS,
    },
    context.logger,
    context.metrics.registry,
  );
  const gateway = createGatewayClient({
    baseUrl: settings.PAYMENT_GATEWAY_URL,
    timeoutMs: settings.PAYMENT_GATEWAY_TIMEOUT_MS,
    breaker,
  });
  const settler = createSettler(
    {
      context,
      gateway,
      metrics,
      backoff: {
        initialInterval: settings.PAYMENT_RETRY_INITIAL_INTERVAL_MS,
        backoffCoefficient: settings.PAYMENT_RETRY_BACKOFF_COEFFICIENT,
        maximumInterval: settings.PAYMENT_RETRY_MAXIMUM_INTERVAL_MS,
      },
    },
    {
      batchSize: settings.PAYMENT_SETTLER_BATCH_SIZE,
      pollIntervalMs: settings.PAYMENT_SETTLER_POLL_INTERVAL_MS,
      leaseMs: settings.PAYMENT_SETTLER_LEASE_MS,
    },
  );
  const wakeSettler = () => settler.wake();
  return {
    handlers: createHandlers({
      metrics,
      wakeSettler,
      settleClaimed: (payment) => settler.settleClaimed(payment),
      claimMs: settings.PAYMENT_SETTLER_LEASE_MS,
    }),
    routes: (app) => mountRefundRetry(app, context, wakeSettler),
    workers: [
      // The breaker stops with the settler, its only user.
      async (signal) => {
        try {
          await settler.run(signal);
        } finally {
          breaker.shutdown();
        }
      },
    ],
  };
}
