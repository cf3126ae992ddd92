import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { orderApiDocument } from './openapi.js';

describe('order-service OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with a bearer scheme required everywhere', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(orderApiDocument)));
    assert.deepEqual(result, { valid: true });
    assert.equal(orderApiDocument.openapi, '3.1.0');
    assert.deepEqual(orderApiDocument.security, [{ bearer: [] }]);
    for (const [path, item] of Object.entries(orderApiDocument.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const statuses = Object.keys((operation as { responses: object }).responses);
        for (const status of ['401', '429', '503']) {
          assert.ok(statuses.includes(status), `${method} ${path} documents its ${status}`);
        }
      }
    }
  });
});
