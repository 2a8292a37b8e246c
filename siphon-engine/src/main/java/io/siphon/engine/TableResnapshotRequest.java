package io.siphon.engine;

import io.siphon.engine.spec.Mode;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks for tables of a streaming pipeline to be copied again while it streams (per-table
 * re-snapshots). The request is recorded in the state store ({@link #record}), or, from another
 * process while a pipeline holds the store open, filed in the state directory ({@link #file}); the
 * running stream picks it up within a second, or the next run's stream does.
 */
public final class TableResnapshotRequest {

    /** The schema of a table named without one, PostgreSQL's default. */
    public static final String DEFAULT_SCHEMA = "public";

    private TableResnapshotRequest() {}

    /**
     * Records a request for each table in the state store.
     *
     * @param names tables as {@code schema.table} (or {@code table}, in {@value #DEFAULT_SCHEMA})
     * @return the tables newly requested; a table with a copy in progress or waiting is left out
     * @throws SiphonException as {@link #tables}
     */
    public static List<TableId> record(StateStore state, PipelineSpec spec, List<String> names) {
        List<TableId> added = new ArrayList<>();
        for (TableId table : tables(spec, names)) {
            if (state.requestTableCopy(spec.name(), table, "requested")) {
                added.add(table);
            }
        }
        return added;
    }

    /**
     * Files a request for the tables in the state directory, for the pipeline's stream to take,
     * without opening the state store (a running {@code siphon run} holds it).
     *
     * @return the tables asked for
     * @throws SiphonException as {@link #tables}
     */
    public static List<TableId> file(Path stateDir, PipelineSpec spec, List<String> names) {
        List<TableId> tables = tables(spec, names);
        StateStore.fileTableCopyRequest(stateDir, spec.name(), tables, "requested");
        return tables;
    }

    /**
     * Whether the pipeline's source takes the table (its {@code tables} and {@code
     * exclude-tables}), for a graph to find the flows that read it.
     *
     * @param name the table as {@code schema.table} (or {@code table}, in {@value #DEFAULT_SCHEMA})
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a malformed name
     */
    public static boolean takes(PipelineSpec spec, String name) {
        return Validation.tableFilter(spec.source().config()).matches(parse(name), DEFAULT_SCHEMA);
    }

    private static TableId parse(String name) {
        try {
            return TableId.parse(name, DEFAULT_SCHEMA);
        } catch (IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'" + name + "' is not a table name; write it as schema.table",
                    e);
        }
    }

    /**
     * The tables named, checked against the pipeline.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a snapshot-only pipeline,
     *     no name or a malformed one, {@link ErrorCode#TABLE_NOT_FOUND} for a table the pipeline's
     *     patterns do not take
     */
    static List<TableId> tables(PipelineSpec spec, List<String> names) {
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
            TableId table = parse(name);
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
        return tables;
    }
}
