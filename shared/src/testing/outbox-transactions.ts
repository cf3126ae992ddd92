import type pg from 'pg';

/**
 * Watches, with triggers, which transactions write the outbox and what else they write.
 *
 * Why this proves "only inside a unit of work": a unit of work writes the outbox in the same
 * transaction as the change that caused the events: the inbox row of the consumed event (a
 * handler) or a business row (an HTTP route, a worker). An outbox row written by any other path
 * (an autocommitted INSERT, a second transaction after the business one committed) is a
 * transaction that changed nothing but the outbox. Row-level triggers record every changed row
 * with its transaction id, so a write that matched no row (a guarded UPDATE that lost, an insert
 * that hit ON CONFLICT DO NOTHING) does not count as a companion.
 */
export interface OutboxTransactions {
  /** Event ids of the outbox rows written since install. */
  outboxWrites(): Promise<string[]>;
  /** Event ids of outbox rows whose transaction changed no other table. */
  writtenAlone(): Promise<string[]>;
}

const INSTALL = `
CREATE TABLE conformance_writes (
  txid bigint NOT NULL DEFAULT txid_current(),
  table_name text NOT NULL,
  event_id uuid
);
CREATE FUNCTION conformance_note_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conformance_writes (table_name) VALUES (TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE FUNCTION conformance_note_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conformance_writes (table_name, event_id) VALUES ('outbox', NEW.event_id);
  RETURN NULL;
END $$;
CREATE TRIGGER conformance_outbox AFTER INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION conformance_note_outbox();
DO $$
DECLARE tracked text;
BEGIN
  FOR tracked IN
    SELECT tablename FROM pg_tables
     WHERE schemaname = 'public' AND tablename NOT IN ('outbox', 'conformance_writes')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER conformance_write AFTER INSERT OR UPDATE OR DELETE ON %I
         FOR EACH ROW EXECUTE FUNCTION conformance_note_write()',
      tracked);
  END LOOP;
END $$;
`;

/** Installs the triggers in the database of `pool`: after the service's migrations ran. */
export async function watchOutboxTransactions(pool: pg.Pool): Promise<OutboxTransactions> {
  await pool.query(INSTALL);
  return {
    async outboxWrites() {
      const { rows } = await pool.query<{ event_id: string }>(
        "SELECT event_id FROM conformance_writes WHERE table_name = 'outbox'",
      );
      return rows.map((row) => row.event_id);
    },
    async writtenAlone() {
      const { rows } = await pool.query<{ event_id: string }>(
        `SELECT written.event_id FROM conformance_writes written
          WHERE written.table_name = 'outbox'
            AND NOT EXISTS (SELECT 1 FROM conformance_writes other
                             WHERE other.txid = written.txid AND other.table_name <> 'outbox')`,
      );
      return rows.map((row) => row.event_id);
    },
  };
}
