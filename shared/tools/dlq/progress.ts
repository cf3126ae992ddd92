import { DlqToolError } from './errors.js';

/*
 * The tool's durable progress on one partition of `<service>.dlq`: the committed offset of the
 * group `<service>-dlq-tool` plus the metadata string Kafka stores with that commit.
 *
 * Why there: Kafka topics are append-only, so "replayed" and "purged" are facts about the tool,
 * not the log. Kept beside the log they describe, they need no extra store, survive crashes, show
 * up as lag in the usual group tooling, and a commit is atomic per partition. The committed offset
 * alone is not enough: `--event-id`, `--older-than` and the loop guard leave pending entries behind
 * handled ones, so the metadata lists the handled offset spans with their outcome, and the
 * committed offset is the first offset still pending.
 *
 * Limits: Kafka caps metadata at `offset.metadata.max.bytes` (4096 by default), and expires the
 * offsets of a group left empty for `offsets.retention.minutes` (7 days by default), which must
 * be at least the DLQ topics' retention or handled entries would show as pending again. A replay
 * published twice (a crash between publish and commit) is absorbed by the consumers' inbox.
 */

export type Outcome = 'replayed' | 'purged';
/** `handled`: below the committed offset but absent from the metadata (e.g. an external reset). */
export type Status = Outcome | 'pending' | 'handled';

/** An inclusive range of offsets handled with one outcome. */
export interface Span {
  from: number;
  to: number;
  outcome: Outcome;
}

export interface PartitionProgress {
  /** Every offset below it is handled; 0 when the group never committed. */
  committed: number;
  /** Sorted, disjoint, adjacent spans of one outcome merged. */
  spans: readonly Span[];
}

/** Kafka's default `offset.metadata.max.bytes`. */
const MAX_METADATA_BYTES = 4096;

export function decodeProgress(offset: string, metadata: string | null): PartitionProgress {
  const committed = Math.max(0, Number(offset));
  try {
    const parsed = JSON.parse(metadata ?? '') as Record<Outcome, [number, number][]>;
    const spans = (['replayed', 'purged'] as const).flatMap((outcome) =>
      (parsed[outcome] ?? []).map(([from, to]) => ({ from, to, outcome })),
    );
    return { committed, spans: normalize(spans) };
  } catch {
    // Metadata written by another tool (or none): only the committed offset is known.
    return { committed, spans: [] };
  }
}

export function statusOf(progress: PartitionProgress, offset: number): Status {
  const span = progress.spans.find((s) => s.from <= offset && offset <= s.to);
  if (span) return span.outcome;
  return offset < progress.committed ? 'handled' : 'pending';
}

export function withOutcomes(
  progress: PartitionProgress,
  handled: readonly { offset: number; outcome: Outcome }[],
): PartitionProgress {
  const added = handled.map(({ offset, outcome }) => ({ from: offset, to: offset, outcome }));
  return { committed: progress.committed, spans: normalize([...progress.spans, ...added]) };
}

/**
 * What to commit: spans below `low` (deleted by retention) dropped, and the offset moved to the
 * first pending one at or after `low`. It never moves backwards.
 */
export function commitPoint(
  progress: PartitionProgress,
  low: number,
): { offset: string; metadata: string } {
  const spans = progress.spans.filter((span) => span.to >= low);
  let committed = Math.max(progress.committed, low);
  for (const span of spans) {
    if (span.from <= committed && committed <= span.to) committed = span.to + 1;
  }
  const metadata = JSON.stringify({
    replayed: spans.filter((s) => s.outcome === 'replayed').map((s) => [s.from, s.to]),
    purged: spans.filter((s) => s.outcome === 'purged').map((s) => [s.from, s.to]),
  });
  if (Buffer.byteLength(metadata) > MAX_METADATA_BYTES) {
    throw new DlqToolError(
      `The tool's progress no longer fits Kafka's offset metadata (${MAX_METADATA_BYTES} bytes): ` +
        'too many pending entries lie between handled ones. Purge or replay the oldest pending ones.',
    );
  }
  return { offset: String(committed), metadata };
}

function normalize(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && last.outcome === span.outcome && span.from <= last.to + 1) {
      last.to = Math.max(last.to, span.to);
    } else if (!last || span.from > last.to) {
      merged.push({ ...span });
    }
  }
  return merged;
}
