export { type Child, startChild } from './child-process.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export { type ConsumedMessage, consumeMessages, createTestTopic } from './kafka.js';
export { stackSettings } from './stack.js';
