import { TOPICS } from '../events/index.js';

/** Re-deliveries to one service only (DLQ replays). */
export const retryTopic = (service: string) => `${service}.retry`;
/** Dead letters of one service. */
export const dlqTopic = (service: string) => `${service}.dlq`;

/** The topics of the contract: one per event type, plus a retry and a DLQ topic per service. */
export function contractTopics(services: readonly string[], prefix = ''): string[] {
  return [
    ...TOPICS,
    ...services.flatMap((service) => [retryTopic(service), dlqTopic(service)]),
  ].map((topic) => prefix + topic);
}
