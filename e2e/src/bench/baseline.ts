// What this machine gives any hop before the platform adds anything: the latency of the parts a
// one-hop event is made of, each alone on an otherwise idle stack. A hop waits for five
// PostgreSQL round trips (the relay's read; the consumer's BEGIN, inbox insert, effect and
// COMMIT) and two Kafka ones (produce, fetch), so their tails bound the one-hop benchmark's from
// below on the machine it runs on. Then the one-hop benchmark's producing transactions alone, at
// the rate it offers, without relay, Kafka or consumer: the share of the machine its load takes
// before a single event has been published.
// Usage: npm run bench -- baseline [--seconds 10] [--rate 200] [--load-rate 1000]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createPublisher } from '@saga/shared/kafka';
import { cpuReading, cpuSince, processCpuMs } from './cpu.js';
import { benchEnvironment } from './harness.js';
import { offerAtRate, producingTransactions } from './producing.js';
import { ms, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    // Paced like events arriving apart, so each one wakes the processes it passes through.
    rate: { type: 'string', default: '200' },
    'load-rate': { type: 'string', default: '1000' },
  },
});
const seconds = Number(values.seconds);
const gapMs = 1000 / Number(values.rate);
const env = await benchEnvironment();
const database = await env.database();
await database.pool.query('CREATE TABLE probe (id bigserial PRIMARY KEY, at timestamptz)');
const publisher = await createPublisher(env.kafka);

/** Times `operation` once per gap for `seconds`, with this process's CPU per operation, µs. */
async function paced(operation: () => Promise<unknown>) {
  const durations: number[] = [];
  const cpuAtStart = processCpuMs();
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const started = performance.now();
    await operation();
    durations.push(performance.now() - started);
    await sleep(gapMs);
  }
  return { durations, cpu: (1000 * (processCpuMs() - cpuAtStart)) / durations.length };
}

/** This process's CPU per operation, µs, run `count` times back to back: no wake-ups between. */
async function backToBack(operation: () => Promise<unknown>, count: number) {
  const cpuAtStart = processCpuMs();
  for (let run = 0; run < count; run++) await operation();
  return (1000 * (processCpuMs() - cpuAtStart)) / count;
}

const line = (name: string, samples: number[]) => {
  const { p50, p99, max } = summarize(samples);
  return `  ${name.padEnd(44)} p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(max)}`;
};

const client = await database.pool.connect();
const transaction = async () => {
  await client.query('BEGIN');
  await client.query('INSERT INTO probe (at) VALUES (now())');
  await client.query('COMMIT');
};
await backToBack(transaction, 500); // warm-up: connection, plans, compiled code
const transactions = await paced(transaction);
const transactionCpuBackToBack = await backToBack(transaction, transactions.durations.length);
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

const loadRate = Number(values['load-rate']);
const produce = await producingTransactions(env, await env.database());
await offerAtRate(loadRate, loadRate, (index) => produce(`warm-up-${index}`)); // pool and JIT
const loadDurations: number[] = [];
const cpuAtStart = cpuReading();
const achieved = await offerAtRate(loadRate, loadRate * seconds, async (index) => {
  const started = performance.now();
  await produce(`order-${index}`);
  loadDurations.push(performance.now() - started);
});
const cpu = cpuSince(cpuAtStart);

console.log(`baseline, one operation every ${gapMs.toFixed(1)} ms for ${seconds} s each:`);
console.log(line('PostgreSQL BEGIN / INSERT / COMMIT:', transactions.durations));
console.log(line('Kafka produce of one message, acks all:', produces.durations));
// The same work costs more CPU paced than back to back: what each sleep and wake-up costs here.
console.log(
  `  this process's CPU per transaction: ${transactions.cpu.toFixed(0)} µs paced, ` +
    `${transactionCpuBackToBack.toFixed(0)} µs back to back`,
);
console.log(
  `the one-hop benchmark's producing transactions alone, ${loadRate}/s offered for ${seconds} s:`,
);
console.log(line(`achieved ${achieved.toFixed(0)}/s, each:`, loadDurations));
console.log(
  `  CPU busy: the machine ${cpu.machine.toFixed(0)} % of ${100 * cpu.cores} %, ` +
    `this process ${cpu.process.toFixed(0)} %`,
);
await publisher.close();
await env.cleanup();
