// One-hop latency at a fixed offered rate: commit of the producing transaction (outbox row) →
// commit of the consuming transaction (inbox row + effect) in another database, through the
// relay, Kafka and the consumer runner, split into the relay's pickup, Kafka's acknowledgement
// and the delivery to the consumer's commit. Both processes read the same machine clock.
// Usage: npm run bench -- one-hop [--rate 1000] [--seconds 20] [--warmup 3] [--linger ms]

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPublisher, type Publisher } from '@saga/shared/kafka';
import { createPlatformMetrics } from '@saga/shared/metrics';
import { createRelay } from '@saga/shared/relay';
import { type CpuReading, cpuReading, cpuSince } from './cpu.js';
import { benchEnvironment } from './harness.js';
import { offerAtRate, producingTransactions } from './producing.js';
import { ms, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    // The relay's linger; its default when left out.
    linger: { type: 'string' },
  },
});
const rate = Number(values.rate);
const warmupEvents = rate * Number(values.warmup);
const total = rate * Number(values.seconds) + warmupEvents;
const lingerMs = values.linger === undefined ? undefined : Number(values.linger);

const env = await benchEnvironment();
const producerDb = await env.database();
const consumerDb = await env.database();
const produce = await producingTransactions(env, producerDb);
await consumerDb.pool.query('CREATE TABLE effect (order_id text PRIMARY KEY)');

// Per event: when its transaction committed and when the relay handed it to Kafka and got the
// acknowledgement; per measured event (past the warm-up), when the consumer's transaction committed.
const committedAt = new Map<string, number>();
const publishedAt = new Map<string, { sent: number; acked: number }>();
const consumedAt = new Map<string, number>();
let consumed = 0;
const now = () => performance.timeOrigin + performance.now();

const publisher = await createPublisher(env.kafka);
/** The relay's publisher, timing each batch from hand-over to acknowledgement. */
const timedPublisher: Publisher = {
  async publish(messages) {
    const sent = now();
    await publisher.publish(messages);
    const acked = now();
    for (const { headers } of messages) publishedAt.set(headers['event-id']!, { sent, acked });
  },
  close: () => publisher.close(),
};
const relay = createRelay({
  // A service's relay records its metrics; so does this one, for the same cost.
  metrics: createPlatformMetrics('bench-producer'),
  pool: producerDb.pool,
  databaseUrl: producerDb.url,
  publisher: timedPublisher,
  logger: env.logger,
  topicPrefix: env.prefix,
  lingerMs,
});
const consumer = fork(fileURLToPath(new URL('./one-hop-consumer.ts', import.meta.url)), {
  execArgv: ['--conditions=source', '--import=tsx'],
  env: { ...process.env, DATABASE_URL: consumerDb.url, KAFKA_TOPIC_PREFIX: env.prefix },
});
consumer.on('message', (message) => {
  if (!Array.isArray(message)) return;
  for (const [eventId, at] of message as [string, number][]) {
    if (committedAt.has(eventId) && consumed++ >= warmupEvents) consumedAt.set(eventId, at);
  }
});
await once(consumer, 'message'); // ready
const stop = new AbortController();
const relaying = relay.run(stop.signal);
while (!relay.isLeader) await new Promise((resolve) => setTimeout(resolve, 10));

/** Commits one event; its hop is measured unless it is the probe. */
async function produceOne(index: number, measured = true) {
  const eventId = await produce(`order-${index}`);
  if (measured) committedAt.set(eventId, now());
  relay.wake();
}

/** The consuming process's CPU time so far, ms. */
function consumerCpu(): Promise<number> {
  return new Promise((resolve) => {
    const onReply = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('cpuMs' in message)) return;
      consumer.off('message', onReply);
      resolve(message.cpuMs as number);
    };
    consumer.on('message', onReply);
    consumer.send('cpu');
  });
}

// The first event waits for the consumer group to form, which is not a hop's latency: one probe
// makes the whole hop before the clock starts.
await new Promise<void>((resolve) => {
  consumer.once('message', () => resolve());
  void produceOne(total, false);
});

// CPU is counted from the end of the warm-up, once the processes' code is compiled.
let cpuAtStart: Promise<{ machine: CpuReading; consumerMs: number; wall: number }> | undefined;
const startCounting = async () => {
  const [machine, wall] = [cpuReading(), performance.now()];
  return { machine, wall, consumerMs: await consumerCpu() };
};
const achieved = await offerAtRate(rate, total, (index) => {
  if (index === warmupEvents) cpuAtStart = startCounting();
  return produceOne(index);
});
while (consumed < total) await new Promise((resolve) => setTimeout(resolve, 20));
const counted = await cpuAtStart!;
const cpu = cpuSince(counted.machine);
const consumerShare =
  (100 * ((await consumerCpu()) - counted.consumerMs)) / (performance.now() - counted.wall);
stop.abort();
consumer.disconnect();
await Promise.all([relaying, once(consumer, 'exit')]);
await publisher.close();

const hops = [...consumedAt].map(([eventId, consumerCommit]) => {
  const commit = committedAt.get(eventId)!;
  const { sent, acked } = publishedAt.get(eventId)!;
  return {
    total: consumerCommit - commit,
    pickup: sent - commit,
    kafka: acked - sent,
    delivery: consumerCommit - acked,
  };
});
const result = summarize(hops.map((hop) => hop.total));
console.log(
  `one-hop latency at ${rate} events/s offered (${total - warmupEvents} measured, ` +
    `${warmupEvents} warm-up, achieved ${achieved.toFixed(0)} events/s, ` +
    `relay linger ${lingerMs ?? 'default'})`,
);
console.log(
  `  p50 ${ms(result.p50)}  p95 ${ms(result.p95)}  p99 ${ms(result.p99)}  max ${ms(result.max)}`,
);
// Where the time goes. The parts' quantiles do not add up to the whole's: each part has its own
// slowest events. A negative delivery is a consumer that committed before the relay's process got
// round to reading Kafka's acknowledgement.
const stages = {
  'commit → relay hands over': hops.map((hop) => hop.pickup),
  'hand-over → Kafka acks': hops.map((hop) => hop.kafka),
  'Kafka ack → consumer commit': hops.map((hop) => hop.delivery),
};
console.log('  stages, p50 / p99:');
for (const [name, samples] of Object.entries(stages)) {
  const { p50, p99 } = summarize(samples);
  console.log(`    ${name.padEnd(28)} ${ms(p50)} / ${ms(p99)}`);
}
// Whether the machine had room to spare: at 100 % per core, events queue for the CPU.
const pct = (value: number) => `${value.toFixed(0)} %`;
console.log(
  `  CPU busy: the machine ${pct(cpu.machine)} of ${pct(100 * cpu.cores)}; the producing ` +
    `process with its relay ${pct(cpu.process)}, the consuming process ${pct(consumerShare)}`,
);
if (achieved < rate * 0.95) {
  console.log(
    `  the producing transactions fell behind the offered rate: this machine could not offer ` +
      `${rate} events/s, so these latencies are not those of that rate`,
  );
}
await env.cleanup();
