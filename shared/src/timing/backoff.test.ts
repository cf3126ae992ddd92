import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noJitter, retryDelayMs } from './backoff.js';

const policy = { initialInterval: 100, backoffCoefficient: 2, maximumInterval: 1_000 };

describe('retry backoff', () => {
  it('starts at the initial interval and grows by the coefficient', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, noJitter)),
      [100, 200, 400, 800],
    );
  });

  it('never exceeds the maximum interval', () => {
    assert.equal(retryDelayMs(5, policy, noJitter), 1_000);
    assert.equal(retryDelayMs(60, policy, noJitter), 1_000);
  });

  it('jitters within the upper half of the delay', () => {
    assert.equal(
      retryDelayMs(3, policy, () => 0),
      200,
    );
    assert.equal(
      retryDelayMs(3, policy, () => 0.5),
      300,
    );
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(3, policy);
      assert.ok(delay >= 200 && delay <= 400, String(delay));
    }
  });
});
