export { type DeadLetterEntry, REPLAY_COUNT_HEADER } from './entry.js';
export { DlqToolError } from './errors.js';
export { listDeadLetters } from './list.js';
export type { Outcome, Status } from './progress.js';
export { type PurgeOptions, purgeDeadLetters } from './purge.js';
export { type ReplayOptions, replayDeadLetters } from './replay.js';
export type { DeadLetterAction, HandleResult } from './result.js';
export type { Selection } from './select.js';
export { type DlqTarget, toolGroup } from './session.js';
