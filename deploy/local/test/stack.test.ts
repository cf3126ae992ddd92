import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { maskPasswords } from '../src/env-file.ts';
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

  it('keeps one token key pair across ups, its private half readable by its owner only', async () => {
    const first = await up();
    const second = await up();
    const file = second.settings.AUTH_SIGNING_KEY_FILE!;
    assert.equal(first.settings.AUTH_SIGNING_KEY_FILE, file);
    assert.equal(statSync(file).mode & 0o077, 0);
    const signing = JSON.parse(readFileSync(file, 'utf8'));
    const { keys } = JSON.parse(readFileSync(second.settings.AUTH_JWKS_FILE!, 'utf8'));
    const published = keys.find((key: { kid: string }) => key.kid === signing.kid);
    assert.ok(published, 'the key set holds the signing key');
    assert.equal(published.d, undefined, 'and only its public half');
    assert.ok(second.settings.AUTH_ISSUER && second.settings.AUTH_AUDIENCE);
  });

  it('masks passwords in the settings it prints', () => {
    assert.deepEqual(
      maskPasswords({
        POSTGRES_URL: 'postgres://app:s3cret@db.internal:5432/postgres',
        REDIS_URL: 'redis://:hunter2@127.0.0.1:6379',
        KAFKA_BROKERS: '127.0.0.1:9092',
      }),
      {
        POSTGRES_URL: 'postgres://app:***@db.internal:5432/postgres',
        REDIS_URL: 'redis://:***@127.0.0.1:6379',
        KAFKA_BROKERS: '127.0.0.1:9092',
      },
    );
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
