// What this machine gives any hop before the platform adds anything: the latency of the parts a
// one-hop event is made of, each alone on an otherwise idle stack. A hop waits for five
// PostgreSQL round trips (the relay's read; the consumer's BEGIN, inbox insert, effect and
// COMMIT) and two Kafka ones (produce, fetch), so their tails bound the one-hop benchmark's from
// below on the machine it runs on.
// Usage: npm run bench -- baseline [--seconds 10] [--rate 200]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createPublisher } from '@saga/shared/kafka';
import { benchEnvironment } from './harness.js';
import { ms, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    // Paced like events arriving apart, so each one wakes the processes it passes through.
    rate: { type: 'string', default: '200' },
  },
});
const seconds = Number(values.seconds);
const gapMs = 1000 / Number(values.rate);
const env = await benchEnvironment();
const database = await env.database();
await database.pool.query('CREATE TABLE probe (id bigserial PRIMARY KEY, at timestamptz)');
const publisher = await createPublisher(env.kafka);

/** Times `operation` once per gap for `seconds`. */
async function paced(operation: () => Promise<unknown>) {
  const durations: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const started = performance.now();
    await operation();
    durations.push(performance.now() - started);
    await sleep(gapMs);
  }
  return durations;
}

const line = (name: string, samples: number[]) => {
  const { p50, p99, max } = summarize(samples);
  return `  ${name.padEnd(44)} p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(max)}`;
};

const client = await database.pool.connect();
const transactions = await paced(async () => {
  await client.query('BEGIN');
  await client.query('INSERT INTO probe (at) VALUES (now())');
  await client.query('COMMIT');
});
client.release();
const produces = await paced(() =>
  publisher.publish([
    {
      topic: `${env.prefix}payment.completed`,
      key: 'probe',
      value: Buffer.alloc(300),
      headers: {},
    },
  ]),
);

console.log(`baseline, one operation every ${gapMs.toFixed(1)} ms for ${seconds} s each:`);
console.log(line('PostgreSQL BEGIN / INSERT / COMMIT:', transactions));
console.log(line('Kafka produce of one message, acks all:', produces));
await publisher.close();
await env.cleanup();
