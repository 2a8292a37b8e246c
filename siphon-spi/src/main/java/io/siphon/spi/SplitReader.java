package io.siphon.spi;

import io.siphon.model.RowBatch;

/** Reads one {@link SnapshotSplit} in batches. Created, used and closed by one reader thread. */
public interface SplitReader extends AutoCloseable {

    /**
     * The next batch of rows, blocking until it is read; null when the split is exhausted.
     *
     * @throws SiphonException when reading fails (retriable codes for lost connections)
     */
    RowBatch next();

    /** Releases the split's connection and cursor. */
    @Override
    void close();
}
