export { ensureBuilt, entryOf } from './build.js';
export { dropDatabases, preferLocalSocket, serviceDatabaseName } from './databases.js';
export { freePorts } from './free-ports.js';
export {
  HARNESS_SERVICE_ENV,
  type Platform,
  type PlatformOptions,
  type ProcessKind,
  startPlatform,
} from './platform.js';
export {
  type ExitStatus,
  LaunchError,
  type ProcessHandle,
  type ProcessOptions,
  startProcess,
} from './process.js';
export { repoRoot, stackSettings } from './repository.js';
