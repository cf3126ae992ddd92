import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, parseDuration } from './duration.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('durations and ages', () => {
  it('parses a number and one unit', () => {
    assert.equal(parseDuration('90s'), 90 * SECOND);
    assert.equal(parseDuration('15m'), 15 * MINUTE);
    assert.equal(parseDuration('12h'), 12 * HOUR);
    assert.equal(parseDuration('7d'), 7 * DAY);
    assert.equal(parseDuration('2w'), 14 * DAY);
  });

  it('rejects anything else', () => {
    for (const text of ['', '7', 'd', '7y', '-1d', '1.5h', '1h30m']) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });

  it('formats an age with its two largest units, dropping zeros', () => {
    assert.equal(formatAge(0), '0s');
    assert.equal(formatAge(999), '0s');
    assert.equal(formatAge(45 * SECOND), '45s');
    assert.equal(formatAge(12 * MINUTE + 5 * SECOND), '12m 5s');
    assert.equal(formatAge(3 * HOUR + 20 * MINUTE + 59 * SECOND), '3h 20m');
    assert.equal(formatAge(2 * DAY + 4 * HOUR + 30 * MINUTE), '2d 4h');
    assert.equal(formatAge(2 * DAY + 30 * MINUTE), '2d');
    assert.equal(formatAge(HOUR), '1h');
  });

  it('shows a clock skewed into the future as 0s', () => {
    assert.equal(formatAge(-5 * SECOND), '0s');
  });
});
