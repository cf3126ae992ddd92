import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  applyMigrations,
  connectDatabase,
  type DatabaseHandle,
  ensureDatabase,
} from '../db/index.js';
import { stackSettings } from './stack.js';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database on the stack's PostgreSQL with the platform's tables and, if given, a service's
 * migrations applied, so test files never share state.
 */
export async function createTestDatabase(migrationsFolder?: string): Promise<TestDatabase> {
  const adminUrl = stackSettings().POSTGRES_URL;
  // `saga_…` like every platform database, so `npm run stack -- reset` removes one left behind.
  const name = `saga_test_${randomBytes(6).toString('hex')}`;
  const url = await ensureDatabase(adminUrl, name);
  const handle = connectDatabase({ url, maxConnections: 20 });
  await applyMigrations(handle, migrationsFolder);
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
