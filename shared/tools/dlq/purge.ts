import type { Kafka } from 'kafkajs';
import type { HandleResult } from './result.js';
import { type Selection, selectPending } from './select.js';
import { type DlqTarget, openSession } from './session.js';

export interface PurgeOptions extends DlqTarget, Selection {
  dryRun?: boolean;
}

/**
 * Marks pending dead letters handled without replaying them. Kafka topics are append-only: the
 * messages stay until retention deletes them; only the tool's recorded progress moves past them.
 */
export async function purgeDeadLetters(kafka: Kafka, options: PurgeOptions): Promise<HandleResult> {
  const dryRun = options.dryRun ?? false;
  const session = await openSession(kafka, options, dryRun ? 'inspect' : 'manage');
  try {
    const chosen = selectPending(session.letters, options);
    if (!dryRun) await session.record(chosen.map((entry) => ({ entry, outcome: 'purged' })));
    return { dryRun, actions: chosen.map((entry) => ({ entry, action: 'purged' })) };
  } finally {
    await session.close();
  }
}
