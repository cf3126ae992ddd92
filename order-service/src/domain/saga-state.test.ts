import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canMove, isTerminal, type OrderStatus } from './order-status.js';
import {
  currentStep,
  deriveSagaState,
  producerOf,
  type SagaState,
  type SagaTopic,
} from './saga-state.js';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

/** Feeds facts one at a time through the derivation and the semantic lock, like the service. */
function replay(arrivals: readonly SagaTopic[]) {
  const facts = new Set<SagaTopic>();
  let current: SagaState = { status: 'PENDING', failureReason: null };
  const visited: OrderStatus[] = ['PENDING'];
  for (const topic of arrivals) {
    facts.add(topic);
    const next = deriveSagaState(facts);
    if (next.status !== current.status && canMove(current.status, next.status)) {
      current = next;
      visited.push(next.status);
    }
  }
  return { final: current, visited };
}

const scenarios: {
  name: string;
  events: SagaTopic[];
  ends: SagaState;
}[] = [
  {
    name: 'the happy path',
    events: ['payment.completed', 'stock.reserved', 'delivery.started'],
    ends: { status: 'COMPLETED', failureReason: null },
  },
  {
    name: 'a declined payment',
    events: ['payment.failed'],
    ends: { status: 'CANCELED', failureReason: 'PAYMENT_DECLINED' },
  },
  {
    name: 'a reservation failure compensated by a refund',
    events: ['payment.completed', 'stock.reservation-failed', 'payment.refunded'],
    ends: { status: 'CANCELED', failureReason: 'OUT_OF_STOCK' },
  },
  {
    name: 'a delivery failure compensated by a release and a refund',
    events: [
      'payment.completed',
      'stock.reserved',
      'delivery.failed',
      'stock.released',
      'payment.refunded',
    ],
    ends: { status: 'CANCELED', failureReason: 'DELIVERY_FAILED' },
  },
];

describe('saga state', () => {
  it('is PENDING before any fact', () => {
    assert.deepEqual(deriveSagaState(new Set()), { status: 'PENDING', failureReason: null });
  });

  const rules: [SagaTopic[], SagaState][] = [
    [['payment.completed'], { status: 'PAID', failureReason: null }],
    [['payment.completed', 'stock.reserved'], { status: 'STOCK_RESERVED', failureReason: null }],
    [['stock.reserved'], { status: 'STOCK_RESERVED', failureReason: null }],
    [['delivery.started'], { status: 'COMPLETED', failureReason: null }],
    [['payment.failed'], { status: 'CANCELED', failureReason: 'PAYMENT_DECLINED' }],
    [['stock.reservation-failed'], { status: 'COMPENSATING', failureReason: null }],
    [
      ['stock.reservation-failed', 'payment.refunded'],
      { status: 'CANCELED', failureReason: 'OUT_OF_STOCK' },
    ],
    [['delivery.failed'], { status: 'COMPENSATING', failureReason: null }],
    [['delivery.failed', 'stock.released'], { status: 'COMPENSATING', failureReason: null }],
    [['delivery.failed', 'payment.refunded'], { status: 'COMPENSATING', failureReason: null }],
    [
      ['delivery.failed', 'stock.released', 'payment.refunded'],
      { status: 'CANCELED', failureReason: 'DELIVERY_FAILED' },
    ],
    [['payment.refunded'], { status: 'PENDING', failureReason: null }],
    [['stock.released'], { status: 'PENDING', failureReason: null }],
    [['payment.completed', 'payment.refunded'], { status: 'PAID', failureReason: null }],
    // A refused refund leaves the saga where it is: stuck, not moved.
    [
      ['payment.completed', 'stock.reservation-failed', 'payment.refund-failed'],
      { status: 'COMPENSATING', failureReason: null },
    ],
    [
      [
        'payment.completed',
        'stock.reservation-failed',
        'payment.refund-failed',
        'payment.refunded',
      ],
      { status: 'CANCELED', failureReason: 'OUT_OF_STOCK' },
    ],
  ];
  for (const [facts, expected] of rules) {
    it(`derives ${expected.status} ${expected.failureReason ?? ''} from ${facts.join(' + ')}`, () => {
      assert.deepEqual(deriveSagaState(new Set(facts)), expected);
    });
  }

  for (const scenario of scenarios) {
    const orders = permutations(scenario.events);
    it(`ends ${scenario.name} the same way in all ${orders.length} arrival orders`, () => {
      for (const arrivals of orders) {
        const { final, visited } = replay(arrivals);
        assert.deepEqual(final, scenario.ends, arrivals.join(' → '));
        // Entering a terminal state is what emits order.completed/canceled: exactly once.
        assert.equal(visited.filter(isTerminal).length, 1, arrivals.join(' → '));
        assert.equal(visited.at(-1), scenario.ends.status, arrivals.join(' → '));
      }
    });

    it(`ignores a repeated fact of ${scenario.name} after the end`, () => {
      for (const late of scenario.events) {
        const { final, visited } = replay([...scenario.events, late]);
        assert.deepEqual(final, scenario.ends);
        assert.equal(visited.filter(isTerminal).length, 1);
      }
    });
  }

  it('never completes an order once a compensation started, whatever arrives', () => {
    const { final } = replay([
      'payment.completed',
      'stock.reserved',
      'delivery.failed',
      'delivery.started',
    ]);
    assert.equal(final.status, 'COMPENSATING');
  });

  it('never reopens an order completed before a contradicting failure arrives', () => {
    const { final, visited } = replay([
      'payment.completed',
      'stock.reserved',
      'delivery.started',
      'delivery.failed',
    ]);
    assert.equal(final.status, 'COMPLETED');
    assert.deepEqual(visited, ['PENDING', 'PAID', 'STOCK_RESERVED', 'COMPLETED']);
  });

  it('names the step each status waits for', () => {
    assert.equal(currentStep('PENDING'), 'payment');
    assert.equal(currentStep('PAID'), 'stock-reservation');
    assert.equal(currentStep('STOCK_RESERVED'), 'delivery');
    assert.equal(currentStep('COMPENSATING'), 'compensation');
    assert.equal(currentStep('COMPLETED'), 'done');
    assert.equal(currentStep('CANCELED'), 'done');
  });

  it('names the producer of each timeline event', () => {
    assert.equal(producerOf('order.created'), 'order');
    assert.equal(producerOf('order.canceled'), 'order');
    assert.equal(producerOf('payment.refunded'), 'payment');
    assert.equal(producerOf('stock.reservation-failed'), 'inventory');
    assert.equal(producerOf('delivery.failed'), 'delivery');
  });
});
