import { fillPlaceholders, getTableColumns, type SQL } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Statement } from './transaction.js';

/** Where a statement runs: a transaction's connection or the pool (both drizzle sessions). */
export interface Executor {
  $client: pg.Pool | pg.PoolClient;
}

const dialect = new PgDialect();

/**
 * A statement the ORM builds once, from drizzle's `sql` with `sql.placeholder(name)` where each
 * value goes. The ORM builds a query's text anew at every execution, the largest cost of a busy
 * service after its socket writes; a statement built once only binds its values, and the
 * connection prepares it (see PreparingClient). Rows come back as PostgreSQL names them; a
 * table's `rowOf` maps them to its row type.
 */
export function statement<Values extends object>(query: SQL) {
  const { sql: text, params } = dialect.sqlToQuery(query);
  /** The statement with its values, for a transaction to send when it chooses. */
  const bind = (values: Values): Statement => ({
    text,
    values: fillPlaceholders(params, values as Record<string, unknown>),
  });
  const run = async (on: Executor, values: Values): Promise<Record<string, unknown>[]> =>
    (await on.$client.query(bind(values))).rows;
  return Object.assign(run, { bind });
}

/** Maps rows of `table` as PostgreSQL returns them to the table's row type, as the ORM would. */
export function rowOf<T extends PgTable>(
  table: T,
): (row: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  return (row) => {
    const mapped: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = row[column.name];
      mapped[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return mapped as T['$inferSelect'];
  };
}
