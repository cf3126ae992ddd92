import { createLogger } from '@saga/shared/logger';
import { loadGatewayConfig } from './config.js';
import { startGatewayServer } from './server.js';

const logger = createLogger({ service: 'payment-gateway-simulator' });

async function run(): Promise<void> {
  const config = loadGatewayConfig();
  logger.level = config.logLevel;
  const server = await startGatewayServer({ ...config, logger });
  // The knobs include the seed: enough to replay this run's random decisions.
  logger.info({ url: server.url, knobs: config.knobs }, 'payment gateway simulator listening');

  const stop = async (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

run().catch((error: unknown) => {
  logger.fatal({ err: error }, 'payment gateway simulator failed to start');
  process.exit(1);
});
