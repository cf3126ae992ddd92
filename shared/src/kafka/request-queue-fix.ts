// kafkajs 2.2.4 (unmaintained) re-arms a timer in every connection's request queue after each
// check, even with nothing queued and no throttling: its delay is then `throttledUntil - now`,
// negative, so the timer fires every millisecond for as long as the connection lives. Even an idle
// service spent CPU on it every second, and every service under load far more. A queue
// needs the timer only while requests wait in it or the broker throttles: a request that cannot
// go at once is queued and arms the timer then, and every response checks the queue anyway.
import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
}

const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
const prototype: { scheduleCheckPendingRequests(this: RequestQueue): void } =
  RequestQueue.prototype;
const schedule = prototype.scheduleCheckPendingRequests;

prototype.scheduleCheckPendingRequests = function scheduleOnlyWhenNeeded(this: RequestQueue) {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  schedule.call(this);
};
