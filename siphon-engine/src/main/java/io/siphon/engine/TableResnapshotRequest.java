package io.siphon.engine;

import io.siphon.engine.spec.Mode;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks for tables of a streaming pipeline to be copied again while it streams (per-table
 * re-snapshots). The request is recorded in the state store, so it works from any process that
 * shares the pipeline's state directory: the running stream picks it up within a second, or the
 * next run's stream does.
 */
public final class TableResnapshotRequest {

    /** The schema of a table named without one, PostgreSQL's default. */
    public static final String DEFAULT_SCHEMA = "public";

    private TableResnapshotRequest() {}

    /**
     * Records a request for each table.
     *
     * @param names tables as {@code schema.table} (or {@code table}, in {@value #DEFAULT_SCHEMA})
     * @return the tables newly requested; a table with a copy in progress or waiting is left out
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a snapshot-only pipeline
     *     or a malformed name, {@link ErrorCode#TABLE_NOT_FOUND} for a table the pipeline's
     *     patterns do not take
     */
    public static List<TableId> record(StateStore state, PipelineSpec spec, List<String> names) {
        if (spec.mode() == Mode.SNAPSHOT) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "pipeline "
                            + spec.name()
                            + " has mode snapshot and no stream to copy tables within; run it"
                            + " again to copy every table");
        }
        if (names.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "no table given to re-snapshot in pipeline "
                            + spec.name()
                            + "; name at least one, as schema.table");
        }
        TableFilter filter = Validation.tableFilter(spec.source().config());
        List<TableId> tables = new ArrayList<>();
        for (String name : names) {
            TableId table;
            try {
                table = TableId.parse(name, DEFAULT_SCHEMA);
            } catch (IllegalArgumentException e) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "'" + name + "' is not a table name; write it as schema.table",
                        e);
            }
            if (!filter.matches(table, DEFAULT_SCHEMA)) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND,
                        "table "
                                + table
                                + " is not among the tables of pipeline "
                                + spec.name()
                                + " (its source 'tables' and 'exclude-tables' do not take it);"
                                + " name a table the pipeline streams");
            }
            tables.add(table);
        }
        List<TableId> added = new ArrayList<>();
        for (TableId table : tables) {
            if (state.requestTableCopy(spec.name(), table, "requested")) {
                added.add(table);
            }
        }
        return added;
    }
}
