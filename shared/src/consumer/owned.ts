import type { EachBatchPayload } from 'kafkajs';

/** Whether this member may still apply the batch: not stopping, and the partition not revoked. */
export const stillOwned = (payload: EachBatchPayload, signal: AbortSignal) =>
  !signal.aborted && payload.isRunning() && !payload.isStale();
