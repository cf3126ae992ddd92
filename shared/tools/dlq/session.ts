import { randomBytes } from 'node:crypto';
import { dlqTopic, retryTopic } from '@saga/shared/topics';
import type { Consumer, Kafka } from 'kafkajs';
import { connectAdmin } from './connect.js';
import { type DeadLetterEntry, toEntry } from './entry.js';
import { DlqToolError } from './errors.js';
import { type Membership, watchMembership } from './membership.js';
import {
  commitPoint,
  decodeProgress,
  type Outcome,
  type PartitionProgress,
  statusOf,
  withOutcomes,
} from './progress.js';
import { type ReadRange, readRanges } from './reader.js';

const READ_TIMEOUT_MS = 60_000;

/** A service's short name: its database is `saga_<name>`, which allows no other characters. */
export const SERVICE_NAME = /^[a-z][a-z0-9_]*$/;

/** The services with a DLQ topic under `topicPrefix`, among the broker's `topics`. */
function servicesWithDlq(topics: readonly string[], topicPrefix: string): string[] {
  const suffix = dlqTopic(''); // the topic's name after the service's
  return topics
    .filter((topic) => topic.startsWith(topicPrefix) && topic.endsWith(suffix))
    .map((topic) => topic.slice(topicPrefix.length, -suffix.length))
    .filter((service) => SERVICE_NAME.test(service))
    .sort();
}

/** Whose dead letters: `<topicPrefix><service>.dlq`, as the service's consumer runner names it. */
export interface DlqTarget {
  service: string;
  /** The service's KAFKA_TOPIC_PREFIX. Default ''. */
  topicPrefix?: string;
}

/** The group whose committed offsets are the tool's progress on the target's DLQ. */
export const toolGroup = ({ service, topicPrefix = '' }: DlqTarget) =>
  `${topicPrefix}${service}-dlq-tool`;

/**
 * - `inspect` (list, dry runs): reads the whole retained DLQ with a throwaway group, deleted
 *   afterwards (kafkajs cannot fetch without a group), and never touches the tool's group.
 * - `manage` (replay, purge): reads from the first pending offset as the only member of the
 *   tool's group, and commits progress through that membership.
 */
export type SessionMode = 'inspect' | 'manage';

export interface DlqSession {
  /** Up to the high watermarks seen at opening, in partition and offset order. */
  letters: DeadLetterEntry[];
  /** Durably marks entries handled; `manage` sessions only. */
  record(handled: readonly { entry: DeadLetterEntry; outcome: Outcome }[]): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(
  kafka: Kafka,
  target: DlqTarget,
  mode: SessionMode,
): Promise<DlqSession> {
  const { service, topicPrefix = '' } = target;
  const topic = topicPrefix + dlqTopic(service);
  const admin = await connectAdmin(kafka);
  let consumer: Consumer | undefined;
  const groupId =
    mode === 'manage'
      ? toolGroup(target)
      : `${topicPrefix}${service}-dlq-list-${randomBytes(6).toString('hex')}`;
  async function close() {
    await consumer?.disconnect().catch(() => {});
    if (mode === 'inspect' && consumer) await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
  try {
    const topics = await admin.listTopics();
    const missing = [topic, topicPrefix + retryTopic(service)].filter(
      (name) => !topics.includes(name),
    );
    if (missing.length > 0) {
      const known = servicesWithDlq(topics, topicPrefix);
      throw new DlqToolError(
        `${missing.length > 1 ? 'Topics' : 'Topic'} ${missing.join(' and ')} ` +
          `${missing.length > 1 ? 'do' : 'does'} not exist: is "${service}" a service of this ` +
          'platform, and has it started once (which provisions its topics)? ' +
          (known.length > 0
            ? `Services with a DLQ topic: ${known.join(', ')}.`
            : 'No service has a DLQ topic yet.'),
      );
    }
    const watermarks = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: toolGroup(target), topics: [topic] });
    const progress = new Map<number, PartitionProgress>(
      (committed?.partitions ?? []).map((p) => [p.partition, decodeProgress(p.offset, p.metadata)]),
    );
    const progressOf = (partition: number) => progress.get(partition) ?? decodeProgress('-1', null);
    const low = new Map(watermarks.map((w) => [w.partition, Number(w.low)]));
    const ranges = new Map<number, ReadRange>(
      watermarks.map((w) => {
        const from = Number(w.low);
        const start = mode === 'manage' ? Math.max(from, progressOf(w.partition).committed) : from;
        return [w.partition, { from: start, to: Number(w.high) }];
      }),
    );

    let membership: Membership | undefined;
    let read: Awaited<ReturnType<typeof readRanges>> = [];
    if ([...ranges.values()].some((range) => range.from < range.to)) {
      consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        // A crashed earlier run's member is evicted quickly instead of stalling this join.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 500,
        // A crash ends the run with its error; a restart would outlive close().
        retry: { restartOnFailure: async () => false },
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      if (mode === 'manage') membership = watchMembership(consumer, topic, [...ranges.keys()]);
      read = await readRanges(consumer, ranges, {
        timeoutMs: READ_TIMEOUT_MS,
        ...(membership && { failure: membership.lost }),
      });
    }
    const letters = read.map(({ partition, message }) =>
      toEntry(
        partition,
        message,
        topicPrefix,
        statusOf(progressOf(partition), Number(message.offset)),
      ),
    );

    return {
      letters,
      async record(handled) {
        if (handled.length === 0) return;
        if (mode !== 'manage' || !consumer || !membership) {
          throw new Error('Only a manage session that read dead letters can record them');
        }
        membership.check();
        const partitions = new Set(handled.map(({ entry }) => entry.partition));
        const commits = [...partitions].map((partition) => {
          const next = withOutcomes(
            progressOf(partition),
            handled
              .filter(({ entry }) => entry.partition === partition)
              .map(({ entry, outcome }) => ({ offset: entry.offset, outcome })),
          );
          progress.set(partition, next);
          return { topic, partition, ...commitPoint(next, low.get(partition) ?? 0) };
        });
        await consumer.commitOffsets(commits);
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
