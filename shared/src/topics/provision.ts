import type { Admin } from 'kafkajs';

export interface ProvisionOptions {
  /** Partitions of a topic this call creates; existing topics keep theirs. Default 6. */
  partitions?: number;
  /** Default 1, the local single-broker stack. */
  replicationFactor?: number;
}

export interface ProvisionResult {
  created: string[];
  existing: string[];
}

/**
 * Creates the topics that do not exist yet and leaves the others alone, so it can run at every
 * service start. Partitions are never changed on an existing topic: that would move keys between
 * partitions and break per-key order.
 */
export async function provisionTopics(
  admin: Admin,
  topics: readonly string[],
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const partitions = options.partitions ?? 6;
  const replicationFactor = options.replicationFactor ?? 1;
  const present = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !present.has(topic));
  if (missing.length > 0) {
    // createTopics answers false when another instance won the race: the topics exist either way.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
    });
  }
  return { created: missing, existing: topics.filter((topic) => present.has(topic)) };
}
