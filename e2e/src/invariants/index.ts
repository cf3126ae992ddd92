export { connectPlatformDatabases, type PlatformDatabases } from './databases.js';
export { countDeadLetters } from './dead-letters.js';
export { checkInvariants, type InvariantInputs, type InvariantResult } from './invariants.js';
