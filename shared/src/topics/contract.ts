import { TOPICS } from '../events/index.js';

/** The services of the contract, by the short names used in topic and group names. */
export const SERVICES = ['order', 'payment', 'inventory', 'delivery'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Re-deliveries to one service only (DLQ replays). */
export const retryTopic = (service: string) => `${service}.retry`;
/** Dead letters of one service. */
export const dlqTopic = (service: string) => `${service}.dlq`;

/** Every topic of the contract: one per event type, plus a retry and a DLQ topic per service. */
export function contractTopics(services: readonly string[] = SERVICES, prefix = ''): string[] {
  return [
    ...TOPICS,
    ...services.flatMap((service) => [retryTopic(service), dlqTopic(service)]),
  ].map((topic) => prefix + topic);
}
