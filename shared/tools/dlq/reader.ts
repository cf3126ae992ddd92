import type { Consumer, KafkaMessage } from 'kafkajs';
import { DlqToolError } from './errors.js';

/** Offsets `[from, to)` of one partition; `to` is the high watermark fetched before reading. */
export interface ReadRange {
  from: number;
  to: number;
}

export interface ReadMessage {
  partition: number;
  message: KafkaMessage;
}

/**
 * Runs `consumer` (connected, subscribed to one topic, starting at each `from`) until every
 * partition has been read up to its `to`. Later dead letters are ignored rather than waited for.
 * Rejects on `failure`, a consumer crash, or after `timeoutMs`.
 */
export function readRanges(
  consumer: Consumer,
  ranges: ReadonlyMap<number, ReadRange>,
  options: { timeoutMs: number; failure?: Promise<never> },
): Promise<ReadMessage[]> {
  const read: ReadMessage[] = [];
  const unfinished = new Set(
    [...ranges].filter(([, range]) => range.from < range.to).map(([partition]) => partition),
  );
  if (unfinished.size === 0) return Promise.resolve(read);
  return new Promise<ReadMessage[]>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new DlqToolError(`Timed out reading the dead letters after ${options.timeoutMs} ms`),
        ),
      options.timeoutMs,
    );
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error);
    };
    options.failure?.catch(fail);
    consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = ranges.get(batch.partition);
          if (!range || !unfinished.has(batch.partition)) return;
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            if (offset >= range.from && offset < range.to) {
              read.push({ partition: batch.partition, message });
            }
          }
          if (Number(batch.lastOffset()) >= range.to - 1) unfinished.delete(batch.partition);
          if (unfinished.size === 0) {
            clearTimeout(timer);
            resolve(
              read.sort(
                (a, b) =>
                  a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset),
              ),
            );
          }
        },
      })
      .catch(fail);
  });
}
