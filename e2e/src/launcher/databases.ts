import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Runs `use` on a connection to `url`, closed afterwards. */
async function withConnection<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * The superuser's `url` through the server's Unix socket when the server runs on this machine
 * and lets it in that way; otherwise `url` unchanged. The services the launcher starts sit
 * beside the server, and a round trip over a local socket costs both ends a good deal less CPU
 * than over TCP loopback: every statement of a saga is one. Service URLs made from it keep the
 * socket.
 */
export async function preferLocalSocket(url: string): Promise<string> {
  const tcp = new URL(url);
  if (!LOOPBACK.has(tcp.hostname) || tcp.searchParams.has('host')) return url;
  const { directories, port } = await withConnection(url, async (client) => {
    const { rows } = await client.query<{ directories: string; port: string }>(
      `SELECT current_setting('unix_socket_directories') AS directories,
              current_setting('port') AS port`,
    );
    return rows[0]!;
  });
  // Another port is a proxy's, which the connection must keep going through.
  if ((tcp.port || '5432') !== port) return url;
  const directory = directories
    .split(',')
    .map((entry) => entry.trim())
    .find((entry) => entry.startsWith('/') && existsSync(join(entry, `.s.PGSQL.${port}`)));
  if (!directory) return url;
  const socket = new URL(url);
  socket.searchParams.set('host', directory);
  // pg_hba.conf may let a role in over TCP and not over the socket (peer authentication).
  const accepted = await withConnection(socket.toString(), async () => true).catch(() => false);
  return accepted ? socket.toString() : url;
}
