import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs promtool (installed by `npm test`, see deploy/local/test.mjs) in this folder. */
function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { cwd: here, encoding: 'utf8' });
  assert.ifError(run.error);
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe('Prometheus alert rules', () => {
  it('are valid rules', () => {
    const { ok, output } = promtool('check', 'rules', 'alerts.yml');
    assert.ok(ok, output);
  });

  it('fire on the cases of alerts.test.yml, and stay quiet on the others', () => {
    const { ok, output } = promtool('test', 'rules', 'alerts.test.yml');
    assert.ok(ok, output);
  });
});
