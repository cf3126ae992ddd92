// Apicurio Registry with its Confluent-compatible API, storing schemas in PostgreSQL so that
// schema ids survive a restart (its default in-memory H2 would renumber them).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Component, component, type Settings } from './component.ts';
import { APICURIO_VERSION, ports, stateDir } from './config.ts';
import { StackError } from './errors.ts';
import { java } from './java.ts';
import { apicurioDir } from './maven.ts';
import { assertPortFree } from './ports.ts';
import { ensureOwnedDatabase } from './postgres.ts';
import { logFile, startDetached } from './process.ts';

const database = 'saga_registry';
const home = join(stateDir, 'registry');

function jdbcEnv(adminUrl: string): NodeJS.ProcessEnv {
  const url = new URL(adminUrl);
  return {
    APICURIO_STORAGE_KIND: 'sql',
    APICURIO_STORAGE_SQL_KIND: 'postgresql',
    APICURIO_DATASOURCE_URL: `jdbc:postgresql://${url.hostname}:${url.port || 5432}/${database}`,
    APICURIO_DATASOURCE_USERNAME: decodeURIComponent(url.username) || 'postgres',
    APICURIO_DATASOURCE_PASSWORD: decodeURIComponent(url.password),
    // The default pool holds 20 connections open (max 100), a fifth of a stock max_connections.
    APICURIO_DATASOURCE_JDBC_INITIAL_SIZE: '2',
    APICURIO_DATASOURCE_JDBC_MIN_SIZE: '2',
    APICURIO_DATASOURCE_JDBC_MAX_SIZE: '10',
  };
}

async function start(stack: Settings) {
  await assertPortFree(ports.registry, 'the schema registry', 'REGISTRY_PORT');
  await assertPortFree(
    ports.registryManagement,
    'the registry health endpoint',
    'REGISTRY_MANAGEMENT_PORT',
  );
  const [javaCommand, dir] = await Promise.all([
    java(21, `Apicurio Registry ${APICURIO_VERSION}`),
    apicurioDir(),
  ]);
  // Schema ids in a Kafka cluster's events point into this database: a new cluster gets a new one.
  await ensureOwnedDatabase(
    stack.POSTGRES_URL!,
    database,
    `kafka cluster ${stack.KAFKA_CLUSTER_ID}`,
  );
  mkdirSync(home, { recursive: true });
  const marker = `-Dsaga.stack=${home}`;
  const args = [
    '-Xms128m',
    '-Xmx384m',
    // Start time over peak speed: the registry serves a few lookups that clients cache. C1 only
    // and a class-data archive (written at the first exit, reused after) shorten Quarkus's start,
    // which matters for restarts in tests and chaos runs.
    '-XX:TieredStopAtLevel=1',
    '-XX:+AutoCreateSharedArchive',
    `-XX:SharedArchiveFile=${join(home, 'registry.jsa')}`,
    marker,
    '-Dquarkus.http.host=127.0.0.1',
    `-Dquarkus.http.port=${ports.registry}`,
    '-Dquarkus.management.host=127.0.0.1',
    `-Dquarkus.management.port=${ports.registryManagement}`,
    // One log line per request would drown the startup and error lines.
    '-Dquarkus.http.access-log.enabled=false',
    '-jar',
    join(dir, 'quarkus-run.jar'),
  ];
  const env = { ...process.env, ...jdbcEnv(stack.POSTGRES_URL!) };
  const pid = startDetached('registry', javaCommand, args, { cwd: home, env });
  return { pid, port: ports.registry, marker };
}

async function healthy(settings: Settings): Promise<boolean> {
  try {
    const response = await fetch(settings.REGISTRY_HEALTH_URL!, {
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Apicurio's ccompat API reports NONE and accepts any change until a global compatibility rule
 * exists (the rule is stored in PostgreSQL, so this PUT happens once per database).
 */
async function configure(settings: Settings) {
  const config = `${settings.SCHEMA_REGISTRY_URL}/config`;
  const current = (await (await fetch(config)).json()) as { compatibilityLevel?: string };
  if (current.compatibilityLevel === 'BACKWARD') return;
  const response = await fetch(config, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
  });
  if (!response.ok) {
    throw new StackError(
      `Could not set the registry's BACKWARD compatibility rule (${response.status}: ` +
        `${await response.text()}). See ${logFile('registry')}.`,
    );
  }
}

export const registry: Component = component({
  name: 'registry',
  defaultPort: ports.registry,
  reusable: false,
  settings: () => ({
    SCHEMA_REGISTRY_URL: `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    REGISTRY_HEALTH_URL: `http://127.0.0.1:${ports.registryManagement}/health/ready`,
  }),
  healthy,
  start,
  configure,
});
