import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chargeIdempotencyKey, decideRefund, refundIdempotencyKey } from './payment.js';

describe('refund decision', () => {
  it('records a refund when the charge completed', () => {
    assert.equal(decideRefund('COMPLETED'), 'record-refund');
  });

  it('has nothing to refund when the charge failed', () => {
    assert.equal(decideRefund('FAILED'), 'nothing-to-refund');
  });

  it('calls a refund trigger impossible while the charge is pending or unknown', () => {
    assert.equal(decideRefund('PENDING'), 'impossible');
    assert.equal(decideRefund(undefined), 'impossible');
  });
});

describe('idempotency keys', () => {
  it('keep one key per order and operation, different for charge and refund', () => {
    assert.equal(chargeIdempotencyKey('o-1'), 'charge-o-1');
    assert.equal(refundIdempotencyKey('o-1'), 'refund-o-1');
  });
});
