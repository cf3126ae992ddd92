import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeTransfers,
  failureLines,
  formatBytes,
  MavenTransfers,
  parseSize,
  withoutHosts,
} from '../src/maven-progress.ts';

// A made-up repository: what matters is that no host survives into what the user sees.
const repository = 'https://mirror.example.test:8443/maven2';

describe('maven progress', () => {
  it('reads sizes the way Maven prints them (decimal units)', () => {
    assert.equal(parseSize('3.9 kB'), 3900);
    assert.equal(parseSize('12/159 MB'), 12_000_000);
    assert.equal(parseSize('812 B'), 812);
    assert.equal(parseSize('(1.2 GB at 5 MB/s)'), 1_200_000_000);
    assert.equal(parseSize('no size'), 0);
  });

  it('formats byte counts', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(143_500), '143.5 kB');
    assert.equal(formatBytes(165_200_000), '165.2 MB');
  });

  it('counts completed files and the parts still arriving, across chunks', () => {
    const transfers = new MavenTransfers();
    const output =
      '[INFO] Scanning for projects...\n' +
      `Downloading from central: ${repository}/org/a/a-1.pom\n` +
      'Progress (1): 4.1/13 kB\rProgress (1): 12/13 kB\r' +
      `                    \rDownloaded from central: ${repository}/org/a/a-1.pom (13 kB at 108 kB/s)\n` +
      'Progress (2): 0.3/159 MB | 2.0/3.9 kB\r';
    // Split mid-line, as pipe chunks are.
    transfers.read(output.slice(0, 70));
    transfers.read(output.slice(70));
    assert.equal(transfers.files, 1);
    assert.equal(transfers.bytes, 13_000 + 300_000 + 2_000);
    assert.equal(describeTransfers(transfers), '1 file, 315.0 kB');

    transfers.read(`Downloaded from central: ${repository}/io/b/b-1.tar.gz (159 MB at 5 MB/s)\n`);
    assert.equal(transfers.files, 2);
    assert.equal(transfers.bytes, 159_013_000);
    assert.equal(describeTransfers(transfers), '2 files, 159.0 MB');
  });

  it('counts a file another Maven fetched meanwhile without bytes', () => {
    const transfers = new MavenTransfers();
    transfers.read(`[INFO] Downloaded from central: ${repository}/org/a/a-1.jar (0 B at 0 B/s)\n`);
    assert.equal(describeTransfers(transfers), '1 file, 0 B');
  });

  it('quotes the error block of a failed run without hosts', () => {
    const output = [
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal on project local-kafka: Could not resolve dependencies: ' +
        `Could not transfer artifact org.a:a:jar:1 from/to central (${repository}): ` +
        'mirror.example.test: Temporary failure in name resolution',
      '[ERROR] ',
      '[ERROR] -> [Help 1]',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] For more information, please read https://help.example.test/Failure',
    ].join('\n');
    assert.equal(
      failureLines(output),
      '[ERROR] Failed to execute goal on project local-kafka: Could not resolve dependencies: ' +
        'Could not transfer artifact org.a:a:jar:1 from/to central (the repository): ' +
        'the repository: Temporary failure in name resolution',
    );
  });

  it('drops the help link that ends a one-line error block', () => {
    const output =
      '[ERROR] Failed to execute goal on project local-kafka: Could not find artifact ' +
      `org.a:a:jar:0-nope in central (${repository}) -> [Help 1]\n` +
      '[ERROR] Re-run Maven using the -X switch to enable full debug logging.\n';
    assert.equal(
      failureLines(output),
      '[ERROR] Failed to execute goal on project local-kafka: Could not find artifact ' +
        'org.a:a:jar:0-nope in central (the repository)',
    );
  });

  it('falls back to the tail when Maven printed no error block', () => {
    const output = 'Progress (1): 1/2 MB\rline 1\nline 2\nError: JAVA_HOME is not defined\n';
    assert.equal(failureLines(output, 2), 'line 2\nError: JAVA_HOME is not defined');
  });

  it('replaces a URL by the file it names', () => {
    assert.equal(
      withoutHosts(`Downloading from central: ${repository}/org/a/1/a-1.jar`),
      'Downloading from central: a-1.jar',
    );
  });
});
