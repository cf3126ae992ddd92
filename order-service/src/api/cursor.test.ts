import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpProblem } from '@saga/shared/service';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('order listing cursor', () => {
  it('round-trips a position', () => {
    const position = {
      createdAt: new Date('2025-01-15T10:30:00.123Z'),
      id: '0198f3c5-4a0e-7cc1-9a52-6d1f3f6e2b10',
    };
    assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  });

  it('refuses anything else with a problem naming the cursor', () => {
    for (const bad of [
      '',
      'not base64 json',
      Buffer.from('{"createdAt":1}').toString('base64url'),
    ]) {
      assert.throws(
        () => decodeCursor(bad),
        (error: unknown) =>
          error instanceof HttpProblem &&
          error.problem.status === 400 &&
          error.problem.errors?.[0]?.field === 'cursor',
      );
    }
  });
});
