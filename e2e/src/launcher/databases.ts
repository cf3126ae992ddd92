import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withClient } from '@saga/shared/db';

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
  await withClient(postgresUrl, async (admin) => {
    for (const name of names) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "${name}"`);
    }
  });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

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
  const { directories, port } = await withClient(url, async (client) => {
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
  const accepted = await withClient(socket.toString(), async () => true).catch(() => false);
  return accepted ? socket.toString() : url;
}
