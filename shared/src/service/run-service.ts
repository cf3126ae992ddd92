import { createLogger } from '../logger/index.js';
import type { RunningService, ServiceDefinition } from './definition.js';
import { startService } from './runtime.js';

/**
 * A service's whole `main`: start, stop gracefully on SIGTERM/SIGINT (a second signal, or a stop
 * taking over `graceMs`, exits at once), exit 1 with the reason when start fails.
 */
export async function runService(definition: ServiceDefinition, graceMs = 20_000): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(definition);
  } catch (error) {
    // Through the logger, which masks credentials in the URLs an error may quote.
    createLogger({
      service: `${definition.name}-service`,
      level: definition.settings.LOG_LEVEL,
    }).fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  let signals = 0;
  const shutdown = () => {
    if (++signals > 1) process.exit(1);
    setTimeout(() => process.exit(1), graceMs).unref();
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  service.crashed.catch(() => process.exit(1));
}
