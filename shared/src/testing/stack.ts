import { loadConfig, type StackSettings, stackSchema } from '../config/index.js';

/** Connection settings of the running local stack (`npm run stack -- up`), for tests. */
export function stackSettings(): StackSettings {
  return loadConfig(stackSchema);
}
