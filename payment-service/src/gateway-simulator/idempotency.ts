import { problems } from './problem.js';

/** The response an idempotency key is bound to, replayed verbatim on a retry. */
export interface StoredReply {
  status: number;
  body: object;
}

export interface IdempotentResult {
  reply: StoredReply;
  replayed: boolean;
}

/**
 * Remembers the first reply per idempotency key. Keys are scoped per operation, so a client may
 * use one key (say, the order id) for a charge and for its refund.
 */
export class IdempotencyStore {
  readonly #records = new Map<string, { fingerprint: string; reply: StoredReply }>();

  /**
   * Runs `execute` at most once per (scope, key) and stores its reply before returning it.
   * `execute` is synchronous on purpose: the lookup, the effect and the store happen in one turn of
   * the event loop, so concurrent requests with the same key cannot both execute. A store that
   * awaits (a database) would need a per-key lock here instead. Failures are not stored: nothing
   * happened, and the same request may be tried again.
   */
  run(scope: string, key: string, request: object, execute: () => StoredReply): IdempotentResult {
    // Parsed requests list their fields in schema order, so equal bodies serialize equally.
    const fingerprint = JSON.stringify(request);
    const id = `${scope}:${key}`;
    const existing = this.#records.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw problems.idempotencyKeyReused(key);
      return { reply: existing.reply, replayed: true };
    }
    const reply = execute();
    this.#records.set(id, { fingerprint, reply });
    return { reply, replayed: false };
  }
}
