export { sampleEvent, sampleEvents } from '../events/fixtures.js';
export { assertWellAnswered } from './answers.js';
export { type Child, startChild } from './child-process.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export {
  type ConsumedMessage,
  consumeMessages,
  createTestTopic,
  deleteTopicsWithPrefix,
} from './kafka.js';
export { responseChecker } from './openapi.js';
export { stackCredentials, stackSettings } from './stack.js';
export { until } from './until.js';
