import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../launcher/index.js';
import type { Fault } from './fault.js';

type StackModule = { restart(component: 'kafka'): Promise<void> };

/**
 * The local stack's own restart (stop the broker, start it, wait until ready). Imported at run
 * time: deploy/ is outside this package's sources and uses `.ts` import specifiers.
 */
async function restartKafka(): Promise<void> {
  const stack = (await import(
    pathToFileURL(join(repoRoot, 'deploy/local/src/stack.ts')).href
  )) as StackModule;
  await stack.restart('kafka');
}

/** Restarts the Kafka broker once, a third into the load. */
export const kafkaRestart: Fault = {
  kind: 'kafka-restart',
  async inject(context) {
    await context.at(Math.round(context.loadMs * (0.25 + context.random.next() * 0.15)));
    if (context.signal.aborted) return;
    context.record('restarting Kafka');
    const begin = Date.now();
    await restartKafka();
    context.record(`Kafka ready again after ${Date.now() - begin} ms`);
  },
};
