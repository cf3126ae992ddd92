export { classifyFailure, type FailureKind } from './classify.js';
export { type DeadLetter, DLQ_HEADERS } from './dead-letter.js';
export type { EventHandler, HandlerContext, Handlers } from './handler.js';
export type { RetryPolicy } from './poison.js';
export {
  type ConsumerRunner,
  type ConsumerRunnerConfig,
  createConsumerRunner,
} from './runner.js';
