// Relay throughput: outbox rows already committed → published and acknowledged by Kafka.
// Usage: npm run bench -- relay [--rows 200000] [--batch 2000]
import { parseArgs } from 'node:util';
import { createPublisher } from '@saga/shared/kafka';
import { createRelay } from '@saga/shared/relay';
import { sampleEvent } from '@saga/shared/testing';
import { benchEnvironment } from './harness.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '2000' },
  },
});
const rows = Number(values.rows);
const env = await benchEnvironment();
const database = await env.database();

// A real encoded event as the payload, so bytes on the wire are realistic.
const payload = await env.codec.encode('payment.completed', sampleEvent('payment.completed'));
await database.pool.query(
  `INSERT INTO outbox (event_id, topic, key, payload, headers)
   SELECT gen_random_uuid(), 'payment.completed', 'order-' || (i % 5000), $1,
          '{"event-type":"payment.completed"}'::jsonb
     FROM generate_series(1, $2) AS i`,
  [payload, rows],
);
await database.pool.query('VACUUM ANALYZE outbox');

const publisher = await createPublisher(env.kafka);
const relay = createRelay({
  pool: database.pool,
  databaseUrl: database.url,
  publisher,
  logger: env.logger,
  batchSize: Number(values.batch),
  topicPrefix: env.prefix,
});
const controller = new AbortController();
const started = performance.now();
const running = relay.run(controller.signal);
for (;;) {
  const { rows: left } = await database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  if (left[0]?.n === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const seconds = (performance.now() - started) / 1000;
controller.abort();
await running;
await publisher.close();

const offsets = await env.admin.fetchTopicOffsets(`${env.prefix}payment.completed`);
const inKafka = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
console.log(`relay throughput: ${rows} rows of ${payload.length} bytes, batch ${values.batch}`);
console.log(`  published and acked: ${inKafka} in ${seconds.toFixed(2)} s`);
console.log(`  => ${Math.round(rows / seconds)} events/s`);
await env.cleanup();
