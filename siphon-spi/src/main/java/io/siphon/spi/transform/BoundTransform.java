package io.siphon.spi.transform;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.util.function.Consumer;

/**
 * An operator bound to one table and schema, made by {@link Transform#bind}. Used by one thread at
 * a time (the reader or writer processor that owns the table's rows, or the driver of {@code
 * validate}); it need not be thread-safe. It holds no state between rows: the same input always
 * gives the same output, so a replay after a restart produces the same events again.
 *
 * <p>Rows in and out follow the column order of {@link #inputSchema()} and {@link #outputSchema()}.
 * A value may be {@link io.siphon.model.Unchanged#VALUE} in an update's {@code after} row; an
 * operator that only moves or maps values passes the marker through, one that needs the value takes
 * it from a complete {@code before} row, or fails with {@link
 * io.siphon.spi.ErrorCode#TRANSFORM_FAILED} saying that the source must send complete old rows.
 */
public interface BoundTransform {

    /** The schema of the rows this operator takes. */
    TableSchema inputSchema();

    /**
     * The schema of the rows this operator gives: its {@link TableSchema#id()} is the table the
     * rows go to (a {@code route} changes it), its columns and key what the operator made of the
     * input's. The sink creates the target table from the output schema of the last operator.
     */
    TableSchema outputSchema();

    /**
     * Transforms one snapshot row into zero, one or many rows of {@link #outputSchema()}, handed to
     * {@code out} before this method returns.
     *
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#TRANSFORM_FAILED} naming
     *     the operator, the table, the row's key and what failed
     */
    void row(Row row, Consumer<Row> out);

    /**
     * Transforms one data change into zero, one or many changes to {@link #outputSchema()}'s table,
     * handed to {@code out} before this method returns. The event kind may change: an update whose
     * row leaves a filter becomes a delete. The {@link
     * io.siphon.model.ChangeEvent.Update#beforeIsKeyOnly() key-only} flag of a before row is kept,
     * and an operator that cannot decide on a key-only before row decides for the safe side (a
     * delete by key, which is a no-op at the target when the row is not there).
     *
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#TRANSFORM_FAILED} naming
     *     the operator, the table, the row's key and what failed
     */
    void change(DataChange change, Consumer<DataChange> out);
}
