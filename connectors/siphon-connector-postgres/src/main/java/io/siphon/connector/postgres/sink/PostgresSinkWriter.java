package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.types.CopyTextEncoder;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes rows over one connection in one open transaction, committed by {@link #flush()}.
 *
 * <ul>
 *   <li>{@link WriteMode#BULK_APPEND}: rows stream into a {@code COPY ... FROM STDIN} (text format)
 *       that stays open across writes to the same table; it is ended when another table or mode is
 *       written, and at {@link #flush()}.
 *   <li>{@link WriteMode#UPSERT}: each batch is copied into a temporary stage table, then merged
 *       with one statement: {@code INSERT ... ON CONFLICT (key) DO UPDATE} for tables with a key
 *       (the last row of a key in the batch wins), or an insert of the rows not yet present for
 *       tables without one.
 * </ul>
 *
 * After a failed write the transaction is rolled back, so everything since the last flush is gone,
 * and the writer refuses further work: the caller closes it and writes again from its last flushed
 * point. Row values are never logged.
 */
public final class PostgresSinkWriter implements SinkWriter {

    private final PostgresEndpoint endpoint;
    private final Connection connection;
    private final CopyManager copyApi;
    private final int bufferChars;
    private final StringBuilder text = new StringBuilder();
    private final Map<TableId, TargetTable> targets = new HashMap<>();
    private CopyIn copy;
    private TableId copyTable;
    private int stages;
    private SiphonException failure;

    /**
     * Opens the writer's connection.
     *
     * @param bufferKb how many kilobytes of encoded rows to gather before sending them
     */
    PostgresSinkWriter(PostgresEndpoint endpoint, int bufferKb) {
        this.endpoint = endpoint;
        this.bufferChars = Math.max(8, bufferKb) * 1024;
        this.connection = endpoint.connect();
        try {
            connection.setAutoCommit(false);
            this.copyApi = connection.unwrap(PGConnection.class).getCopyAPI();
        } catch (SQLException e) {
            PostgresEndpoint.closeQuietly(connection);
            throw PostgresErrors.translate(e, "opening a writer on " + endpoint.address());
        }
    }

    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        usable();
        if (rows.isEmpty()) {
            return;
        }
        try {
            TargetTable target = target(table);
            switch (mode) {
                case BULK_APPEND -> {
                    if (target.needsConversion()) {
                        endCopy();
                        throughStage(target, rows, Merge.APPEND);
                    } else {
                        appendByCopy(target, rows);
                    }
                }
                case UPSERT -> {
                    endCopy();
                    throughStage(
                            target,
                            rows,
                            table.hasPrimaryKey() ? Merge.UPSERT : Merge.INSERT_MISSING);
                }
            }
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e, "writing to " + table.id(), ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    @Override
    public void apply(TableSchema table, List<io.siphon.model.ChangeEvent> changes) {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING,
                "applying streamed changes to PostgreSQL is being built; use mode: snapshot");
    }

    @Override
    public TableSchema applySchemaChange(
            TableSchema table, io.siphon.model.ChangeEvent.SchemaChange change) {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING,
                "applying schema changes to PostgreSQL is being built; use mode: snapshot");
    }

    @Override
    public void flush() {
        usable();
        try {
            endCopy();
            connection.commit();
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e, "committing on " + endpoint.address(), ErrorCode.SINK_WRITE_FAILED));
        }
    }

    @Override
    public void close() {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // The rollback and close below discard the COPY as well.
            }
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // Closing ends the transaction anyway.
        }
        PostgresEndpoint.closeQuietly(connection);
    }

    private TargetTable target(TableSchema table) throws SQLException {
        TargetTable t = targets.get(table.id());
        if (t == null || !t.schema.equals(table)) {
            endCopy();
            t = TargetTable.load(connection, table);
            targets.put(table.id(), t);
        }
        return t;
    }

    private void appendByCopy(TargetTable target, List<Row> rows) throws SQLException {
        if (copy != null && !target.schema.id().equals(copyTable)) {
            endCopy();
        }
        if (copy == null) {
            copy = copyApi.copyIn(target.copyIntoTarget());
            copyTable = target.schema.id();
        }
        for (Row row : rows) {
            encode(target.schema, row, -1);
            if (text.length() >= bufferChars) {
                send();
            }
        }
    }

    /** How staged rows reach the target. */
    private enum Merge {
        APPEND,
        UPSERT,
        INSERT_MISSING
    }

    private void throughStage(TargetTable target, List<Row> rows, Merge merge) throws SQLException {
        if (target.stage() == null) {
            execute(target.createStage("siphon_stage_" + (++stages)));
        }
        CopyIn stageCopy = copyApi.copyIn(target.copyIntoStage());
        copy = stageCopy;
        copyTable = null;
        long ord = 0;
        for (Row row : rows) {
            encode(target.schema, row, ord++);
            if (text.length() >= bufferChars) {
                send();
            }
        }
        endCopy();
        execute(
                switch (merge) {
                    case APPEND -> target.appendFromStage();
                    case UPSERT -> target.upsertFromStage();
                    case INSERT_MISSING -> target.insertMissingFromStage();
                });
        execute(target.truncateStage());
    }

    /** Appends one row as a COPY text line; {@code ord >= 0} adds the row's batch position. */
    private void encode(TableSchema table, Row row, long ord) {
        List<Column> columns = table.columns();
        if (row.size() != columns.size()) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "a row for "
                            + table.id()
                            + " has "
                            + row.size()
                            + " values but the table has "
                            + columns.size()
                            + " columns");
        }
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append('\t');
            }
            Object value = row.get(i);
            Column column = columns.get(i);
            if (value == Unchanged.VALUE) {
                throw new SiphonException(
                        ErrorCode.INTERNAL_ERROR,
                        "column "
                                + column.name()
                                + " of "
                                + table.id()
                                + " is marked unchanged, which the postgres sink does not"
                                + " write yet");
            }
            try {
                CopyTextEncoder.appendField(text, value, column.type());
            } catch (ClassCastException e) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "column "
                                + column.name()
                                + " of "
                                + table.id()
                                + " has type "
                                + column.type()
                                + " but got a value of class "
                                + value.getClass().getName(),
                        e);
            }
        }
        if (ord >= 0) {
            text.append('\t').append(ord);
        }
        text.append('\n');
    }

    private void send() throws SQLException {
        if (text.isEmpty()) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        copy.writeToCopy(bytes, 0, bytes.length);
    }

    private void endCopy() throws SQLException {
        if (copy == null) {
            return;
        }
        try {
            send();
            copy.endCopy();
        } finally {
            copy = null;
            copyTable = null;
            text.setLength(0);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void usable() {
        if (failure != null) {
            throw new SiphonException(
                    failure.code(),
                    "this writer failed earlier and wrote nothing since its last flush; close it"
                            + " and write again: "
                            + failure.getMessage(),
                    failure);
        }
    }

    /** Rolls back, remembers the failure and returns it for throwing. */
    private SiphonException fail(SiphonException e) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException ignored) {
                // The rollback below discards the COPY as well.
            }
        }
        copy = null;
        copyTable = null;
        text.setLength(0);
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the failure is reported either way.
        }
        targets.values().forEach(TargetTable::forgetStage);
        failure = e;
        return e;
    }
}
