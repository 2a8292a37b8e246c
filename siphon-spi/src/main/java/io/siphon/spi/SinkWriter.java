package io.siphon.spi;

import io.siphon.model.ChangeEvent;
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
     * Applies changes of one table in their order: inserts and updates as upserts by primary key
     * (an update that changed the key removes the old row), deletes by key, truncates. The writer
     * may coalesce changes of the same key within the call (last one wins). Values that are {@link
     * io.siphon.model.Unchanged#VALUE} leave the target's value as it is.
     *
     * @param table the prepared target schema
     * @param changes {@link ChangeEvent.DataChange}s and {@link ChangeEvent.Truncate}s of that
     *     table, rows in the schema's column order
     * @throws SiphonException {@link ErrorCode#SINK_WRITE_FAILED} (or its retriable twin)
     */
    void apply(TableSchema table, List<ChangeEvent> changes);

    /**
     * Applies a schema change to a target table, after flushing what was written to it, and returns
     * the table's new schema. Changes that do not fit the target (narrowing a type) fail with
     * {@link ErrorCode#SCHEMA_MISMATCH}.
     *
     * @param table the target's current schema
     * @param change the change, naming the source table
     */
    TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change);

    /**
     * Makes everything written so far durable at the target. When it returns normally, a crash
     * loses none of it.
     */
    void flush();

    /** Discards what was not flushed and releases the connection. */
    @Override
    void close();
}
