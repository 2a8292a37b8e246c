package io.siphon.spi;

import io.siphon.model.TableSchema;
import java.util.List;

/**
 * Reads tables as of one consistent point, split into chunks that parallel readers take.
 *
 * <p>Sequence: the driver opens a {@link ReadPoint}, plans splits for tables not yet planned, and
 * hands the splits and the point's token to the readers; each reader calls {@link #openSplit} on
 * its own connector instance; the driver closes the read point when all readers are done.
 */
public interface SnapshotSource {

    /** Opens a consistent read point. Driver thread, once per run. */
    ReadPoint openReadPoint();

    /**
     * Splits a table into chunks of about {@code chunkRows} rows (by primary-key ranges, or
     * physical ranges for tables without a key). The splits cover the whole table, whatever is
     * inserted later. Driver thread, once per table per pipeline.
     */
    List<SnapshotSplit> planSplits(TableSchema table, int chunkRows);

    /**
     * Opens a reader for one split, reading at the given point. Reader thread.
     *
     * @param table the schema of the split's table; batches carry its columns in this order
     * @param split the split
     * @param readPointToken {@link ReadPoint#token()} of the run's read point
     * @param batchRows the largest number of rows in one batch
     */
    SplitReader openSplit(
            TableSchema table, SnapshotSplit split, String readPointToken, int batchRows);
}
