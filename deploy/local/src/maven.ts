// Resolves the Kafka and Apicurio distributions from Maven Central into a cache outside the repo.
// Each download lands in a temporary directory renamed into place when complete, so an
// interrupted `up` never leaves a half-filled cache that later starts would trust.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { APICURIO_VERSION, cacheDir, deployDir, KAFKA_VERSION } from './config.ts';
import { run } from './process.ts';

const mavenHint =
  'Maven resolves the Kafka and Apicurio jars from Maven Central: install Maven 3.6+ (e.g. ' +
  '`apt-get install maven`), check that https://repo.maven.apache.org is reachable (or that ' +
  '~/.m2/settings.xml names a working mirror/proxy), then run `npm run stack -- up` again.';

function mvn(args: string[], cwd: string): Promise<string> {
  return run('mvn', ['-q', '-B', ...args], mavenHint, { cwd });
}

async function cached(target: string, fill: (tmp: string) => Promise<unknown>): Promise<string> {
  if (existsSync(target)) return target;
  const tmp = `${target}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/** Directory holding kafka_2.13 and its runtime dependencies (use it as `<dir>/*` classpath). */
export function kafkaLibDir(): Promise<string> {
  return cached(join(cacheDir, `kafka-${KAFKA_VERSION}`), (tmp) =>
    mvn(
      [
        '-f',
        join(deployDir, 'kafka', 'pom.xml'),
        `-Dkafka.version=${KAFKA_VERSION}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${tmp}`,
      ],
      tmp,
    ),
  );
}

/** Directory holding the extracted Apicurio Registry fast-jar (`quarkus-run.jar`). */
export function apicurioDir(): Promise<string> {
  const artifact = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;
  return cached(join(cacheDir, `apicurio-${APICURIO_VERSION}`), async (tmp) => {
    // dependency:unpack would leave PaxHeaders junk from the tarball; plain tar extracts cleanly.
    await mvn(['dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${tmp}`], tmp);
    const archive = readdirSync(tmp).find((file) => file.endsWith('.tar.gz'));
    if (!archive) throw new Error(`Maven copied no archive for ${artifact}`);
    await run('tar', ['-xzf', archive], 'Install tar and gzip.', { cwd: tmp });
    rmSync(join(tmp, archive));
  });
}
