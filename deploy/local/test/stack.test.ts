import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { status, up } from '../src/stack.ts';

describe('stack', () => {
  it('does nothing when up is called on a running stack', async () => {
    await up();
    const begin = Date.now();
    const second = await up();
    assert.deepEqual(second.started, []);
    assert.ok(Date.now() - begin < 5000, `second up took ${Date.now() - begin} ms`);
    assert.ok(existsSync(second.envFile));
    for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'POSTGRES_URL', 'REDIS_URL']) {
      assert.ok(second.settings[name], `${name} missing from the settings`);
    }
  });

  it('reports every component up', async () => {
    const components = await status();
    assert.deepEqual(components.map((c) => c.name).sort(), [
      'kafka',
      'postgres',
      'redis',
      'registry',
    ]);
    for (const c of components) assert.ok(c.up, `${c.name} is down`);
  });
});
