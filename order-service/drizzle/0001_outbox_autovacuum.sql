-- The relay reads "unpublished, in id order" through a partial index, and every row it marks
-- published leaves a dead entry there until vacuum. By default vacuum waits for 20 % of the table
-- to be dead, and the table keeps a day of published rows: millions of dead entries for every
-- read to step over. Vacuum once 10,000 rows are dead instead.
ALTER TABLE "outbox" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
