import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaValidationError } from '../errors/index.js';
import { sampleEvent, sampleEvents } from '../events/fixtures.js';
import { TOPICS, type TopicEvents } from '../events/index.js';
import { createAvroCodec } from './index.js';

// Validation is local: with no topics to register, the codec never calls the registry.
const codec = await createAvroCodec({ registryUrl: 'http://127.0.0.1:1', topics: [] });

function problemsOf(action: () => void): readonly string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof SchemaValidationError, `expected SchemaValidationError: ${error}`);
    assert.equal(error.retryable, false);
    return error.problems;
  }
  assert.fail('expected the event to be rejected');
}

describe('event validation', () => {
  for (const topic of TOPICS) {
    it(`accepts the sample ${topic} event`, () => {
      codec.validate(topic, sampleEvents[topic]);
    });
  }

  it('names the path of a nested field of the wrong type', () => {
    const event = sampleEvent('order.created');
    (event.items[1] as { quantity: unknown }).quantity = '1';
    const problems = problemsOf(() => codec.validate('order.created', event));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^items\.1\.quantity: expected int/);
  });

  it('names a missing field', () => {
    const { customerId: _, ...event } = sampleEvent('payment.completed');
    const problems = problemsOf(() =>
      codec.validate('payment.completed', event as TopicEvents['payment.completed']),
    );
    assert.deepEqual(problems, ['customerId: expected string, got nothing']);
  });

  it('rejects a fractional amount of money', () => {
    const event = sampleEvent('payment.refunded', { amountMinor: 44.99 });
    const problems = problemsOf(() => codec.validate('payment.refunded', event));
    assert.deepEqual(problems, ['amountMinor: expected long, got 44.99']);
  });

  it('rejects a field the schema does not declare', () => {
    const event = { ...sampleEvent('order.completed'), causationID: 'typo' };
    const problems = problemsOf(() => codec.validate('order.completed', event));
    assert.deepEqual(problems, ['causationID: not in the schema']);
  });

  it('names every offending field at once', () => {
    const event = sampleEvent('stock.reserved', {
      occurredAt: Number.NaN,
      reservationId: 7 as never,
    });
    const problems = problemsOf(() => codec.validate('stock.reserved', event));
    assert.deepEqual(
      problems.map((problem) => problem.split(':')[0]),
      ['occurredAt', 'reservationId'],
    );
  });

  it('accepts an event that leaves an optional field out, the default fills it', () => {
    const { causationId: _, ...event } = sampleEvent('order.created');
    codec.validate('order.created', event as TopicEvents['order.created']);
  });

  it('rejects an event encode is asked to write, before any registry call', async () => {
    const event = sampleEvent('delivery.started', { postalCode: null as never });
    await assert.rejects(codec.encode('delivery.started', event), SchemaValidationError);
  });
});
