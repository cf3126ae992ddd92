import type { Kafka } from 'kafkajs';
import type pg from 'pg';

export type Check = () => Promise<void>;

async function withTimeout(check: Check, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently; a check that throws or hangs reports the dependency down. */
export async function runChecks(checks: Record<string, Check>, timeoutMs = 2_000) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check, timeoutMs);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [name, { ok: false, error: (error as Error).message }] as const;
      }
    }),
  );
  return { ok: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
}

export const databaseCheck =
  (pool: pg.Pool): Check =>
  async () => {
    await pool.query('SELECT 1');
  };

/** A fresh admin connection per probe: nothing stays open between probes or after shutdown. */
export const kafkaCheck =
  (kafka: Kafka): Check =>
  async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  };

/**
 * The global compatibility level: an answer from the registry's store that costs the same however
 * many subjects it holds (listing `/subjects` grows with them, and every probe would pay for it).
 */
export const registryCheck =
  (registryUrl: string): Check =>
  async () => {
    const response = await fetch(`${registryUrl}/config`);
    await response.body?.cancel();
    if (!response.ok) throw new Error(`registry answered ${response.status}`);
  };
