import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DLQ_HEADERS } from '../consumer/index.js';
import type { Topic, TopicEvents } from '../events/index.js';
import { eventKey, type OutboxEvent } from '../outbox/index.js';
import type { ServiceManifest } from '../service/index.js';
import { arrivalOrders } from './arrival-orders.js';
import { type OutboxTransactions, watchOutboxTransactions } from './outbox-transactions.js';
import { isDeadLetterOf, type ServiceUnderTest } from './service-under-test.js';
import { settled } from './settled.js';

type Consumed<M extends ServiceManifest> = M['consumes'][number];
type Awaitable<T> = T | Promise<T>;

/** What the suite needs to know of a service, beyond its manifest. */
export interface ConformanceSubject<M extends ServiceManifest> {
  manifest: M;
  /** Starts the service alone on its database and topics, e.g. with `startServiceUnderTest`. */
  start(): Promise<ServiceUnderTest>;
  /** For each consumed topic, a valid event of a saga (or product) of its own, every call. */
  events: { [T in Consumed<M>]: (service: ServiceUnderTest) => Awaitable<TopicEvents[T]> };
  /**
   * The service's business state of the saga (or product) `key`, as its database holds it,
   * without generated ids and timestamps: two sagas that went alike compare equal.
   */
  state(service: ServiceUnderTest, key: string): Promise<unknown>;
  /**
   * How the saga `key` ended for the business, where two arrival orders may take different
   * paths to one end (charged then refunded, or never charged). Defaults to `state`.
   */
  outcome?(service: ServiceUnderTest, key: string): Promise<unknown>;
  /** The events of one new saga that the service consumes, which may arrive in any order. */
  saga(service: ServiceUnderTest): Awaitable<OutboxEvent[]>;
}

/**
 * The platform's promises, checked on a running service: a redelivered event changes nothing,
 * a poison event is dead-lettered and its partition moves on, a saga's events reach one end
 * state in any arrival order, and events are emitted only in the unit of work of their cause.
 */
export function describeConformance<M extends ServiceManifest>(subject: ConformanceSubject<M>) {
  const { manifest } = subject;
  const newEvent = async (topic: Topic): Promise<TopicEvents[Topic]> => {
    const events: Partial<
      Record<Topic, (service: ServiceUnderTest) => Awaitable<TopicEvents[Topic]>>
    > = subject.events;
    return events[topic]!(service);
  };

  const outcome = subject.outcome ?? subject.state;
  let service: ServiceUnderTest;
  let outboxTransactions: OutboxTransactions;

  /** What one saga left behind: the business state and the events it emitted. */
  async function effects(key: string) {
    const { rows } = await service.database.pool.query<{ event_id: string; topic: string }>(
      'SELECT event_id, topic FROM outbox WHERE key = $1 ORDER BY id',
      [key],
    );
    return { state: await subject.state(service, key), outbox: rows };
  }

  describe(`${manifest.name}-service conforms to the platform`, () => {
    before(async () => {
      service = await subject.start();
      outboxTransactions = await watchOutboxTransactions(service.database.pool);
    });

    after(() => service?.stop());

    for (const topic of manifest.consumes) {
      it(`applies a ${topic} event delivered twice with the effect of once`, async () => {
        const event = await newEvent(topic);
        const key = eventKey(event);
        await service.apply(topic, event);
        const once = await settled(() => effects(key));
        await service.consumedPast(await service.publish(topic, event));
        assert.deepEqual(await settled(() => effects(key)), once);
      });
    }

    for (const topic of manifest.consumes) {
      it(`dead-letters an undecodable ${topic} event with its reason and moves on`, async () => {
        const event = await newEvent(topic);
        const poison = Buffer.from('not an Avro event');
        const poisoned = await service.publishBytes(topic, eventKey(event), poison);
        // Same key, same partition: applied only once the poison is out of its way.
        await service.apply(topic, event);
        const isLetter = isDeadLetterOf(poisoned);
        const letter = (await service.deadLetters((letters) => letters.some(isLetter))).find(
          isLetter,
        );
        assert.deepEqual(letter?.value, poison);
        assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'UndecodableEventError');
        assert.match(letter?.headers[DLQ_HEADERS.error] ?? '', /\S/, 'the reason is given');
      });
    }

    it("reaches the same end state whatever order one saga's events arrive in", async () => {
      const orders = arrivalOrders((await subject.saga(service)).length);
      // One saga per order, side by side; within a saga each event waits for the one before.
      const ends = await Promise.all(
        orders.map(async (order) => {
          const events = await subject.saga(service);
          for (const at of order) {
            const { topic, value } = events[at]!;
            await service.apply(topic, value);
          }
          return settled(() => outcome(service, eventKey(events[0]!.value)));
        }),
      );
      for (const [at, end] of ends.entries()) {
        assert.deepEqual(end, ends[0], `arrival order ${orders[at]} ends elsewhere`);
      }
    });

    // Last: the events applied above are what it inspects.
    it('writes the outbox only in the transaction of the change that caused it', async () => {
      const written = await outboxTransactions.outboxWrites();
      assert.ok(written.length > 0, 'nothing was emitted above, so nothing could be checked');
      assert.deepEqual(await outboxTransactions.writtenAlone(), []);
    });
  });
}
