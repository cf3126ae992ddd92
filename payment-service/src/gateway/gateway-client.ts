import { z } from 'zod';
import type { ChargeRecord, GatewayAnswer } from '../domain/gateway-answer.js';
import type { Breaker } from './circuit-breaker.js';
import { GatewayUnavailableError } from './errors.js';
import { callGateway, type GatewayRequest, type GatewayResponse } from './http.js';

export interface ChargeRequest {
  amountMinor: number;
  currency: string;
  token: string;
  /** Our order id: lets a later attempt find a charge whose answer was lost. */
  reference: string;
}

export interface RefundRequest {
  chargeId: string;
  amountMinor: number;
  reason: string;
}

/** The payment gateway as the settler needs it. Every method throws GatewayUnavailableError. */
export interface GatewayClient {
  charge(idempotencyKey: string, request: ChargeRequest): Promise<GatewayAnswer>;
  refund(idempotencyKey: string, request: RefundRequest): Promise<GatewayAnswer>;
  chargesByReference(reference: string): Promise<ChargeRecord[]>;
}

export interface GatewayClientConfig {
  baseUrl: string;
  /** Each call is abandoned after this long. */
  timeoutMs: number;
  breaker: Breaker;
}

const chargeIdOf = z.object({ chargeId: z.string() }).transform((reply) => reply.chargeId);
const refundIdOf = z.object({ refundId: z.string() }).transform((reply) => reply.refundId);
const declined = z.object({ declineCode: z.string() });
const problem = z.object({ detail: z.string() }).partial();
const chargeList = z.object({
  data: z.array(
    z.object({
      chargeId: z.string(),
      status: z.enum(['succeeded', 'declined']),
      declineCode: z.string().optional(),
    }),
  ),
});

export function createGatewayClient(config: GatewayClientConfig): GatewayClient {
  const { baseUrl, timeoutMs, breaker } = config;

  async function call(request: Omit<GatewayRequest, 'timeoutMs'>): Promise<GatewayResponse> {
    try {
      return await breaker.fire(() => callGateway(baseUrl, { ...request, timeoutMs }));
    } catch (error) {
      if (error instanceof GatewayUnavailableError) throw error;
      // Opossum's own refusals: open circuit, no capacity.
      throw new GatewayUnavailableError(`gateway not called: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  return {
    async charge(idempotencyKey, body) {
      const response = await call({ method: 'POST', path: '/v1/charges', idempotencyKey, body });
      return toAnswer(response, chargeIdOf);
    },
    async refund(idempotencyKey, body) {
      const response = await call({ method: 'POST', path: '/v1/refunds', idempotencyKey, body });
      return toAnswer(response, refundIdOf);
    },
    async chargesByReference(reference) {
      const path = `/v1/charges?${new URLSearchParams({ reference })}`;
      const response = await call({ method: 'GET', path });
      if (response.status !== 200) {
        throw new GatewayUnavailableError(`GET /v1/charges answered ${response.status}`);
      }
      return parseReply(chargeList, response).data;
    },
  };
}

/** 2xx approves, 402 declines, any other 4xx rejects (5xx never gets here: no answer). */
function toAnswer(response: GatewayResponse, transactionIdOf: Reader<string>): GatewayAnswer {
  if (response.status === 200 || response.status === 201) {
    return { type: 'approved', transactionId: parseReply(transactionIdOf, response) };
  }
  if (response.status === 402) {
    return { type: 'declined', declineCode: parseReply(declined, response).declineCode };
  }
  const detail = problem.safeParse(response.body).data?.detail ?? 'no detail';
  return { type: 'rejected', status: response.status, detail };
}

type Reader<T> = { parse(body: unknown): T };

/** A reply we cannot read leaves the outcome unknown: as good as no answer. */
function parseReply<T>(schema: Reader<T>, response: GatewayResponse): T {
  try {
    return schema.parse(response.body);
  } catch (error) {
    throw new GatewayUnavailableError(`unreadable gateway reply (${response.status})`, {
      cause: error,
    });
  }
}
