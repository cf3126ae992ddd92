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
 */
export async function callGateway(
  baseUrl: string,
  request: GatewayRequest,
): Promise<GatewayResponse> {
  const what = `${request.method} ${request.path}`;
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}${request.path}`, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body && { 'content-type': 'application/json' }),
        ...(request.idempotencyKey && { 'idempotency-key': request.idempotencyKey }),
      },
      body: request.body && JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    if (isUnavailable(response.status)) {
      await response.body?.cancel();
      throw new GatewayUnavailableError(`${what} answered ${response.status}`);
    }
    return { status: response.status, body: await response.json() };
  } catch (error) {
    if (error instanceof GatewayUnavailableError) throw error;
    throw new GatewayUnavailableError(`${what} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
