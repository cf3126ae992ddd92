export {
  applyMigrations,
  connectDatabase,
  type Database,
  type DatabaseConfig,
  type DatabaseHandle,
  ensureDatabase,
  ensureServiceDatabase,
  serviceDatabaseUrl,
  withClient,
} from './database.js';
export { createGroupCommit, type GroupCommit } from './group-commit.js';
export { outbox, processedEvents } from './schema.js';
export { type Executor, rowOf, statement } from './statement.js';
export {
  type Statement,
  type Transaction,
  type TransactionFrame,
  transaction,
} from './transaction.js';
