import type pg from 'pg';

/** Deletes rows published more than `retentionMs` ago, at most 10,000 a call so a pass stays short. */
export async function prunePublished(pool: pg.Pool, retentionMs: number): Promise<void> {
  await pool.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => $1) LIMIT 10000)`,
    [retentionMs / 1000],
  );
}

/** Rows not published yet, and the age of the oldest in seconds (0 when there is none). */
export async function unpublishedBacklog(
  pool: pg.Pool,
): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await pool.query<{ pending: string; oldest: number | null }>(
    `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest
       FROM outbox WHERE published_at IS NULL`,
  );
  return { pending: Number(rows[0]?.pending ?? 0), oldestAgeSeconds: rows[0]?.oldest ?? 0 };
}
