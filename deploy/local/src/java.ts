// Finds a JDK new enough for each JVM: Kafka 3.9 runs on Java 17, but Apicurio Registry 3.3 is
// compiled for Java 21. Machines often have the newer JDK installed without it being the default
// `java`, so besides JAVA_HOME and PATH we look at the JDKs installed under /usr/lib/jvm.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { run } from './process.ts';

const jvmRoots = ['/usr/lib/jvm', '/Library/Java/JavaVirtualMachines'];

function candidates(): string[] {
  const homes = jvmRoots.filter(existsSync).flatMap((root) =>
    readdirSync(root)
      .sort()
      .reverse() // newest first
      .flatMap((name) => [join(root, name), join(root, name, 'Contents', 'Home')]),
  );
  if (process.env.JAVA_HOME) homes.unshift(process.env.JAVA_HOME);
  const javas = homes.map((home) => join(home, 'bin', 'java')).filter(existsSync);
  return ['java', ...javas];
}

const versions = new Map<string, Promise<number>>();

/** Major version of a `java` binary, or 0 when it does not run. */
function majorVersion(command: string): Promise<number> {
  let version = versions.get(command);
  if (!version) {
    version = run(command, ['-version'], '').then(
      (output) => Number(/version "(?:1\.)?(\d+)/.exec(output)?.[1] ?? 0),
      () => 0,
    );
    versions.set(command, version);
  }
  return version;
}

/** The first `java` (JAVA_HOME, PATH, installed JDKs) whose major version is at least `minimum`. */
export async function java(minimum: number, forWhat: string): Promise<string> {
  const found = await Promise.all(
    candidates().map(async (command) => ({ command, major: await majorVersion(command) })),
  );
  const match = found.find(({ major }) => major >= minimum);
  if (match) return match.command;
  const seen = found.filter(({ major }) => major > 0).map(({ major }) => `Java ${major}`);
  throw new StackError(
    `${forWhat} needs Java ${minimum} or newer, but found ${seen.length ? seen.join(', ') : 'no Java'} ` +
      `(JAVA_HOME, PATH, ${jvmRoots.join(', ')}). Install a JDK ${minimum}+ (e.g. ` +
      '`apt-get install openjdk-21-jdk-headless`, or Temurin from adoptium.net) and either put ' +
      'its `java` on PATH or set JAVA_HOME to it.',
  );
}
