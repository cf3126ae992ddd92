export {
  type EventEncoder,
  eventKey,
  newEventId,
  type OutboxEvent,
  type OutboxWrites,
  outboxWrites,
} from './append.js';
export { type Emit, unitOfWork } from './unit-of-work.js';
