import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

  describe('on standard output', () => {
    /** A process that logs with `code` (a module with `log`, a logger, in scope). */
    function loggingProcess(code: string) {
      const module = `import { createLogger } from '@saga/shared/logger';
        const log = createLogger({ service: 'stdout-test' });
        ${code}`;
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import=tsx', '--input-type=module', '-e', module],
        // Without the test runner's variable, which would make the child report to it.
        {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, NODE_TEST_CONTEXT: undefined },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      const lines = () => output.split('\n').filter(Boolean);
      return { child, lines };
    }

    it('writes every line of a process that exits at once, even through process.exit', async () => {
      const { child, lines } = loggingProcess(
        "for (let i = 0; i < 100; i++) log.info({ i }, 'line'); process.exit(3);",
      );
      const [code] = await once(child, 'close');
      assert.equal(code, 3);
      assert.equal(lines().length, 100);
    });

    it("writes an idle process's line while it runs", async () => {
      const { child, lines } = loggingProcess("log.info('alone'); setTimeout(() => {}, 30_000);");
      try {
        while (lines().length === 0) await once(child.stdout, 'data');
        assert.equal(JSON.parse(lines()[0]!).msg, 'alone');
      } finally {
        child.kill();
      }
    });
  });
});
