import { RegistryRejection } from './registry-errors.js';

/** A subject's compatibility level, as the registry's Confluent-compatible API names it. */
export interface CompatibilityApi {
  /**
   * Makes `subject` BACKWARD, whoever else does the same at the moment, and reads it back. A
   * subject with no level of its own, or `NONE` (what Apicurio reports for a subject created
   * without a rule), is set; one explicitly set to another level is refused.
   */
  ensureBackward(subject: string): Promise<void>;
}

const contentType = 'application/vnd.schemaregistry.v1+json';

/**
 * The config calls of the Confluent API over fetch. The registry client's own `register` would
 * set a new subject's level after registering it, which leaves a window where the subject reads
 * `NONE`, and counts a concurrent writer's 409 as a failure.
 */
export function compatibilityApi(registryUrl: string, requestTimeoutMs: number): CompatibilityApi {
  const configUrl = (subject: string) => `${registryUrl}/config/${encodeURIComponent(subject)}`;

  const call = async (subject: string, init: RequestInit = {}) => {
    const response = await fetch(configUrl(subject), {
      ...init,
      headers: { Accept: contentType, 'Content-Type': contentType },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const body = await response.text();
    return { status: response.status, body };
  };

  /** The subject's own level; undefined when it has none (the registry's default applies). */
  const read = async (subject: string): Promise<string | undefined> => {
    const { status, body } = await call(subject);
    if (status === 404) return undefined;
    if (status !== 200)
      throw new Error(`Reading the compatibility of ${subject}: ${status} ${body}`);
    const level = (JSON.parse(body) as { compatibilityLevel?: string }).compatibilityLevel;
    return level?.toUpperCase();
  };

  return {
    async ensureBackward(subject) {
      const level = await read(subject);
      if (level === 'BACKWARD') return;
      if (level !== undefined && level !== 'NONE') {
        throw new RegistryRejection(
          `Subject ${subject} is set to ${level} compatibility; the platform's events evolve ` +
            `under BACKWARD. Set it with PUT ${configUrl(subject)} and the body ` +
            '{"compatibility":"BACKWARD"}, or register under another KAFKA_TOPIC_PREFIX.',
        );
      }
      const body = JSON.stringify({ compatibility: 'BACKWARD' });
      const { status, body: answer } = await call(subject, { method: 'PUT', body });
      // 409: a concurrent writer created the same rule first, which is what this call wants.
      if (status !== 200 && status !== 409) {
        throw new Error(`Setting the compatibility of ${subject}: ${status} ${answer}`);
      }
      const after = await read(subject);
      if (after !== 'BACKWARD') {
        throw new Error(`${subject} reads ${after ?? 'no level'} after it was set to BACKWARD`);
      }
    },
  };
}
