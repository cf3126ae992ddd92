/** A saga as GET /sagas lists it (order-service's contract). */
export interface SagaItem {
  orderId: string;
  status: string;
  failureReason: string | null;
  ageSeconds: number;
  deadline: string;
  lastEvent: { type: string; service: string; at: string } | null;
  waitingFor: { event: string; service: string }[];
  compensationFailure: string | null;
}

const COLUMNS = ['ORDER', 'STATUS', 'AGE', 'DEADLINE', 'LAST EVENT', 'WAITS FOR', 'FAILURE'];

/** Stuck sagas as a plain-text table, one saga a line, columns padded to their widest cell. */
export function sagaTable(sagas: readonly SagaItem[]): string {
  if (sagas.length === 0) return 'No stuck sagas.';
  const rows = sagas.map((saga) => [
    saga.orderId,
    saga.failureReason ? `${saga.status} (${saga.failureReason})` : saga.status,
    `${saga.ageSeconds}s`,
    saga.deadline,
    saga.lastEvent ? `${saga.lastEvent.type} @ ${saga.lastEvent.at}` : '-',
    saga.waitingFor.map(({ event, service }) => `${event} from ${service}`).join(', ') || '-',
    saga.compensationFailure ?? '',
  ]);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [COLUMNS, ...rows]
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
