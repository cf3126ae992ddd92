export {
  appendToOutbox,
  type EventEncoder,
  eventKey,
  newEventId,
  type OutboxEvent,
} from './append.js';
