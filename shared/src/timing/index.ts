export { type BackoffPolicy, noJitter, retryDelayMs } from './backoff.js';
export { createWakeableSleep, type WakeableSleep } from './wakeable-sleep.js';
