import type { Admin } from 'kafkajs';
import { SERVICE_NAMES, type ServiceName } from '../services.js';

/** Messages ever written to each service's DLQ topic under `prefix`. */
export async function countDeadLetters(
  admin: Admin,
  prefix: string,
): Promise<Record<ServiceName, number>> {
  const counts = await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const offsets = await admin.fetchTopicOffsets(`${prefix}${name}.dlq`);
      return [name, offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<ServiceName, number>;
}
