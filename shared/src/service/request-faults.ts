import express, { type RequestHandler } from 'express';
import type { FieldProblem } from './problem.js';

/**
 * A client's mistake in how a request was sent, found before any handler runs. It carries a
 * slug, not a problem `type`: the services and the payment gateway simulator spell their types
 * differently, and both answer these the same way.
 */
export interface RequestFault {
  slug: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

function fault(
  slug: string,
  title: string,
  status: number,
  detail: string,
  field?: string,
): RequestFault {
  return { slug, title, status, detail, ...(field && { errors: [{ field, message: detail }] }) };
}

const unsupportedMediaType = (detail: string, field: string) =>
  fault('unsupported-media-type', 'Unsupported media type', 415, detail, field);

class RequestFaultError extends Error {
  constructor(readonly fault: RequestFault) {
    super(fault.detail);
  }
}

/** The one media type a request body may have. */
const JSON_TYPE = 'application/json';

/**
 * express.json skips a body of another type, so the handler would see no body and blame a
 * missing field; refuse it up front instead. `Content-Length: 0`, which fetch sends for a POST
 * without a body, is no body.
 */
const jsonOnly: RequestHandler = (request, _response, next) => {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length']) > 0;
  if (hasBody && !request.is(JSON_TYPE)) {
    const sent = request.get('content-type') ?? 'no Content-Type';
    throw new RequestFaultError(
      unsupportedMediaType(`The body is ${sent}; only ${JSON_TYPE} is accepted`, 'Content-Type'),
    );
  }
  next();
};

/** Parses a JSON body of at most `limit` (e.g. '256kb') and refuses bodies of any other type. */
export function jsonBody(limit: string): RequestHandler[] {
  return [jsonOnly, express.json({ limit, type: JSON_TYPE })];
}

/** The last route: a request that reaches it matched no other. */
export const unknownRoute: RequestHandler = (request) => {
  throw new RequestFaultError(
    fault('not-found', 'No such endpoint', 404, `${request.method} ${request.path} does not exist`),
  );
};

/** body-parser's errors: a `status` and a `type` such as `entity.too.large`. */
interface BodyParserError extends Error {
  status: number;
  type: string;
  limit?: number;
}

function isClientError(error: unknown): error is BodyParserError {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return (
    error instanceof Error &&
    typeof type === 'string' &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  );
}

/**
 * The client's mistake behind `error`, or `undefined` when it was not one. Every body-parser
 * error with a 4xx status is the client's: answering it with a 500 would blame the service.
 */
export function requestFault(error: unknown): RequestFault | undefined {
  if (error instanceof RequestFaultError) return error.fault;
  if (!isClientError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return fault('malformed-json', 'Malformed JSON body', 400, error.message, 'body');
    case 'entity.too.large':
      return fault(
        'payload-too-large',
        'Payload too large',
        413,
        `The body is larger than the limit of ${error.limit} bytes`,
        'body',
      );
    case 'charset.unsupported':
      return unsupportedMediaType(error.message, 'Content-Type');
    case 'encoding.unsupported':
      return unsupportedMediaType(error.message, 'Content-Encoding');
    default:
      // An aborted or short body: nothing more specific to say than body-parser's message.
      return fault('unreadable-request', 'Unreadable request', error.status, error.message);
  }
}
