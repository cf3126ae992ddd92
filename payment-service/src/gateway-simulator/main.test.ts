import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startChild } from '@saga/shared/testing';

it('runs as its own process, answers /healthz and stops on SIGTERM', async (t) => {
  const child = startChild(new URL('./main.ts', import.meta.url), {
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'info',
  });
  t.after(() => child.kill('SIGKILL'));
  await child.waitFor('payment gateway simulator listening');
  const started = child
    .output()
    .split('\n')
    .map((line) => (line.startsWith('{') ? JSON.parse(line) : {}))
    .find((entry) => entry.msg === 'payment gateway simulator listening');

  const response = await fetch(`${started.url}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });

  await child.kill('SIGTERM');
  assert.equal(await child.exited, 0);
  assert.match(child.output(), /"msg":"stopped"/);
});
