import { request } from 'undici';
import { GatewayUnavailableError } from './errors.js';

export interface GatewayResponse {
  status: number;
  body: unknown;
}

export interface GatewayRequest {
  method: 'GET' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: object;
  timeoutMs: number;
}

/** Statuses that say "not now" rather than "no": the outcome is unknown, try again later. */
const isUnavailable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * One gateway call. Resolves with any final answer (2xx and 4xx); rejects with
 * {@link GatewayUnavailableError} when there is none, which is what the circuit breaker counts.
 * undici's `request`, not `fetch`: the same keep-alive connections at a fraction of the CPU,
 * and every saga makes one.
 */
export async function callGateway(baseUrl: string, call: GatewayRequest): Promise<GatewayResponse> {
  const what = `${call.method} ${call.path}`;
  try {
    const response = await request(`${baseUrl.replace(/\/+$/, '')}${call.path}`, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(call.body && { 'content-type': 'application/json' }),
        ...(call.idempotencyKey && { 'idempotency-key': call.idempotencyKey }),
      },
      body: call.body && JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    if (isUnavailable(response.statusCode)) {
      await response.body.dump();
      throw new GatewayUnavailableError(`${what} answered ${response.statusCode}`);
    }
    return { status: response.statusCode, body: await response.body.json() };
  } catch (error) {
    if (error instanceof GatewayUnavailableError) throw error;
    throw new GatewayUnavailableError(`${what} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
