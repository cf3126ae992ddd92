import pg from 'pg';

/**
 * Texts seen at least this often are sent as named statements from then on: a statement run once
 * (a migration, a report) is not kept on every connection.
 */
const PREPARE_AFTER = 2;
/** At most this many texts are named per process; later ones stay unnamed. */
const MAX_NAMED = 256;
/** At most this many texts are counted, so that unbounded texts cost a bounded map. */
const MAX_COUNTED = 4096;

/** Per statement text: how often it was seen, then the name it is prepared under. */
const statements = new Map<string, number | string>();
let named = 0;

/** The name to send `text` under, or undefined to send it unnamed (parsed and planned each time). */
export function statementName(text: string): string | undefined {
  const seen = statements.get(text);
  if (typeof seen === 'string') return seen;
  const count = (seen ?? 0) + 1;
  if (count >= PREPARE_AFTER && named < MAX_NAMED) {
    const name = `stmt_${++named}`;
    statements.set(text, name);
    return name;
  }
  if (seen !== undefined || statements.size < MAX_COUNTED) statements.set(text, count);
  return undefined;
}

/**
 * A client that prepares the statements it runs repeatedly. The ORM sends every statement
 * unnamed, which PostgreSQL parses, analyzes and plans at each execution: a large share of its
 * CPU under the saga load. A named statement is parsed and planned once per connection, then only
 * bound and executed (PostgreSQL replans it when a table it reads changes). After five runs
 * PostgreSQL may keep one generic plan, made without the parameters' values: a condition that
 * selects a partial index must therefore be written out, not passed as a parameter. Statements with
 * parameters are the ones that repeat; those without (BEGIN, COMMIT, LISTEN) keep the cheaper
 * simple protocol. Names are unique per process and each names one text, so a connection never
 * sees one name for two texts.
 */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is a set of overloads.
  override query(...args: any[]): any {
    const [first, second] = args as [string | pg.QueryConfig | undefined, unknown];
    if (typeof first === 'string' && Array.isArray(second)) {
      const name = statementName(first);
      if (name) args[0] = { name, text: first };
    } else if (
      typeof first === 'object' &&
      typeof first.text === 'string' &&
      !first.name &&
      (Array.isArray(second) || Array.isArray(first.values))
    ) {
      const name = statementName(first.text);
      if (name) args[0] = { ...first, name };
    }
    return (super.query as (...forwarded: unknown[]) => unknown)(...args);
  }
}
