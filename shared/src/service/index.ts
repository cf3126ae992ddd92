export { authenticate, principalOf, requireScope } from './authentication.js';
export type {
  RunningService,
  ServiceContext,
  ServiceDefinition,
  ServiceManifest,
  ServiceParts,
  Worker,
} from './definition.js';
export { createHttpApp, type HttpConfig, listen, requestTrace } from './http.js';
export {
  bodyProblems,
  documentedRoutes,
  guardProblems,
  type OpenApiDocument,
  openApiDocument,
  problemSchema,
  problems,
} from './openapi.js';
export {
  type FieldProblem,
  HttpProblem,
  PROBLEM_BASE,
  type Problem,
  problemHandler,
  sendProblem,
} from './problem.js';
export { type Check, runChecks } from './readiness.js';
export { jsonBody, requestFault, unknownRoute } from './request-faults.js';
export { runService } from './run-service.js';
export { startService } from './runtime.js';
export { type ServiceSettings, serviceSettingsSchema } from './settings.js';
export { parseInput } from './validate.js';
