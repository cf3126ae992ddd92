export {
  connectPlatformDatabases,
  type PlatformDatabases,
  SERVICE_NAMES,
  type ServiceName,
} from './databases.js';
export { countDeadLetters } from './dead-letters.js';
export { checkInvariants, type InvariantInputs, type InvariantResult } from './invariants.js';
