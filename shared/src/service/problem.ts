import type { ErrorRequestHandler, Response } from 'express';
import { classifyFailure } from '../consumer/classify.js';
import { requestFault } from './request-faults.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem; `type` is stable so clients can branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** Problem types are relative URIs, documented in the README. */
export const PROBLEM_BASE = '/problems/';

export function sendProblem(response: Response, problem: Problem): void {
  response.status(problem.status).type('application/problem+json').json(problem);
}

/** Errors a handler throws to answer with a problem instead of a 500. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** Seconds a client is asked to wait before trying again after a 503. */
const RETRY_AFTER_SECONDS = 1;

/**
 * The last middleware: known problems as they are, a client's mistake in sending the request
 * (unknown route, unreadable body) as its 4xx, infrastructure trouble that passes (no free
 * database connection in time, a statement over its timeout, a lost connection, a deadlock) as a
 * 503 to retry, and anything else as a 500 that names no internals.
 */
export function problemHandler(logError: (error: unknown) => void): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    if (error instanceof HttpProblem) return sendProblem(response, error.problem);
    const fault = requestFault(error);
    if (fault) {
      const { slug, ...rest } = fault;
      return sendProblem(response, { type: `${PROBLEM_BASE}${slug}`, ...rest });
    }
    if (classifyFailure(error) === 'transient') {
      response.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendProblem(response, {
        type: `${PROBLEM_BASE}unavailable`,
        title: 'Service unavailable',
        status: 503,
        detail: 'The service is overloaded or a dependency is unavailable; try again shortly.',
      });
    }
    logError(error);
    sendProblem(response, {
      type: `${PROBLEM_BASE}internal`,
      title: 'Internal error',
      status: 500,
    });
  };
}
