import type { RequestHandler, Response } from 'express';
import { hasScope, InvalidToken, type Principal, type Verifier } from '../auth/index.js';
import { TransientError } from '../errors/index.js';
import { PROBLEM_BASE, sendProblem } from './problem.js';

const REALM = 'saga';

/**
 * Every route mounted after it needs `Authorization: Bearer <JWT>`. A missing or bad token is a
 * 401 with RFC 6750's `WWW-Authenticate`; a key set that cannot be fetched is a 503 to retry.
 */
export function authenticate(verifier: Verifier): RequestHandler {
  return async (request, response, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(request.get('authorization') ?? '');
    if (!match) {
      response.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
      return sendProblem(response, {
        type: `${PROBLEM_BASE}unauthenticated`,
        title: 'Authentication required',
        status: 401,
        detail: 'Send a bearer token: Authorization: Bearer <JWT>',
      });
    }
    try {
      response.locals.principal = await verifier.verify(match[1]!);
    } catch (error) {
      if (!(error instanceof InvalidToken)) {
        // The key set could not be read: the identity provider's outage, answered 503.
        return next(new TransientError('The token keys could not be read', { cause: error }));
      }
      const reason = error.message.replaceAll('"', "'");
      response.set(
        'WWW-Authenticate',
        `Bearer realm="${REALM}", error="invalid_token", error_description="${reason}"`,
      );
      return sendProblem(response, {
        type: `${PROBLEM_BASE}invalid-token`,
        title: 'Invalid bearer token',
        status: 401,
        detail: error.message,
      });
    }
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
