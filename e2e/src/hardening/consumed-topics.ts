import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@saga/shared/events';
import { retryTopic } from '@saga/shared/topics';
import { type Admin, AssignerProtocol } from 'kafkajs';
import { SERVICE_NAMES, type ServiceName } from '../services.js';

/** What one service's consumer group subscribes to, without the platform's topic prefix. */
export type Subscriptions = Record<ServiceName, string[]>;

/**
 * The topics each running service consumes, read from its consumer group: the subscription every
 * member sends when it joins (the topics of its handlers plus its `<service>.retry`). Taken from
 * the platform itself, so a handler added or removed changes what a test covers, with no list to
 * keep in step. Waits (bounded) until every group is stable with its members joined.
 */
export async function consumedTopics(
  admin: Admin,
  prefix: string,
  services: readonly ServiceName[] = SERVICE_NAMES,
  timeoutMs = 30_000,
): Promise<Subscriptions> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { groups } = await admin.describeGroups(services.map((s) => `${prefix}${s}-service`));
    const subscriptions: Partial<Subscriptions> = {};
    for (const service of services) {
      const group = groups.find((g) => g.groupId === `${prefix}${service}-service`);
      if (group?.state !== 'Stable' || group.members.length === 0) continue;
      const topics = new Set<string>();
      for (const member of group.members) {
        const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
        for (const topic of metadata?.topics ?? []) {
          if (topic.startsWith(prefix)) topics.add(topic.slice(prefix.length));
        }
      }
      subscriptions[service] = [...topics].sort();
    }
    const waiting = services.filter((service) => !subscriptions[service]);
    if (waiting.length === 0) return subscriptions as Subscriptions;
    if (Date.now() > deadline) {
      throw new Error(`consumer groups not stable after ${timeoutMs} ms: ${waiting.join(', ')}`);
    }
    await sleep(200);
  }
}

/** The problems of a subscription against the contract: only its event topics and own retry topic. */
export function subscriptionProblems(subscriptions: Subscriptions): string[] {
  const known = new Set<string>(TOPICS);
  return Object.entries(subscriptions).flatMap(([service, topics]) => [
    ...topics
      .filter((topic) => topic !== retryTopic(service) && !known.has(topic))
      .map((topic) => `${service} consumes ${topic}, which is no event topic of the contract`),
    ...(topics.includes(retryTopic(service))
      ? []
      : [`${service} does not consume ${retryTopic(service)}`]),
    ...(topics.length > 1 ? [] : [`${service} consumes no event topic`]),
  ]);
}

/** Each consumed topic with the services that consume it. */
export function consumersByTopic(subscriptions: Subscriptions): Map<string, ServiceName[]> {
  const byTopic = new Map<string, ServiceName[]>();
  for (const [service, topics] of Object.entries(subscriptions) as [ServiceName, string[]][]) {
    for (const topic of topics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), service]);
  }
  return byTopic;
}
