import type { DeadLetterEntry } from './entry.js';

export interface Selection {
  /** Only the dead letters of this event. */
  eventId?: string;
  /** Only those dead-lettered at least this long ago, ms; entries of unknown age never match. */
  olderThanMs?: number;
  /** Defaults to the current time. */
  now?: Date;
}

/** The pending dead letters a replay or purge acts on. */
export function selectPending(
  letters: readonly DeadLetterEntry[],
  selection: Selection,
): DeadLetterEntry[] {
  const now = (selection.now ?? new Date()).getTime();
  const { eventId, olderThanMs } = selection;
  return letters.filter(
    (entry) =>
      entry.status === 'pending' &&
      (eventId === undefined || entry.eventId === eventId) &&
      (olderThanMs === undefined ||
        (entry.deadLetteredAt !== undefined &&
          now - entry.deadLetteredAt.getTime() >= olderThanMs)),
  );
}
