import { fileURLToPath } from 'node:url';
import type { ServiceContext, ServiceDefinition, Worker } from '@saga/shared/service';
import { paymentApiDocument } from './api/openapi.js';
import { mountRefundRetry } from './api/refund-retry.js';
import type { PaymentSettings } from './config.js';
import { createBreaker } from './gateway/circuit-breaker.js';
import { createGatewayClient } from './gateway/gateway-client.js';
import { createHandlers } from './handlers/index.js';
import { createPaymentMetrics, type PaymentMetrics } from './metrics.js';
import { createSettler, type Settler } from './settler/settler.js';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The parts one running instance shares between its handlers and its settler. */
interface PaymentRuntime {
  metrics: PaymentMetrics;
  settler: Settler;
  /** The settler as the service's worker; the breaker stops with it. */
  settle: Worker;
}

function createRuntime(context: ServiceContext, settings: PaymentSettings): PaymentRuntime {
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
  return {
    metrics,
    settler,
    async settle(signal) {
      try {
        await settler.run(signal);
      } finally {
        breaker.shutdown();
      }
    },
  };
}

/** Charges on `order.created`, refunds on a failed later step; all gateway calls in the settler. */
export function createDefinition(settings: PaymentSettings): ServiceDefinition {
  // handlers() and workers() are called once per started instance with its context.
  const runtimes = new WeakMap<ServiceContext, PaymentRuntime>();
  const runtimeOf = (context: ServiceContext) => {
    let runtime = runtimes.get(context);
    if (!runtime) {
      runtime = createRuntime(context, settings);
      runtimes.set(context, runtime);
    }
    return runtime;
  };
  return {
    name: 'payment',
    settings,
    port: settings.PORT,
    migrationsFolder,
    handlers: (context) => {
      const { metrics, settler } = runtimeOf(context);
      return createHandlers({ metrics, wakeSettler: () => settler.wake() });
    },
    openapi: paymentApiDocument,
    routes: (app, context) => {
      const { settler } = runtimeOf(context);
      mountRefundRetry(app, context, () => settler.wake());
    },
    workers: (context) => [runtimeOf(context).settle],
  };
}
