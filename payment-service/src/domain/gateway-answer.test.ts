import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerFromLookup, shouldLookUpFirst } from './gateway-answer.js';

describe('lookup of earlier attempts', () => {
  it('charges directly on the first attempt and looks up on every later one', () => {
    assert.equal(shouldLookUpFirst(1), false);
    assert.equal(shouldLookUpFirst(2), true);
    assert.equal(shouldLookUpFirst(7), true);
  });

  it('finds nothing when the gateway never saw the charge', () => {
    assert.equal(answerFromLookup([]), undefined);
  });

  it('takes a charge that went through as approved', () => {
    assert.deepEqual(answerFromLookup([{ chargeId: 'ch_1', status: 'succeeded' }]), {
      type: 'approved',
      transactionId: 'ch_1',
    });
  });

  it('takes a declined charge as declined', () => {
    assert.deepEqual(
      answerFromLookup([{ chargeId: 'ch_1', status: 'declined', declineCode: 'card_declined' }]),
      { type: 'declined', declineCode: 'card_declined' },
    );
  });

  it('prefers a success over a decline: money moved', () => {
    assert.deepEqual(
      answerFromLookup([
        { chargeId: 'ch_1', status: 'declined', declineCode: 'insufficient_funds' },
        { chargeId: 'ch_2', status: 'succeeded' },
      ]),
      { type: 'approved', transactionId: 'ch_2' },
    );
  });
});
