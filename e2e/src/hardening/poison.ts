import { randomUUID } from 'node:crypto';
import type { EventCodec } from '@saga/shared/codec';
import type { Topic, TopicEvents } from '@saga/shared/events';
import { sampleEvent } from '@saga/shared/testing';
import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';

/** A value no consumer can ever decode, as the fuzzer made it. */
export interface PoisonBytes {
  kind: 'noise' | 'unknown-schema-id' | 'registered-schema-id' | 'truncated-header' | 'tombstone';
  value: Buffer | null;
  key: Buffer | null;
  /** The retry topics route by it; on an event topic it is ignored. */
  eventType: string | undefined;
}

const wireFormat = (schemaId: number, body: Uint8Array) => {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
};

/**
 * Random poison: arbitrary bytes, the Confluent magic byte 0 followed by a schema id the registry
 * does not know (negative or far above any it gave out), a schema id it does know (of this topic
 * or another) before a random body, a header cut short, and tombstones. `eventTypes` feeds the `event-type`
 * header that a retry topic routes by, sometimes a real topic, sometimes garbage.
 */
export function poisonBytes(options: {
  registeredSchemaIds: readonly number[];
  eventTypes: readonly string[];
}): fc.Arbitrary<PoisonBytes> {
  const body = fc.uint8Array({ maxLength: 256 });
  const unknownId = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: -1 }),
    fc.integer({ min: 100_000_000, max: 2 ** 31 - 1 }),
  );
  const value = fc.oneof(
    body.map((bytes) => ({ kind: 'noise' as const, value: Buffer.from(bytes) })),
    fc
      .tuple(unknownId, body)
      .map(([id, bytes]) => ({ kind: 'unknown-schema-id' as const, value: wireFormat(id, bytes) })),
    fc.tuple(fc.constantFrom(...options.registeredSchemaIds), body).map(([id, bytes]) => ({
      kind: 'registered-schema-id' as const,
      value: wireFormat(id, bytes),
    })),
    fc.uint8Array({ maxLength: 4 }).map((bytes) => ({
      kind: 'truncated-header' as const,
      value: Buffer.from([0, ...bytes.slice(0, 3)]),
    })),
    fc.constant({ kind: 'tombstone' as const, value: null }),
  );
  return fc
    .record({
      value,
      key: fc.option(
        fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
        { nil: null },
      ),
      eventType: fc.option(fc.oneof(fc.constantFrom(...options.eventTypes), fc.string()), {
        nil: undefined,
      }),
    })
    .map(({ value, key, eventType }) => ({ ...value, key, eventType }));
}

/** `count` values of `arbitrary` from `seed`: the same seed makes the same poison again. */
export const samplesOf = <T>(arbitrary: fc.Arbitrary<T>, seed: number, count: number): T[] =>
  fc.sample(arbitrary, { seed, numRuns: count });

/** The schema id the registry gave `topic` (bytes 1..4 of an encoded value). */
export async function schemaIdOf<T extends Topic>(codec: EventCodec, topic: T): Promise<number> {
  return (await codec.encode(topic, sampleEvent(topic))).readInt32BE(1);
}

const partitioner = Partitioners.DefaultPartitioner();

/** The partition the platform's producers (murmur2, as Java's) give `key` on a topic of `count`. */
export function partitionOf(key: string, count: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: count }, (_, id) => ({
    partitionId: id,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
    offlineReplicas: [],
  }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** A fresh key of the form `make()` that lands on `partition`, as a saga id or product id would. */
export function keyOnPartition(partition: number, count: number, make: () => string): string {
  for (let tries = 0; tries < 10_000; tries++) {
    const key = make();
    if (partitionOf(key, count) === partition) return key;
  }
  throw new Error(`no key found for partition ${partition} of ${count}`);
}

/**
 * A schema-valid event that cannot have happened: a saga event of an order that was never placed
 * (order.created with a negative total that is not the sum of its lines; payment.completed and
 * stock.reserved without lines), a product with a negative price and stock in no currency.
 * `id` is the order id (or product id) it claims, and its Kafka key.
 */
export function impossibleEvent<T extends Topic>(topic: T, id: string): TopicEvents[T] {
  const saga = { orderId: id, causationId: randomUUID() };
  const events: { [K in Topic]: () => TopicEvents[K] } = {
    // Nobody placed it; the total is negative and is not the sum of its lines.
    'order.created': () =>
      sampleEvent('order.created', { ...saga, causationId: null, amountMinor: -4_499 }),
    // No lines to reserve, for an order nobody placed.
    'payment.completed': () => sampleEvent('payment.completed', { ...saga, items: [] }),
    'payment.failed': () => sampleEvent('payment.failed', saga),
    'payment.refunded': () => sampleEvent('payment.refunded', saga),
    'payment.refund-failed': () => sampleEvent('payment.refund-failed', saga),
    'stock.reserved': () => sampleEvent('stock.reserved', { ...saga, items: [] }),
    'stock.reservation-failed': () => sampleEvent('stock.reservation-failed', saga),
    'stock.released': () => sampleEvent('stock.released', saga),
    'delivery.started': () => sampleEvent('delivery.started', saga),
    'delivery.failed': () => sampleEvent('delivery.failed', saga),
    'order.completed': () => sampleEvent('order.completed', saga),
    // Canceled at a deadline: every service that holds something for the order must look.
    'order.canceled': () => sampleEvent('order.canceled', { ...saga, reason: 'TIMED_OUT' }),
    // A price and a stock below zero, in no currency: inventory's API refuses all three.
    'product.upserted': () =>
      sampleEvent('product.upserted', {
        productId: id,
        priceMinor: -1,
        stock: -5,
        currency: 'NOT-A-CURRENCY',
      }),
  };
  return events[topic]() as TopicEvents[T];
}
