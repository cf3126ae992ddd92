import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix } from '@saga/shared/testing';
import pg from 'pg';
import {
  dropDatabases,
  entryOf,
  freePorts,
  type Platform,
  preferLocalSocket,
  stackSettings,
  startPlatform,
  startProcess,
} from './index.js';

const status = async (url: string) => (await fetch(url)).status;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ESRCH');
    return false;
  }
}

// Only delivery-service exists so far; the other services join the test as they land.
describe('platform launcher', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e${run}.`;
  let platform: Platform;
  const kafka = createKafkaClient({
    clientId: 'launcher-test',
    brokers: stackSettings().KAFKA_BROKERS,
    logger: createLogger({ service: 'launcher-test', level: 'silent' }),
  });
  const admin = kafka.admin();

  /** Until the instances share the partitions: a kill during a rebalance is another story. */
  async function waitForStableGroup(groupId: string, members: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [group] = (await admin.describeGroups([groupId])).groups;
      if (group?.state === 'Stable' && group.members.length === members) return;
      assert.ok(Date.now() < deadline, `group ${groupId} is ${group?.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  before(async () => {
    await admin.connect();
    platform = await startPlatform({
      prefix,
      instances: 2,
      databaseSuffix: run,
      services: ['delivery'],
    });
  });

  after(async () => {
    await platform?.stop();
    await dropDatabases(stackSettings().POSTGRES_URL, Object.values(platform?.databases ?? {}));
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  it('connects the services to a PostgreSQL on this machine through its Unix socket', async () => {
    const admin = new pg.Client({ connectionString: stackSettings().POSTGRES_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ socket: boolean }>(
        'SELECT client_addr IS NULL AS socket FROM pg_stat_activity WHERE datname = $1',
        [platform.databases.delivery],
      );
      assert.ok(rows.length > 0);
      assert.ok(rows.every((row) => row.socket));
    } finally {
      await admin.end();
    }
  });

  it('keeps the URL of a server elsewhere as it is', async () => {
    const remote = 'postgres://saga_order@db.example.test:5432/saga_order';
    assert.equal(await preferLocalSocket(remote), remote);
  });

  it('starts the gateway simulator and every instance on its own port, all ready', async () => {
    const instances = platform.services.delivery ?? [];
    assert.equal(instances.length, 2);
    assert.equal(await status(`${platform.gateway.url}/healthz`), 200);
    for (const instance of instances) assert.equal(await status(`${instance.url}/readyz`), 200);
    const ports = platform.processes().map((handle) => handle.port);
    assert.equal(new Set(ports).size, ports.length);
    assert.equal(platform.url('delivery', 1), instances[1]?.url);
    assert.deepEqual(platform.databases, { delivery: `saga_delivery_${run}` });
  });

  it('writes each process output to its log, every line prefixed with its name', () => {
    const first = platform.services.delivery![0]!;
    const lines = readFileSync(first.logFile, 'utf8').trimEnd().split('\n');
    const start = lines.findIndex((line) =>
      line.startsWith(`[delivery-1] --- started (pid ${first.pid})`),
    );
    assert.ok(start >= 0, 'no start marker of this process');
    const thisRun = lines.slice(start);
    assert.ok(thisRun.every((line) => line.startsWith('[delivery-1] ')));
    assert.ok(thisRun.some((line) => line.includes('"msg":"delivery-service started"')));
  });

  it('reports an instance killed with SIGKILL as exited, the other one still ready', async () => {
    const [survivor, victim] = platform.services.delivery!;
    await waitForStableGroup(`${prefix}delivery-service`, 2);
    assert.deepEqual(await victim!.kill(), { code: null, signal: 'SIGKILL' });
    assert.deepEqual(await victim!.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(isRunning(victim!.pid), false);
    assert.equal(await status(`${survivor!.url}/readyz`), 200);
  });

  it('stops every process gracefully and leaves none running', async () => {
    const handles = platform.processes();
    const wereRunning = handles.filter((handle) => isRunning(handle.pid));
    assert.equal(wereRunning.length, 2, 'the gateway and the surviving instance');
    await platform.stop();
    for (const handle of wereRunning) {
      assert.deepEqual(await handle.exited, { code: 0, signal: null }, handle.name);
    }
    for (const handle of handles) assert.equal(isRunning(handle.pid), false, handle.name);
  });
});

describe('process launcher', () => {
  it('fails with the log tail when a process exits before it is ready', async () => {
    const [port] = await freePorts(1);
    await assert.rejects(
      startProcess({
        name: 'launcher-test-misconfigured',
        entry: entryOf('delivery'),
        port: port!,
        env: { PORT: String(port), DELIVERY_FAILURE_RATE: '2' },
      }),
      /launcher-test-misconfigured exited \(code 1\) before it was ready[\s\S]*DELIVERY_FAILURE_RATE/,
    );
  });

  it('kills a process that stays unready and fails with its log tail', async () => {
    const [port] = await freePorts(1);
    const name = 'launcher-test-unready';
    // The simulator answers /healthz only: waiting for /readyz must time out.
    const error = await startProcess({
      name,
      entry: entryOf('gateway'),
      port: port!,
      env: { GATEWAY_PORT: String(port) },
      readyTimeoutMs: 2_000,
    }).catch((error: Error) => error);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /did not answer 200 on http:\/\/127\.0\.0\.1:\d+\/readyz within 2000 ms/,
    );
    assert.match(error.message, /payment gateway simulator listening/);
    assert.match(error.message, /--- exited \(SIGKILL\)/);
  });
});
