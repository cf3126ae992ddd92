import pg from 'pg';

// Creates a service's database and its role of the same name (before its instances race to) and
// returns its URL as that role.
export { ensureServiceDatabase } from '@saga/shared/db';

/** `saga_<service>`, the service's own default, or `saga_<service>_<suffix>` to keep runs apart. */
export function serviceDatabaseName(service: string, suffix?: string): string {
  return suffix ? `saga_${service}_${suffix}` : `saga_${service}`;
}

/**
 * Drops service databases a run created, closing whatever still holds them, and their roles
 * (which own nothing else).
 */
export async function dropDatabases(postgresUrl: string, names: readonly string[]) {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    for (const name of names) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "${name}"`);
    }
  } finally {
    await admin.end();
  }
}
