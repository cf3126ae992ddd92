import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { inventoryApiDocument } from './openapi.js';

describe('inventory-service OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with a bearer scheme required everywhere', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(inventoryApiDocument)));
    assert.deepEqual(result, { valid: true });
    assert.equal(inventoryApiDocument.openapi, '3.1.0');
    assert.deepEqual(inventoryApiDocument.security, [{ bearer: [] }]);
    for (const [path, item] of Object.entries(inventoryApiDocument.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const statuses = Object.keys((operation as { responses: object }).responses);
        for (const status of ['401', '429', '503']) {
          assert.ok(statuses.includes(status), `${method} ${path} documents its ${status}`);
        }
      }
    }
  });
});
