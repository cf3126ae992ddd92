// A relay in its own process, so tests can SIGKILL it like a crashed service.
// Env: DATABASE_URL, KAFKA_BROKERS, CRASH_AFTER_PUBLISH=1 to die right after the first ack.

import pg from 'pg';
import { crashAt, noFaults } from '../faults/index.js';
import { createKafkaClient, createPublisher } from '../kafka/index.js';
import { createLogger } from '../logger/index.js';
import { createRelay } from '../relay/index.js';

const databaseUrl = process.env.DATABASE_URL!;
const logger = createLogger({ service: 'relay-process', level: 'warn' });
const kafka = createKafkaClient({
  clientId: 'relay-process',
  brokers: process.env.KAFKA_BROKERS!.split(','),
  logger,
});
const pool = new pg.Pool({ connectionString: databaseUrl });
const publisher = await createPublisher(kafka);
const relay = createRelay({
  pool,
  databaseUrl,
  publisher,
  logger,
  faults: process.env.CRASH_AFTER_PUBLISH ? crashAt(['relay.after-publish'], 1) : noFaults,
  pollIntervalMs: 50,
  standbyIntervalMs: 100,
});
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
const announce = setInterval(() => {
  if (relay.isLeader) {
    process.stdout.write('leader\n');
    clearInterval(announce);
  }
}, 20);
process.stdout.write('started\n');
await relay.run(controller.signal);
clearInterval(announce);
await publisher.close();
await pool.end();
