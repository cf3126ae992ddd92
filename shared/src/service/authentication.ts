import type { Request, RequestHandler, Response } from 'express';
import { hasScope, InvalidToken, type Principal, type Verifier } from '../auth/index.js';
import { TransientError } from '../errors/index.js';
import { PROBLEM_BASE, sendProblem } from './problem.js';

const REALM = 'saga';

/** The request's bearer token; undefined when it sends none, or none of the right form. */
export const bearerToken = (request: Request): string | undefined =>
  /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(request.get('authorization') ?? '')?.[1];

/**
 * The principal the request's bearer token proves, or undefined once a 401 with RFC 6750's
 * `WWW-Authenticate` has answered a missing or bad token. Throws a TransientError (a 503 to
 * retry) when the key set cannot be fetched.
 */
export async function authenticateRequest(
  verifier: Verifier,
  request: Request,
  response: Response,
): Promise<Principal | undefined> {
  const token = bearerToken(request);
  if (!token) {
    response.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
    sendProblem(response, {
      type: `${PROBLEM_BASE}unauthenticated`,
      title: 'Authentication required',
      status: 401,
      detail: 'Send a bearer token: Authorization: Bearer <JWT>',
    });
    return undefined;
  }
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidToken)) {
      // The key set could not be read: the identity provider's outage, answered 503.
      throw new TransientError('The token keys could not be read', { cause: error });
    }
    const reason = error.message.replaceAll('"', "'");
    response.set(
      'WWW-Authenticate',
      `Bearer realm="${REALM}", error="invalid_token", error_description="${reason}"`,
    );
    sendProblem(response, {
      type: `${PROBLEM_BASE}invalid-token`,
      title: 'Invalid bearer token',
      status: 401,
      detail: error.message,
    });
    return undefined;
  }
}

/** Every route mounted after it needs `Authorization: Bearer <JWT>` (see authenticateRequest). */
export function authenticate(verifier: Verifier): RequestHandler {
  return async (request, response, next) => {
    const principal = await authenticateRequest(verifier, request, response);
    if (!principal) return;
    response.locals.principal = principal;
    next();
  };
}

/** Who sent the request: set by `authenticate`, which runs before every business route. */
export function principalOf(response: Response): Principal {
  const principal = response.locals.principal as Principal | undefined;
  if (!principal) throw new Error('No principal: the route is not behind authenticate()');
  return principal;
}

/** A route for callers whose token carries `scope`; others get a 403. */
export function requireScope(scope: string): RequestHandler {
  return (_request, response, next) => {
    if (hasScope(principalOf(response), scope)) return next();
    response.set(
      'WWW-Authenticate',
      `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`,
    );
    sendProblem(response, {
      type: `${PROBLEM_BASE}forbidden`,
      title: 'Insufficient scope',
      status: 403,
      detail: `This needs a token with scope "${scope}"`,
    });
  };
}
