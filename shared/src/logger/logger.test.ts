import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, maskUrlCredentials } from './index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('stamps every line with the service name and level', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'order-service', destination }).info({ orderId: 'o-1' }, 'accepted');
    assert.equal(lines[0]?.service, 'order-service');
    assert.equal(lines[0]?.level, 'info');
    assert.equal(lines[0]?.orderId, 'o-1');
  });

  it('redacts secrets at known paths', () => {
    const { lines, destination } = capture();
    createLogger({ service: 's', destination }).info(
      { password: 'p', body: { paymentMethod: { type: 'card', token: 'tok_ok' } } },
      'request',
    );
    assert.equal(lines[0]?.password, '[redacted]');
    assert.deepEqual(lines[0]?.body, { paymentMethod: { type: 'card', token: '[redacted]' } });
  });

  it('masks credentials in URLs inside logged errors and their causes', () => {
    const { lines, destination } = capture();
    const cause = new Error('getaddrinfo failed for redis://:r3dis-pass@cache:6379');
    const error = new Error('connect postgres://app:s3cret@db:5432/x failed', { cause });
    createLogger({ service: 's', destination }).error(
      { err: error, payment: { paymentToken: 'tok_live_1' } },
      'start failed',
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ['s3cret', 'r3dis-pass', 'tok_live_1']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    assert.match(line, /postgres:\/\/app:\*\*\*@db/);
  });

  it('masks credentials embedded in URLs in messages', () => {
    assert.equal(
      maskUrlCredentials('connect postgres://app:s3cret@db:5432/x failed'),
      'connect postgres://app:***@db:5432/x failed',
    );
  });
});
