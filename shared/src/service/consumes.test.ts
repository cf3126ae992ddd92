import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertHandlesWhatItConsumes } from './consumes.js';

const handle = async () => {};

describe("a service's manifest against its handlers", () => {
  it('accepts handlers of exactly the consumed topics, in any order', () => {
    assertHandlesWhatItConsumes('x-service', ['order.created', 'order.canceled'], {
      'order.canceled': handle,
      'order.created': handle,
    });
    assertHandlesWhatItConsumes('x-service', []);
  });

  it('refuses a consumed topic without a handler, naming both lists', () => {
    assert.throws(
      () =>
        assertHandlesWhatItConsumes('x-service', ['order.created', 'order.canceled'], {
          'order.created': handle,
        }),
      /x-service consumes \[order\.canceled, order\.created\] by its manifest but handles \[order\.created\]/,
    );
  });

  it('refuses a handler of a topic the manifest does not list', () => {
    assert.throws(
      () => assertHandlesWhatItConsumes('x-service', [], { 'order.created': handle }),
      /handles \[order\.created\]/,
    );
  });
});
