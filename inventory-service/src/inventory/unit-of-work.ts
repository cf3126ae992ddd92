import type { Transaction } from '@saga/shared/db';
import type { Logger } from '@saga/shared/logger';
import type { Emit } from '@saga/shared/service';

/** One transaction and its outbox: what a handler's context or `transact` provides. */
export interface UnitOfWork {
  tx: Transaction;
  emit: Emit;
  logger: Logger;
}
