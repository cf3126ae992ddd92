import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupCommit } from './group-commit.js';

/** A transaction that records what it was given and answers each item with its double. */
function recordingTransactions(fail = (_items: readonly number[]) => false) {
  const transactions: number[][] = [];
  let running = 0;
  let overlapped = false;
  const group = createGroupCommit<number, number>(async (items) => {
    overlapped ||= running > 0;
    running++;
    transactions.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    if (fail(items)) throw new Error('rolled back');
    return items.map((item) => item * 2);
  });
  return { group, transactions, overlapped: () => overlapped };
}

describe('group commit', () => {
  it('applies submissions of one turn together and answers each with its own results', async () => {
    const { group, transactions } = recordingTransactions();
    const results = await Promise.all([group.submit([1, 2]), group.submit([3]), group.submit([])]);
    assert.deepEqual(results, [[2, 4], [6], []]);
    assert.deepEqual(transactions, [[1, 2, 3]]);
  });

  it('collects what arrives during a transaction into the next one, one at a time', async () => {
    const { group, transactions, overlapped } = recordingTransactions();
    const first = group.submit([1]);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first transaction is running
    const later = [group.submit([2]), group.submit([3, 4])];
    assert.deepEqual(await Promise.all([first, ...later]), [[2], [4], [6, 8]]);
    assert.deepEqual(transactions, [[1], [2, 3, 4]]);
    assert.equal(overlapped(), false);
  });

  it('rejects every submission of a failed transaction, and goes on with the next', async () => {
    const { group, transactions } = recordingTransactions((items) => items.includes(13));
    const outcomes = await Promise.allSettled([group.submit([1]), group.submit([13])]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await group.submit([5]), [10]);
    assert.deepEqual(transactions, [[1, 13], [5]]);
  });
});
