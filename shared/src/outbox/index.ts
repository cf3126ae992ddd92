export {
  type EventEncoder,
  eventKey,
  newEventId,
  type OutboxEvent,
  type OutboxWrites,
  outboxWrites,
} from './append.js';
export { prunePublished, unpublishedBacklog } from './housekeeping.js';
export {
  markThenRead,
  OUTBOX_SESSION_OPTIONS,
  type OutboxRow,
  type OutboxSession,
} from './read.js';
export {
  type Emit,
  type OpenUnitOfWork,
  sharedUnitsOfWork,
  type Transact,
  type UnitOfWork,
  type UnitOfWorkOptions,
  unitsOfWork,
} from './unit-of-work.js';
