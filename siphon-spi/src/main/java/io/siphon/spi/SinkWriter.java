package io.siphon.spi;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.util.List;

/**
 * Writes batches to the target. Created, used and closed by one writer thread. Writes may be
 * buffered or left in an open transaction until {@link #flush()}.
 */
public interface SinkWriter extends AutoCloseable {

    /**
     * Writes rows to a table prepared by {@link Sink#prepareTable}.
     *
     * @param table the prepared target schema ({@link PreparedTable#schema()})
     * @param rows the rows, values in the schema's column order
     * @param mode how to write them
     * @throws SiphonException {@link ErrorCode#SINK_WRITE_FAILED} (or its retriable twin) naming
     *     the table
     */
    void write(TableSchema table, List<Row> rows, WriteMode mode);

    /**
     * Makes everything written so far durable at the target. When it returns normally, a crash
     * loses none of it.
     */
    void flush();

    /** Discards what was not flushed and releases the connection. */
    @Override
    void close();
}
