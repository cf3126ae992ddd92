import type { Admin, Kafka } from 'kafkajs';
import { DlqToolError } from './errors.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects an admin, or fails with a clear message instead of waiting on kafkajs' endless
 * reconnecting (which goes on in the background: the CLI exits rather than wait for it).
 */
export async function connectAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DlqToolError(
            `Cannot reach Kafka within ${CONNECT_TIMEOUT_MS / 1000} s: check KAFKA_BROKERS and ` +
              'that the stack is up (npm run stack -- status).',
          ),
        ),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([admin.connect(), timeout]);
    return admin;
  } finally {
    clearTimeout(timer);
  }
}
