import { formatAge } from './duration.js';
import type { DeadLetterEntry } from './entry.js';
import type { HandleResult } from './result.js';

const REASON_WIDTH = 60;
const DRY_RUN_VERBS = { replayed: 'replay', purged: 'purge', refused: 'refuse' } as const;

function ageOf(entry: DeadLetterEntry, now: Date): number | undefined {
  return entry.deadLetteredAt && now.getTime() - entry.deadLetteredAt.getTime();
}

/** An entry as plain JSON: positions, headers' meaning and status, never the Avro bytes. */
export function entryJson(entry: DeadLetterEntry, now: Date) {
  return {
    dlq: { partition: entry.partition, offset: entry.offset },
    eventId: entry.eventId ?? null,
    eventType: entry.eventType ?? null,
    key: entry.key?.toString() ?? null,
    original: {
      topic: entry.originalTopic ?? null,
      partition: entry.originalPartition === undefined ? null : Number(entry.originalPartition),
      offset: entry.originalOffset ?? null,
    },
    reason: entry.reason ?? null,
    attempts: entry.attempts ?? null,
    replayCount: entry.replayCount,
    deadLetteredAt: entry.deadLetteredAt?.toISOString() ?? null,
    ageMs: ageOf(entry, now) ?? null,
    status: entry.status,
  };
}

function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

export function renderTable(entries: readonly DeadLetterEntry[], now: Date): string {
  if (entries.length === 0) return 'No dead letters.';
  const header = [
    'DLQ',
    'EVENT ID',
    'ORIGINAL',
    'EVENT TYPE',
    'REASON',
    'ATTEMPTS',
    'REPLAYS',
    'AGE',
    'STATUS',
  ];
  const rows = entries.map((entry) => {
    const age = ageOf(entry, now);
    return [
      `${entry.partition}@${entry.offset}`,
      entry.eventId ?? '-',
      `${entry.originalTopic ?? '?'}/${entry.originalPartition ?? '?'}@${entry.originalOffset ?? '?'}`,
      entry.eventType ?? '-',
      clip(entry.reason ?? '-', REASON_WIDTH),
      String(entry.attempts ?? '-'),
      String(entry.replayCount),
      age === undefined ? '-' : formatAge(age),
      entry.status,
    ];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const pending = entries.filter((entry) => entry.status === 'pending').length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${entries.length} dead letters, ${pending} pending.`,
  ].join('\n');
}

export function renderResult(result: HandleResult, verb: 'replay' | 'purge'): string {
  if (result.actions.length === 0) return `Nothing to ${verb}: no pending dead letter matches.`;
  const lines = result.actions.map(({ entry, action, reason }) => {
    const detail =
      action === 'refused'
        ? `: ${reason}`
        : action === 'replayed'
          ? `, replay-count ${entry.replayCount + 1}`
          : '';
    const what = `${entry.eventId ?? '(no event id)'} (dlq ${entry.partition}@${entry.offset})`;
    const label = result.dryRun ? `would ${DRY_RUN_VERBS[action]}` : action;
    return `${label.padEnd(result.dryRun ? 13 : 8)}  ${what}${detail}`;
  });
  const counts = (['replayed', 'purged', 'refused'] as const)
    .map((action) => [action, result.actions.filter((a) => a.action === action).length] as const)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
  const summary = result.dryRun
    ? `Dry run, nothing published or recorded. It would have: ${counts}.`
    : `Done: ${counts}.`;
  return [...lines, '', summary].join('\n');
}
