export { sagaEvent, sampleEvent, sampleEvents } from '../events/fixtures.js';
export { assertWellAnswered } from './answers.js';
export { arrivalOrders } from './arrival-orders.js';
export { type Child, startChild } from './child-process.js';
export { type ConformanceSubject, describeConformance } from './conformance.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export {
  type ConsumedMessage,
  consumeMessages,
  createTestTopic,
  deleteTopicsWithPrefix,
} from './kafka.js';
export { responseChecker } from './openapi.js';
export { type OutboxTransactions, watchOutboxTransactions } from './outbox-transactions.js';
export {
  type Delivery,
  type ServiceUnderTest,
  type ServiceUnderTestOptions,
  startServiceUnderTest,
} from './service-under-test.js';
export { settled } from './settled.js';
export { stackCredentials, stackSettings } from './stack.js';
export { until } from './until.js';
