// The consuming side of the one-hop benchmark, in its own process as a real service would be.
// Reports each event's commit time, and on request its CPU time, over IPC.
// Env: DATABASE_URL, KAFKA_TOPIC_PREFIX + the stack's.
import { createAvroCodec } from '@saga/shared/codec';
import { createConsumerRunner } from '@saga/shared/consumer';
import { connectDatabase } from '@saga/shared/db';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { stackSettings } from '@saga/shared/testing';
import { sql } from 'drizzle-orm';
import { processCpuMs } from './cpu.js';

const settings = stackSettings();

// Commit times are taken at the commit and sent in batches: a message per event would add a
// pipe write and a wake-up per event to the machine being measured.
let commits: [eventId: string, committedAt: number][] = [];
function report(eventId: string) {
  if (commits.length === 0) setTimeout(sendCommits, 50);
  commits.push([eventId, performance.timeOrigin + performance.now()]);
}
function sendCommits() {
  process.send?.(commits);
  commits = [];
}

const logger = createLogger({ service: 'bench-consumer', level: 'warn' });
const database = connectDatabase({ url: process.env.DATABASE_URL!, maxConnections: 6 });
const runner = createConsumerRunner({
  service: 'bench',
  kafka: createKafkaClient({ clientId: 'bench-consumer', brokers: settings.KAFKA_BROKERS, logger }),
  database,
  codec: await createAvroCodec({ registryUrl: settings.SCHEMA_REGISTRY_URL, topics: [] }),
  logger,
  topicPrefix: process.env.KAFKA_TOPIC_PREFIX!,
  partitionsConsumedConcurrently: 6,
  handlers: {
    'payment.completed': async (event, { tx, onCommitted }) => {
      await tx.execute(sql`INSERT INTO effect VALUES (${event.orderId})`);
      onCommitted(() => report(event.eventId));
    },
  },
});
const stop = new AbortController();
process.on('disconnect', () => stop.abort());
// The benchmark asks for this process's CPU time at the start and end of its measurement.
process.on('message', () => process.send?.({ cpuMs: processCpuMs() }));
process.send?.('ready');
await runner.run(stop.signal);
await database.close();
