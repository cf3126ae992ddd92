import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mulberry32 } from './random.js';

const draw = (seed: number) => Array.from({ length: 100 }, mulberry32(seed));

it('draws the same sequence in [0, 1) from the same seed', () => {
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.ok(draw(7).every((value) => value >= 0 && value < 1));
});
