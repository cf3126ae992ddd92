export {
  applyMigrations,
  connectDatabase,
  type Database,
  type DatabaseConfig,
  type DatabaseHandle,
  ensureDatabase,
  type Transaction,
} from './database.js';
export { outbox, processedEvents } from './schema.js';
