// Progress of the Maven downloads on a first start, which take minutes on a slow link. Maven's
// interactive transfer listener prints "Progress (2): 12/159 MB | 3.9 kB" (ended by \r) while
// files arrive and "Downloaded from <repository>: <url> (3.9 kB at 8.7 kB/s)" once each is
// complete; counting these tells how far a download is without knowing its total in advance.

/** Maven's size units are decimal. */
const units: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
const sizePattern = /([\d.]+)(?:\/[\d.]+)? (B|kB|MB|GB)\b/;
const urlPattern = /\b[a-z][a-z\d+.-]*:\/\/([^/\s)]+)[^\s),]*/gi;

/** "12/159 MB" (12 of 159 MB) or "3.9 kB", in bytes; 0 when there is no size. */
export function parseSize(text: string): number {
  const match = sizePattern.exec(text);
  return match ? Number(match[1]) * units[match[2]!]! : 0;
}

export function formatBytes(bytes: number): string {
  const unit = ['GB', 'MB', 'kB'].find((name) => bytes >= units[name]!);
  return unit ? `${(bytes / units[unit]!).toFixed(1)} ${unit}` : `${bytes} B`;
}

/** Counts what one Maven run has fetched so far, from its output. */
export class MavenTransfers {
  files = 0;
  private completeBytes = 0;
  private partialBytes = 0;
  private pending = '';

  /** Files completed plus the parts of those still arriving. */
  get bytes(): number {
    return this.completeBytes + this.partialBytes;
  }

  /** Takes output in chunks as it arrives; a line may span two chunks. */
  read(text: string) {
    const lines = (this.pending + text).split(/[\r\n]/);
    this.pending = lines.pop()!;
    for (const line of lines) this.readLine(line.trimEnd());
  }

  private readLine(line: string) {
    if (line.startsWith('Progress (')) {
      const transfers = line.slice(line.indexOf(':') + 1).split(' | ');
      this.partialBytes = transfers.reduce((sum, transfer) => sum + parseSize(transfer), 0);
    } else if (line.includes('Downloaded from ')) {
      this.files += 1;
      this.completeBytes += parseSize(line.slice(line.lastIndexOf('(')));
      // The next progress update lists the transfers still running.
      this.partialBytes = 0;
    }
  }
}

/** "12 files, 45.6 MB" */
export function describeTransfers(transfers: MavenTransfers): string {
  const files = `${transfers.files} file${transfers.files === 1 ? '' : 's'}`;
  return `${files}, ${formatBytes(transfers.bytes)}`;
}

/**
 * The lines of a failed run's output that explain the failure: Maven's [ERROR] block up to its
 * generic help links, or the output's tail when there is none (e.g. the JVM did not start).
 * URLs become their file name and repository hosts are left out, so no mirror address leaks
 * into a message that gets pasted around.
 */
export function failureLines(output: string, count = 4): string {
  const lines = output
    .split(/[\r\n]/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('Progress ('));
  const help = lines.findIndex((line) => line.includes(' -> [Help'));
  const errors = lines
    .slice(0, help === -1 ? undefined : help + 1)
    .map((line) => line.replace(/ -> \[Help \d+\]$/, ''))
    .filter((line) => line.startsWith('[ERROR] '));
  const chosen = errors.length > 0 ? errors.slice(0, count) : lines.slice(-count);
  return withoutHosts(chosen.join('\n'), output);
}

/** Replaces URLs by their file name (or "the repository") and hosts seen in `context` too. */
export function withoutHosts(text: string, context = text): string {
  const hosts = new Set(
    [...context.matchAll(urlPattern)].map((match) => match[1]!.replace(/^.*@|:\d+$/g, '')),
  );
  let result = text.replace(urlPattern, (url) => {
    const file = url.slice(url.lastIndexOf('/') + 1);
    return url.indexOf('/', url.indexOf('://') + 3) !== -1 && file.includes('.')
      ? file
      : 'the repository';
  });
  for (const host of hosts) result = result.replaceAll(host, 'the repository');
  return result;
}

const tty = Boolean(process.stderr.isTTY);
/** A terminal gets one line redrawn in place; a log (CI) gets a plain line now and then. */
const intervalMs = tty ? 500 : 5_000;
const active = new Set<{ label: string; transfers: MavenTransfers; since: number }>();
let timer: NodeJS.Timeout | undefined;

const secondsSince = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

function render() {
  const downloads = [...active];
  if (tty) {
    // Kafka and the registry download side by side: both share the one line, which must not
    // wrap (a wrapped line cannot be redrawn in place).
    const statuses = downloads.map(({ label, transfers }) => {
      return `${label} (${describeTransfers(transfers)})`;
    });
    const line = `  ↓ ${statuses.join(' · ')} · ${secondsSince(downloads[0]!.since)}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}`);
  } else {
    for (const { label, transfers, since } of downloads) {
      const status = `${describeTransfers(transfers)} so far, ${secondsSince(since)}`;
      process.stderr.write(`  ↓ Downloading ${label} (${status})\n`);
    }
  }
}

/**
 * Reports a download on stderr until `finish` is called: stdout stays clean for callers that
 * parse it. Feed Maven's output to `transfers`.
 */
export function reportDownload(label: string, cacheDir: string) {
  const download = { label, transfers: new MavenTransfers(), since: Date.now() };
  active.add(download);
  if (!tty) {
    process.stderr.write(
      `  ↓ Downloading ${label} with Maven into ${cacheDir} (first start only)\n`,
    );
  }
  timer ??= setInterval(render, intervalMs).unref();
  if (tty) render();
  return {
    transfers: download.transfers,
    finish(succeeded: boolean) {
      active.delete(download);
      if (tty) process.stderr.write('\r\x1b[K');
      if (succeeded) {
        const status = `${describeTransfers(download.transfers)} in ${secondsSince(download.since)}`;
        process.stderr.write(`  ✓ Downloaded ${label} (${status})\n`);
      }
      if (active.size === 0) {
        clearInterval(timer);
        timer = undefined;
      } else if (tty) {
        render();
      }
    },
  };
}
