import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createOffsetCommits, type TopicPartitionOffset } from './offset-commits.js';

/** Offset commits to a recording coordinator (5 ms per commit), which can be made to fail. */
function recordingCommits(intervalMs = 20) {
  const commits: TopicPartitionOffset[][] = [];
  const errors: unknown[] = [];
  let running = 0;
  let overlapped = false;
  let failNext = false;
  const offsets = createOffsetCommits(
    async (entries) => {
      overlapped ||= running > 0;
      running++;
      await sleep(5);
      running--;
      if (failNext) {
        failNext = false;
        throw new Error('coordinator moved');
      }
      commits.push(entries.toSorted((a, b) => a.partition - b.partition));
    },
    { intervalMs, onError: (error) => errors.push(error) },
  );
  return {
    offsets,
    commits,
    errors,
    overlapped: () => overlapped,
    failNextCommit: () => {
      failNext = true;
    },
  };
}

describe('offset commits', () => {
  it('commits the next offset of each partition once per interval', async () => {
    const { offsets, commits } = recordingCommits();
    offsets.applied('orders', 0, '4');
    offsets.applied('orders', 0, '9');
    offsets.applied('orders', 1, '0');
    assert.deepEqual(commits, [], 'nothing before the interval');
    await sleep(60);
    assert.deepEqual(commits, [
      [
        { topic: 'orders', partition: 0, offset: '10' },
        { topic: 'orders', partition: 1, offset: '1' },
      ],
    ]);
    offsets.close();
  });

  it('sends one commit at a time; what is applied meanwhile goes in the next', async () => {
    const { offsets, commits, overlapped } = recordingCommits(1_000);
    offsets.applied('orders', 0, '1');
    const first = offsets.flush();
    await sleep(1); // the first commit is under way
    offsets.applied('orders', 0, '2');
    await Promise.all([first, offsets.flush()]);
    assert.deepEqual(
      commits.map((entries) => entries.map(({ offset }) => offset)),
      [['2'], ['3']],
    );
    assert.equal(overlapped(), false);
    offsets.close();
  });

  it('keeps the offsets of a failed commit unless newer ones replaced them', async () => {
    const { offsets, commits, errors, failNextCommit } = recordingCommits(1_000);
    offsets.applied('orders', 0, '1');
    offsets.applied('orders', 1, '1');
    failNextCommit();
    const failing = offsets.flush();
    await sleep(1);
    offsets.applied('orders', 1, '5');
    await failing;
    assert.equal(errors.length, 1);
    await offsets.flush();
    assert.deepEqual(commits, [
      [
        { topic: 'orders', partition: 0, offset: '2' },
        { topic: 'orders', partition: 1, offset: '6' },
      ],
    ]);
    offsets.close();
  });

  it('forgets partitions that a rebalance gave away', async () => {
    const { offsets, commits } = recordingCommits(1_000);
    offsets.applied('orders', 0, '1');
    offsets.applied('orders', 1, '1');
    offsets.applied('payments', 0, '1');
    offsets.retain({ orders: [1] });
    await offsets.flush();
    assert.deepEqual(commits, [[{ topic: 'orders', partition: 1, offset: '2' }]]);
    offsets.close();
  });

  it('after close, commits only on an explicit flush', async () => {
    const { offsets, commits } = recordingCommits();
    offsets.close();
    offsets.applied('orders', 0, '1');
    await sleep(60);
    assert.deepEqual(commits, []);
    await offsets.flush();
    assert.deepEqual(commits, [[{ topic: 'orders', partition: 0, offset: '2' }]]);
  });
});
