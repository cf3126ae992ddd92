import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../service/index.js';

/** Served by every service outside its contract. */
const PLATFORM_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);

type Json = unknown;

/** `#/components/…` refs point into the document, which ajv holds under this id. */
const DOCUMENT_ID = 'openapi.json';

function rebased(value: Json): Json {
  if (Array.isArray(value)) return value.map(rebased);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        key === '$ref' && typeof field === 'string' && field.startsWith('#/')
          ? `${DOCUMENT_ID}${field}`
          : rebased(field),
      ]),
    );
  }
  return value;
}

/**
 * Checks answers against `document`: the path and method are described, the status is one the
 * operation lists, and the body matches that response's schema for its content type. Returns
 * what does not conform (nothing when all does).
 */
export function responseChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: rebased(document.components ?? {}) as object });
  const validators = new Map<string, ValidateFunction>();
  const routes = Object.entries(document.paths ?? {}).map(([template, item]) => ({
    // Express routes are not strict: `/orders/` is `/orders`.
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`),
    item: item as Record<string, { responses?: Record<string, ResponseObject> }>,
    template,
  }));

  return (answer: {
    method: string;
    path: string;
    status: number;
    contentType: string | null;
    body: string;
  }): string[] => {
    const path = answer.path.split('?')[0]!;
    if (PLATFORM_PATHS.has(path)) return [];
    const route = routes.find(({ pattern }) => pattern.test(path));
    const where = `${answer.method} ${path} → ${answer.status}`;
    const operation = route?.item[answer.method.toLowerCase()];
    if (!route || !operation) {
      // A path the API does not have: the platform's not-found problem (behind its guards).
      const problem = answer.contentType?.startsWith('application/problem+json');
      const unknown = problem && [401, 404, 429].includes(answer.status);
      return unknown ? [] : [`${where}: the document has no such operation`];
    }
    const response = operation.responses?.[String(answer.status)] ?? operation.responses?.default;
    if (!response) return [`${where}: the status is not documented`];
    if (!response.content || answer.body === '') return [];
    const mediaType = answer.contentType?.split(';')[0]?.trim() ?? '';
    const schema = response.content[mediaType]?.schema;
    if (!schema) return [`${where}: content type ${mediaType} is not documented`];
    const key = `${route.template} ${answer.method} ${answer.status} ${mediaType}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(rebased(schema) as object);
      validators.set(key, validate);
    }
    if (validate(JSON.parse(answer.body))) return [];
    return (validate.errors ?? []).map(
      (error) => `${where}: ${error.instancePath || '(body)'} ${error.message}`,
    );
  };
}

interface ResponseObject {
  content?: Record<string, { schema?: Json }>;
}
