import type { Express } from 'express';
import { z } from 'zod';
import { createDocument, type ZodOpenApiObject, type ZodOpenApiPathsObject } from 'zod-openapi';

/** An RFC 9457 problem as every service answers it (`sendProblem`). */
export const problemSchema = z
  .object({
    type: z
      .string()
      .meta({ description: 'Stable relative URI to branch on, e.g. /problems/validation' }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per invalid field, named by its path' }),
  })
  .loose()
  .meta({ id: 'Problem' });

type Responses = NonNullable<ZodOpenApiPathsObject[string]['get']>['responses'];

/** Problem answers by status, each with what it means on that route. */
export function problems(byStatus: Record<number, string>): Responses {
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, description]) => [
      status,
      { description, content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

/** What the shared HTTP layer may answer on any route behind the API's guards. */
export const guardProblems = problems({
  401: 'No bearer token, or one that is not valid now (`/problems/unauthenticated`, `/problems/invalid-token`)',
  429: 'Over a rate limit, per client address or per customer (`/problems/too-many-requests`); see Retry-After',
  500: 'Not the client’s mistake (`/problems/internal`)',
  503: 'A dependency is unavailable or overloaded (`/problems/unavailable`); see Retry-After',
});

/** …and on a route that takes a JSON body. */
export const bodyProblems = problems({
  400: 'Invalid or unreadable body or parameters (`/problems/validation`, `/problems/malformed-json`, `/problems/unreadable-request`)',
  413: 'The body is over 256 KiB (`/problems/payload-too-large`)',
  415: 'Not a UTF-8 `application/json` body (`/problems/unsupported-media-type`)',
});

export type OpenApiDocument = ReturnType<typeof createDocument>;

/**
 * A service's OpenAPI 3.1 document, built from the zod schemas its routes validate with, so the
 * two cannot drift. Every operation needs the bearer token unless it says otherwise.
 */
export function openApiDocument(
  info: ZodOpenApiObject['info'],
  paths: ZodOpenApiPathsObject,
): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info,
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'ES256 or RS256; `sub` is the customer; scope `admin` for operators',
        },
      },
    },
    paths,
  });
}

/** `/orders/:id` as OpenAPI writes it: `/orders/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** The routes mounted on `app`, as `METHOD /path` in OpenAPI's spelling. */
export function mountedRoutes(app: Express): string[] {
  const stack = (
    app.router as unknown as { stack: { route?: { path: string; methods: object } }[] }
  ).stack;
  return stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map(
          (method) => `${method.toUpperCase()} ${openApiPath(route.path)}`,
        )
      : [],
  );
}

/** The operations `document` describes, as `METHOD /path`. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {})
      .filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}
