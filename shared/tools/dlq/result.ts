import type { DeadLetterEntry } from './entry.js';

export interface DeadLetterAction {
  entry: DeadLetterEntry;
  action: 'replayed' | 'purged' | 'refused';
  /** Why a replay was refused. */
  reason?: string;
}

export interface HandleResult {
  /** Nothing was published or recorded: `actions` says what would have been. */
  dryRun: boolean;
  actions: DeadLetterAction[];
}
