import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DlqToolError } from './errors.js';
import { commitPoint, decodeProgress, statusOf, withOutcomes } from './progress.js';

describe('dlq tool progress', () => {
  it('starts with everything pending when the group never committed', () => {
    const progress = decodeProgress('-1', null);
    assert.equal(statusOf(progress, 0), 'pending');
    assert.deepEqual(commitPoint(progress, 0), {
      offset: '0',
      metadata: '{"replayed":[],"purged":[]}',
    });
  });

  it('commits the first pending offset and remembers handled entries beyond it', () => {
    const progress = withOutcomes(decodeProgress('-1', null), [
      { offset: 0, outcome: 'replayed' },
      { offset: 1, outcome: 'replayed' },
      { offset: 2, outcome: 'purged' },
      { offset: 4, outcome: 'replayed' },
    ]);
    const point = commitPoint(progress, 0);
    assert.equal(point.offset, '3');
    const reread = decodeProgress(point.offset, point.metadata);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((offset) => statusOf(reread, offset)),
      ['replayed', 'replayed', 'purged', 'pending', 'replayed', 'pending'],
    );
  });

  it('moves past spans once the gap between them is handled', () => {
    const before = decodeProgress('3', '{"replayed":[[0,1],[4,4]],"purged":[[2,2]]}');
    const after = withOutcomes(before, [{ offset: 3, outcome: 'replayed' }]);
    assert.deepEqual(commitPoint(after, 0), {
      offset: '5',
      metadata: '{"replayed":[[0,1],[3,4]],"purged":[[2,2]]}',
    });
  });

  it('forgets spans that retention deleted and never moves the offset backwards', () => {
    const progress = decodeProgress('10', '{"replayed":[[0,3],[12,12]],"purged":[[4,9]]}');
    assert.deepEqual(commitPoint(progress, 5), {
      offset: '10',
      metadata: '{"replayed":[[12,12]],"purged":[[4,9]]}',
    });
    assert.equal(commitPoint(progress, 20).offset, '20');
  });

  it('calls entries below an offset committed by another tool handled', () => {
    const progress = decodeProgress('7', 'not ours');
    assert.equal(statusOf(progress, 6), 'handled');
    assert.equal(statusOf(progress, 7), 'pending');
  });

  it('refuses progress too scattered for the offset metadata', () => {
    const scattered = withOutcomes(
      decodeProgress('-1', null),
      Array.from({ length: 600 }, (_, i) => ({
        offset: 1_000_000 + 2 * i,
        outcome: 'purged' as const,
      })),
    );
    assert.throws(() => commitPoint(scattered, 0), DlqToolError);
  });
});
