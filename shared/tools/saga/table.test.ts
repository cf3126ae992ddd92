import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SagaItem, sagaTable } from './table.js';

const refused: SagaItem = {
  orderId: '0195f7c2-0000-7000-8000-000000000001',
  status: 'CANCELED',
  failureReason: 'TIMED_OUT',
  ageSeconds: 420,
  deadline: '2025-01-15T10:31:00.000Z',
  lastEvent: { type: 'payment.refund-failed', service: 'payment', at: '2025-01-15T10:31:02.000Z' },
  waitingFor: [{ event: 'payment.refunded', service: 'payment' }],
  compensationFailure: '422: refused',
};

describe('the stuck sagas table', () => {
  it('shows one aligned line per saga with what it waits for and why', () => {
    const pending = { ...refused, orderId: 'o-2', status: 'PENDING', failureReason: null };
    const table = sagaTable([
      refused,
      { ...pending, lastEvent: null, waitingFor: [], compensationFailure: null },
    ]);
    const [header, first, second] = table.split('\n');
    assert.match(header!, /^ORDER\s+STATUS\s+AGE\s+DEADLINE\s+LAST EVENT\s+WAITS FOR\s+FAILURE$/);
    assert.match(first!, /CANCELED \(TIMED_OUT\)\s+420s/);
    assert.match(first!, /payment\.refunded from payment\s+422: refused$/);
    assert.equal(second!.indexOf('PENDING'), first!.indexOf('CANCELED'), 'columns line up');
    assert.ok(second!.endsWith(' -'), 'nothing awaited shows as -');
  });

  it('says so when nothing is stuck', () => {
    assert.equal(sagaTable([]), 'No stuck sagas.');
  });
});
