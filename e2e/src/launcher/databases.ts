import { databaseUrl } from '@saga/shared/config';
import { ensureDatabase } from '@saga/shared/db';
import pg from 'pg';

/** `saga_<service>`, the service's own default, or `saga_<service>_<suffix>` to keep runs apart. */
export function serviceDatabaseName(service: string, suffix?: string): string {
  return suffix ? `saga_${service}_${suffix}` : `saga_${service}`;
}

/** Creates the database unless it exists (before its instances race to), returns its URL. */
export async function ensureServiceDatabase(postgresUrl: string, name: string): Promise<string> {
  await ensureDatabase(postgresUrl, name);
  return databaseUrl(postgresUrl, name);
}

/** Drops databases a run created, closing whatever still holds them. */
export async function dropDatabases(postgresUrl: string, names: readonly string[]) {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
