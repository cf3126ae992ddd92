import { setTimeout as sleep } from 'node:timers/promises';
import { retryTopic } from '@saga/shared/topics';
import type { Admin } from 'kafkajs';
import type { PlatformDatabases } from '../invariants/index.js';
import { SERVICE_NAMES, SERVICES } from '../services.js';

async function unpublishedOutboxRows(databases: PlatformDatabases): Promise<string[]> {
  return (
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const { rows } = await databases[name].query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        );
        const n = rows[0]?.n ?? 0;
        return n > 0 ? [`${name}: ${n} outbox rows unpublished`] : [];
      }),
    )
  ).flat();
}

async function pendingPayments(databases: PlatformDatabases): Promise<string[]> {
  const { rows } = await databases.payment.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM payments WHERE status = 'PENDING'",
  );
  const n = rows[0]?.n ?? 0;
  return n > 0 ? [`payment: ${n} payments pending at the gateway`] : [];
}

async function consumerLag(admin: Admin, prefix: string): Promise<string[]> {
  const lagging: string[] = [];
  for (const { name, consumes } of SERVICES) {
    const topics = [...consumes, retryTopic(name)].map((topic) => prefix + topic);
    const committed = await admin.fetchOffsets({ groupId: `${prefix}${name}-service`, topics });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      let lag = 0;
      for (const end of ends) {
        const at = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(end.high) - (at === '-1' ? Number(end.low) : Number(at));
      }
      if (lag > 0) lagging.push(`${name}-service: ${lag} messages of ${topic} not consumed`);
    }
  }
  return lagging;
}

/** What is still moving: unpublished outbox rows, unsettled payments, unconsumed messages. */
export async function activity(
  admin: Admin,
  prefix: string,
  databases: PlatformDatabases,
): Promise<string[]> {
  const [outbox, payments, lag] = await Promise.all([
    unpublishedOutboxRows(databases),
    pendingPayments(databases),
    consumerLag(admin, prefix),
  ]);
  return [...outbox, ...payments, ...lag];
}

/**
 * Waits until nothing moves: two looks in a row find every outbox row published, no payment
 * pending and every consumer group caught up. Returns what still moved at the deadline (empty
 * when quiescent), so a caller can report it instead of checking a platform in flight.
 */
export async function waitForQuiescence(
  admin: Admin,
  prefix: string,
  databases: PlatformDatabases,
  timeoutMs = 20_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let quietLooks = 0;
  for (;;) {
    const moving = await activity(admin, prefix, databases);
    quietLooks = moving.length === 0 ? quietLooks + 1 : 0;
    if (quietLooks >= 2) return [];
    if (Date.now() > deadline) return moving;
    await sleep(moving.length === 0 ? 250 : 200);
  }
}
