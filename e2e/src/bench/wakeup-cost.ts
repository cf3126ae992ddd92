// What waking the relay costs the writers: outbox-writing transactions per second with no
// wake-up in the transaction (the platform's choice: in-process wake after commit) versus a
// NOTIFY inside every transaction (which takes a global lock at commit).
// Usage: npm run bench -- wakeup [--clients 16] [--seconds 5]
import { parseArgs } from 'node:util';
import { benchEnvironment } from './harness.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const env = await benchEnvironment();
const database = await env.database();
const payload = Buffer.alloc(300, 1);

async function measure(withNotify: boolean) {
  const deadline = performance.now() + seconds * 1000;
  let commits = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await database.pool.connect();
      try {
        while (performance.now() < deadline) {
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO outbox (event_id, topic, key, payload, headers)
             VALUES (gen_random_uuid(), 'payment.completed', 'k', $1, '{}')`,
            [payload],
          );
          if (withNotify) await client.query("NOTIFY outbox_committed, ''");
          await client.query('COMMIT');
          commits++;
        }
      } finally {
        client.release();
      }
    }),
  );
  return commits / seconds;
}

const listener = await database.pool.connect();
await listener.query('LISTEN outbox_committed'); // a NOTIFY nobody hears costs less
const plain = await measure(false);
const notified = await measure(true);
listener.release();
console.log(`wake-up cost with ${clients} concurrent writers, ${seconds} s each:`);
console.log(`  no NOTIFY in the transaction: ${plain.toFixed(0)} commits/s`);
console.log(`  NOTIFY in every transaction: ${notified.toFixed(0)} commits/s`);
console.log(`  => ${((1 - notified / plain) * 100).toFixed(1)}% fewer commits with NOTIFY`);
await env.cleanup();
