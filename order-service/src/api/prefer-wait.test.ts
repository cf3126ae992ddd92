import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preferredWait } from './prefer-wait.js';

describe('Prefer: wait', () => {
  it('reads the seconds of a wait preference among others', () => {
    assert.equal(preferredWait('wait=5'), 5);
    assert.equal(preferredWait('WAIT = 12'), 12);
    assert.equal(preferredWait('return=minimal, wait=3'), 3);
    assert.equal(preferredWait('respond-async; foo=bar, wait=0'), 0);
    assert.equal(preferredWait('wait=7; ignored=param'), 7);
    assert.equal(preferredWait('wait="8"'), 8);
    assert.equal(preferredWait('foo="a, wait=1; b", wait=9'), 9);
  });

  it('counts only the first wait', () => {
    assert.equal(preferredWait('wait=4, wait=20'), 4);
    assert.equal(preferredWait('wait=soon, wait=20'), undefined);
  });

  it('ignores a header without a wait, or with a malformed one', () => {
    for (const header of [
      undefined,
      '',
      'return=minimal',
      'waiting=5',
      'wait',
      'wait=',
      'wait=-1',
      'wait=1.5',
      'wait=5s',
      'wait=0x10',
      'wait=1e3',
      'wait="5',
      '"wait=5"',
    ]) {
      assert.equal(preferredWait(header), undefined, String(header));
    }
  });

  it('reads a wait too long to be a number as infinite, for the caller to cap', () => {
    assert.equal(preferredWait(`wait=${'9'.repeat(400)}`), Number.POSITIVE_INFINITY);
  });
});
