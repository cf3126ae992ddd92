// Resolves the Kafka and Apicurio distributions from Maven Central into a cache outside the repo.
// Each download lands in a temporary directory renamed into place when complete, so an
// interrupted `up` never leaves a half-filled cache that later starts would trust.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { APICURIO_VERSION, cacheDir, deployDir, KAFKA_VERSION } from './config.ts';
import { StackError } from './errors.ts';
import { failureLines, reportDownload } from './maven-progress.ts';
import { execute, run } from './process.ts';

/** What one Maven run fetches: `label` for people, `artifact` (its coordinates) for Maven. */
interface Download {
  label: string;
  artifact: string;
}

const kafka: Download = {
  label: `Kafka ${KAFKA_VERSION}`,
  artifact: `org.apache.kafka:kafka_2.13:${KAFKA_VERSION}`,
};
const apicurio: Download = {
  label: `Apicurio Registry ${APICURIO_VERSION}`,
  artifact: `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`,
};

/**
 * Runs Maven with its progress on stderr. Not in batch mode (-B): only the interactive transfer
 * listener reports a file while it arrives, which is most of the wait for the registry's
 * 160 MB tarball. Colour codes are turned off so that its output can be parsed and quoted.
 */
async function mvn(download: Download, args: string[], cwd: string) {
  const progress = reportDownload(download.label, cacheDir);
  const result = await execute(
    'mvn',
    ['-Dstyle.color=never', ...args],
    `Maven downloads ${download.label}: install Maven 3.6+ (e.g. \`apt-get install maven\`), ` +
      'then run the same command again.',
    { cwd, onOutput: (text) => progress.transfers.read(text) },
  ).catch((error: unknown) => {
    progress.finish(false);
    throw error;
  });
  progress.finish(result.code === 0);
  if (result.code !== 0) {
    throw new StackError(
      `Maven could not download ${download.label} (${download.artifact}, exit ${result.code}). ` +
        'Check that Maven can reach Maven Central (or the mirror/proxy in ~/.m2/settings.xml), ' +
        `then run the same command again. Maven's output ends with:\n${failureLines(result.output)}`,
    );
  }
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
      kafka,
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
  return cached(join(cacheDir, `apicurio-${APICURIO_VERSION}`), async (tmp) => {
    // dependency:unpack would leave PaxHeaders junk from the tarball; plain tar extracts cleanly.
    await mvn(
      apicurio,
      ['dependency:copy', `-Dartifact=${apicurio.artifact}`, `-DoutputDirectory=${tmp}`],
      tmp,
    );
    const archive = readdirSync(tmp).find((file) => file.endsWith('.tar.gz'));
    if (!archive) throw new Error(`Maven copied no archive for ${apicurio.artifact}`);
    await run('tar', ['-xzf', archive], 'Install tar and gzip.', { cwd: tmp });
    rmSync(join(tmp, archive));
  });
}
