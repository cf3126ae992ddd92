// PostgreSQL: the machine's server when reachable, else a private one under .stack/postgres.
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Component, component, type Settings } from './component.ts';
import { postgresUrl, stateDir } from './config.ts';
import { StackError } from './errors.ts';
import { freePort } from './ports.ts';
import { logFile, run, stopProcess } from './process.ts';
import type { StartedProcess } from './state.ts';

const dataDir = join(stateDir, 'postgres');

const installHint =
  `PostgreSQL is not reachable at ${postgresUrl} and could not be started from the machine's ` +
  'binaries: start your PostgreSQL and set POSTGRES_URL to it, or install PostgreSQL 14+ ' +
  '(e.g. `apt-get install postgresql`) so that `initdb` and `pg_ctl` are on PATH.';

/** initdb and pg_ctl refuse to run as root; as root we run them as the `postgres` OS user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) {
    throw new StackError(
      `${installHint} (Running as root: PostgreSQL needs a \`postgres\` OS user to run as.)`,
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {}); // a server restart must not crash the CLI
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function healthy(settings: Settings): Promise<boolean> {
  try {
    return await withClient(settings.POSTGRES_URL!, async (client) => {
      await client.query('SELECT 1');
      return true;
    });
  } catch {
    return false;
  }
}

async function start(): Promise<StartedProcess> {
  const user = serverUser();
  const options = { ...user, env: { ...process.env, LC_ALL: 'C.UTF-8' } };
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const log = logFile('postgres');
  closeSync(openSync(log, 'a'));
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(log, user.uid, user.gid);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const init = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'];
    await run('initdb', init, installHint, options);
  }
  // The socket lives in the data dir: /var/run/postgresql may not exist or be writable.
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir}`;
  await run(
    'pg_ctl',
    ['start', '-w', '-D', dataDir, '-l', log, '-o', serverOptions],
    installHint,
    options,
  );
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { pid, port, marker: dataDir, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

/** Creates a database if missing; CREATE DATABASE has no IF NOT EXISTS. */
export function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  return withClient(adminUrl, (client) => createIfMissing(client, name));
}

async function createIfMissing(client: pg.Client, name: string) {
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.rowCount) return;
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // created concurrently
  }
}

/**
 * A database whose contents only mean something beside one other thing, named by `owner` and
 * kept in the database's comment: one found with another owner, or none, is dropped and created
 * afresh. Returns whether it was.
 */
export function ensureOwnedDatabase(adminUrl: string, name: string, owner: string) {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ owner: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS owner FROM pg_database WHERE datname = $1",
      [name],
    );
    const replaced = rows.length > 0 && rows[0]!.owner !== owner;
    if (replaced) await client.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await createIfMissing(client, name);
    await client.query(`COMMENT ON DATABASE "${name}" IS ${client.escapeLiteral(owner)}`);
    return { replaced };
  });
}

/**
 * Drops every database of the platform: all are named `saga_…` (the services', the registry's,
 * the tests' and the benchmarks'), so the server's other databases are never touched. Then the
 * services' roles, named like their databases, which own nothing once those are gone (never a
 * superuser, nor the admin itself).
 */
export function dropPlatformDatabases(
  adminUrl: string,
): Promise<{ databases: string[]; roles: string[] }> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'saga\\_%' ORDER BY datname",
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const roles = await client.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles
       WHERE rolname LIKE 'saga\\_%' AND NOT rolsuper AND rolname <> current_user
       ORDER BY rolname`,
    );
    for (const { rolname } of roles.rows) {
      await client.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }
    return {
      databases: rows.map((row) => row.datname),
      roles: roles.rows.map((row) => row.rolname),
    };
  });
}

export const postgres: Component = component({
  name: 'postgres',
  defaultPort: Number(new URL(postgresUrl).port || 5432),
  reusable: true,
  settings: (started) => ({ POSTGRES_URL: started?.url ?? postgresUrl }),
  healthy,
  start,
  // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM would wait for every client to leave.
  stop: (started) => stopProcess(started, 'SIGINT'),
});
