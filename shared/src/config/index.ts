export { findEnvFile, readEnvFile, STACK_ENV_FILE } from './env-file.js';
export { ConfigError, type LoadConfigOptions, loadConfig } from './load-config.js';
export { databaseUrl, type StackSettings, settings, stackSchema } from './settings.js';
