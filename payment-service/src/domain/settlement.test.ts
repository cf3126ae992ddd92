import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ORDER_TIMED_OUT,
  PAYMENT_DECLINED,
  PAYMENT_REJECTED,
  settleCanceledCharge,
  settleCharge,
  settleRefund,
} from './settlement.js';

describe('charge settlement', () => {
  it('completes an approved charge with the gateway charge id', () => {
    assert.deepEqual(settleCharge({ type: 'approved', transactionId: 'ch_1' }), {
      type: 'complete',
      gatewayTransactionId: 'ch_1',
    });
  });

  it('fails a declined charge as PAYMENT_DECLINED with the decline code', () => {
    assert.deepEqual(settleCharge({ type: 'declined', declineCode: 'card_declined' }), {
      type: 'fail',
      reason: PAYMENT_DECLINED,
      details: 'card_declined',
    });
  });

  it('fails a charge the gateway refused as PAYMENT_REJECTED with its words', () => {
    assert.deepEqual(settleCharge({ type: 'rejected', status: 400, detail: 'token: unknown' }), {
      type: 'fail',
      reason: PAYMENT_REJECTED,
      details: '400: token: unknown',
    });
  });

  it('retries when the gateway gave no answer', () => {
    assert.deepEqual(settleCharge({ type: 'unavailable', error: 'timeout' }), {
      type: 'retry',
      error: 'timeout',
    });
  });
});

describe('settlement of a charge whose order was canceled at its deadline', () => {
  it('completes what an earlier attempt charged, to be refunded', () => {
    assert.deepEqual(settleCanceledCharge({ type: 'approved', transactionId: 'ch_2' }), {
      type: 'complete',
      gatewayTransactionId: 'ch_2',
    });
  });

  it('fails it as TIMED_OUT when the gateway charged nothing', () => {
    const settled = settleCanceledCharge(undefined);
    assert.equal(settled.type, 'fail');
    assert.equal(settled.type === 'fail' && settled.reason, ORDER_TIMED_OUT);
  });

  it('asks again later when the lookup got no answer', () => {
    assert.deepEqual(settleCanceledCharge({ type: 'unavailable', error: 'circuit open' }), {
      type: 'retry',
      error: 'circuit open',
    });
  });
});

describe('refund settlement', () => {
  it('completes an approved refund with the gateway refund id', () => {
    assert.deepEqual(settleRefund({ type: 'approved', transactionId: 're_1' }), {
      type: 'complete',
      gatewayTransactionId: 're_1',
    });
  });

  it('fails a refused refund, keeping the reason why', () => {
    assert.deepEqual(settleRefund({ type: 'rejected', status: 404, detail: 'no such charge' }), {
      type: 'fail',
      details: '404: no such charge',
    });
  });

  it('retries when the gateway gave no answer', () => {
    assert.deepEqual(settleRefund({ type: 'unavailable', error: '503' }), {
      type: 'retry',
      error: '503',
    });
  });
});
