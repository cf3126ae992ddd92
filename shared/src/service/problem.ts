import type { ErrorRequestHandler, Response } from 'express';

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

/**
 * The last middleware: known problems as they are, unparseable JSON as a 400, and anything else
 * as a 500 that names no internals.
 */
export function problemHandler(logError: (error: unknown) => void): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    if (error instanceof HttpProblem) return sendProblem(response, error.problem);
    if ((error as { type?: string }).type === 'entity.parse.failed') {
      return sendProblem(response, {
        type: `${PROBLEM_BASE}malformed-json`,
        title: 'Malformed JSON body',
        status: 400,
        detail: (error as Error).message,
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
