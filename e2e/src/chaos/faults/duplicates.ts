import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@saga/shared/events';
import { consumeMessages } from '@saga/shared/testing';
import type { Fault, FaultContext } from './fault.js';

/** Saga topics only: a replayed product.upserted is a catalog matter, not a saga's. */
const SAGA_TOPICS = TOPICS.filter((topic) => topic !== 'product.upserted');

/** Share of the events published so far that are published again. */
const SHARE = 0.2;

/**
 * Retries a Kafka call that a broker restart (another fault) may fail with a transient error,
 * such as a stale partition leader.
 */
async function patiently<T>(work: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(1_000);
    }
  }
}

async function republish(context: FaultContext) {
  const topics = SAGA_TOPICS.map((topic) => context.prefix + topic);
  const offsets = await patiently(() =>
    Promise.all(topics.map((topic) => context.admin.fetchTopicOffsets(topic))),
  );
  const published = offsets.flat().reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  // A throwaway group reads what the services already consumed (or are about to).
  const read = await patiently(
    () =>
      consumeMessages(context.kafka, topics, (received) => received.length >= published, 60_000),
    3,
  );
  const slice = read.filter(() => context.random.chance(SHARE));
  const producer = context.kafka.producer();
  await patiently(() => producer.connect());
  try {
    for (const message of slice) {
      await patiently(() =>
        producer.send({
          topic: message.topic,
          messages: [
            {
              partition: message.partition,
              key: message.key,
              value: message.value,
              headers: message.headers,
            },
          ],
        }),
      );
    }
  } finally {
    await producer.disconnect();
  }
  return { read: read.length, republished: slice.length };
}

/** Publishes a random fifth of the saga events again, unchanged, twice during the load. */
export const duplicates: Fault = {
  kind: 'duplicates',
  async inject(context) {
    for (const share of [0.4, 0.8]) {
      await context.at(Math.round(context.loadMs * share));
      if (context.signal.aborted) return;
      const { read, republished } = await republish(context);
      context.record(`republished ${republished} of ${read} saga events unchanged`);
    }
  },
};
