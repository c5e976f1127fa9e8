/**
 * How many recent insert blocks each table remembers by token (`non_replicated_deduplication_window`).
 * An insert whose token is among them is dropped. Two callers rely on it: a retried insert of
 * the same block (its first try may have landed), and in the scale-out profile the late insert
 * of a worker paused past its partition lease, which must find its successor's redo of the same
 * insert plan still remembered (docs/scale-out-partitioning.md, "Insert plans"). At 16 busy
 * partitions, ~80 inserts a second per table, 10,000 blocks cover about two minutes after the
 * redo; the log costs ~100 bytes per block in memory and on disk (~1 MB per table).
 */
export const DEDUPE_WINDOW_BLOCKS = 10_000;

export const DEDUPE_WINDOW_SETTING = `non_replicated_deduplication_window = ${DEDUPE_WINDOW_BLOCKS}`;

/** For tables created with a smaller window by an earlier release: idempotent, a metadata change only. */
export const widenDedupeWindow = (table: string) => `ALTER TABLE ${table} MODIFY SETTING ${DEDUPE_WINDOW_SETTING}`;
