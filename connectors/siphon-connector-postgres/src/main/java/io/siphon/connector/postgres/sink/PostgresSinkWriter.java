package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.types.CopyBinaryBuffer;
import io.siphon.connector.postgres.types.CopyBinaryEncoder;
import io.siphon.connector.postgres.types.CopyTextEncoder;
import io.siphon.connector.support.change.AppliedLedger;
import io.siphon.connector.support.change.NetChanges;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows over one connection in one open transaction, committed by {@link #flush()}.
 *
 * <ul>
 *   <li>{@link WriteMode#BULK_APPEND}: rows stream into a {@code COPY ... FROM STDIN} that stays
 *       open across writes to the same table; it is ended when another table or mode is written,
 *       and at {@link #flush()}.
 *   <li>{@link WriteMode#UPSERT}: each batch is copied into a temporary stage table, then merged
 *       with one statement: {@code INSERT ... ON CONFLICT (key) DO UPDATE} for tables with a key
 *       (the last row of a key in the batch wins), or an insert of the rows not yet present for
 *       tables without one.
 *   <li>{@link #apply}: changes are held until the flush, coalesced over every call since the last
 *       one ({@link NetChanges}), copied into the stage in one COPY per table, and written with at
 *       most three statements per table; see {@link #apply}.
 *   <li>{@link #applySchemaChange}: DDL through {@link PostgresSchemaApplier}, committed at once.
 * </ul>
 *
 * Rows are copied in binary format when every column of the table has an exact binary encoding for
 * its target type ({@link CopyBinaryEncoder}; the common built-in types), which spares both this
 * process and the server the text conversion; otherwise, decided once per table, in text format.
 *
 * <p>After a failed write the transaction is rolled back, so everything since the last flush is
 * gone, and the writer refuses further work: the caller closes it and writes again from its last
 * flushed point. Row values are never logged; only the keys of rows a warning is about are.
 */
public final class PostgresSinkWriter implements SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSinkWriter.class);

    /**
     * The most data changes held for coalescing before they are written without waiting for {@link
     * #flush()}: bounds the memory they take while a busy stream goes long between flushes.
     */
    static final int MAX_HELD_CHANGES = 32_768;

    private final PostgresEndpoint endpoint;
    private final Connection connection;
    private final CopyManager copyApi;
    private final int bufferChars;
    private final StringBuilder text = new StringBuilder();
    private final CopyBinaryBuffer bytes;
    private final Map<TableId, TargetTable> targets = new HashMap<>();
    private final Map<TableId, WrittenColumns> written = new HashMap<>();
    private CopyIn copy;
    private boolean copyBinary;
    private TableId copyTable;

    /** The table of a COPY that the target refused when it ended; see {@link #failedTable()}. */
    private TableId failedTable;

    /**
     * The table of the open COPY straight into a target, and the keys of the rows copied so far in
     * order: a refused value shows only when the COPY ends, and is then named by its key.
     */
    private TableSchema appendSchema;

    private final List<Object[]> appendedKeys = new ArrayList<>();
    private int stages;
    private SiphonException failure;
    private final AppliedLedger ledger;

    /**
     * Data changes that {@link #apply} accepted and has not written yet, per table in the order of
     * their first change, each table's in their order; {@link #writeHeld} writes them.
     */
    private final Map<TableId, Held> held = new LinkedHashMap<>();

    private int heldChanges;

    private final ColumnTypes columnTypes;

    /** A table's held data changes and the schema they were given with. */
    private record Held(TableSchema table, List<ChangeEvent.DataChange> changes) {}

    /**
     * Opens the writer's connection.
     *
     * @param bufferKb how many kilobytes of encoded rows to gather before sending them
     * @param pipeline the pipeline whose {@link AppliedLedger} the writer keeps (exactly-once, in
     *     the tables of {@link TargetLedger}), or null for a writer that records nothing
     * @param columnTypes the sink's {@code column-types}, for tables and columns that schema
     *     changes create
     */
    PostgresSinkWriter(
            PostgresEndpoint endpoint, int bufferKb, String pipeline, ColumnTypes columnTypes) {
        this.endpoint = endpoint;
        this.columnTypes = columnTypes;
        this.bufferChars = Math.max(8, bufferKb) * 1024;
        this.bytes = new CopyBinaryBuffer(bufferChars + 8192);
        this.connection = endpoint.connect();
        try {
            connection.setAutoCommit(false);
            this.copyApi = connection.unwrap(PGConnection.class).getCopyAPI();
            if (pipeline != null) {
                TargetLedger.create(connection, endpoint.address());
            }
            this.ledger =
                    new AppliedLedger(
                            connection,
                            pipeline,
                            TargetLedger.SQL,
                            endpoint.address(),
                            () -> {
                                writeHeld();
                                endCopy();
                            },
                            (e, doing) ->
                                    fail(
                                            PostgresErrors.translate(
                                                    e, doing, ErrorCode.SINK_WRITE_FAILED)));
        } catch (SQLException e) {
            PostgresEndpoint.closeQuietly(connection);
            throw PostgresErrors.translate(e, "opening a writer on " + endpoint.address());
        } catch (SiphonException e) {
            PostgresEndpoint.closeQuietly(connection);
            throw e;
        }
    }

    /** True for a writer opened for a pipeline: it keeps the pipeline's {@link AppliedLedger}. */
    @Override
    public boolean exactlyOnce() {
        return ledger.exactlyOnce();
    }

    @Override
    public boolean chunkApplied(String snapshot, SnapshotSplit split, TableSchema table) {
        usable();
        return ledger.chunkApplied(snapshot, split, table);
    }

    @Override
    public void chunkDone(String snapshot, SnapshotSplit split, TableSchema table, long rows) {
        usable();
        ledger.chunkDone(snapshot, split, table, rows);
    }

    /**
     * {@code (column name, key (id)=(42))} for a value the target refused, from the server's COPY
     * context: the column, and the key of the row on the COPY's line when {@code keys} holds the
     * keys of the copied rows in order (null when unknown); empty when the server does not say. Key
     * values only: the refused value itself is not repeated here.
     */
    private static String dataErrorPlace(SQLException e, TableSchema table, List<Object[]> keys) {
        PostgresErrors.DataErrorPlace place = PostgresErrors.placeOf(e);
        if (place == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (place.column() != null) {
            parts.add("column " + place.column());
        }
        if (keys != null
                && table.hasPrimaryKey()
                && place.line() >= 1
                && place.line() <= keys.size()) {
            List<String> values = new ArrayList<>();
            for (Object v : keys.get(place.line() - 1)) {
                values.add(String.valueOf(v));
            }
            parts.add(
                    "key ("
                            + String.join(", ", table.primaryKey())
                            + ")=("
                            + String.join(", ", values)
                            + ")");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static Object[] keyOf(TableSchema table, Row row) {
        int[] key = table.keyIndexes();
        Object[] values = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            values[i] = row.get(key[i]);
        }
        return values;
    }

    private static List<Object[]> keysOf(TableSchema table, List<Row> rows) {
        return rows.stream().map(r -> keyOf(table, r)).toList();
    }

    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        usable();
        if (rows.isEmpty()) {
            return;
        }
        try {
            writeHeld();
            WrittenColumns columns = written(table);
            List<Row> writtenRows = columns.rows(rows);
            TargetTable target = target(columns.written());
            switch (mode) {
                case BULK_APPEND -> {
                    if (target.needsConversion()) {
                        endCopy();
                        throughStage(target, writtenRows, Merge.APPEND);
                    } else {
                        appendByCopy(target, writtenRows);
                    }
                }
                case UPSERT -> {
                    endCopy();
                    throughStage(
                            target,
                            writtenRows,
                            table.hasPrimaryKey() ? Merge.UPSERT : keylessMerge(table));
                }
            }
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e,
                            "writing to "
                                    + table.id()
                                    + dataErrorPlace(e, table, keysOf(table, rows)),
                            ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    /**
     * How rows of a table without a key are upserted: as inserts of the rows not at the target yet,
     * since an earlier run may have written them; but when the writer keeps the ledger and the
     * table holds exactly the rows of the snapshot's committed chunks, every row that comes is from
     * a chunk not committed yet, and is appended as it is, so that identical rows stay as many as
     * at the source. Decided at the table's first write, before this writer has written to it.
     */
    private Merge keylessMerge(TableSchema table) throws SQLException {
        return ledger.appendsKeyless(table, SqlText.quote(table.id()))
                ? Merge.APPEND
                : Merge.INSERT_MISSING;
    }

    /**
     * Applies a table's changes in the writer's open transaction; {@link #flush()} commits them.
     *
     * <p>Data changes are held, not written at once: those of every call until the next {@link
     * #flush()} (or until {@value #MAX_HELD_CHANGES} are held) are coalesced together per key
     * ({@link NetChanges.Keyed}), or per distinct row for tables without a key ({@link
     * NetChanges.Keyless}), so a key changed by many transactions between two flushes is written
     * once, and each table's statements run once per flush instead of once per call. They are then
     * copied into the stage in one COPY and written with set-based statements in this order: rows
     * with unchanged (TOAST) values, which read the target as it was before the held changes;
     * deletes by key; whole-row upserts by key ({@code INSERT ... ON CONFLICT DO UPDATE}). A
     * truncate empties the target where it stands in the order; the held changes of the table
     * before it are not written at all, since it would remove them. Everything else the writer does
     * (a schema change, rows written with {@link #write}, a chunk record, a changed schema of the
     * table) first writes what is held, so it keeps its place in the order.
     *
     * <p>A writer opened for a pipeline ({@link #exactlyOnce()}) first drops the changes its {@link
     * AppliedLedger} says the table already has, and notes the last one it applies, which {@link
     * #flush()} records in the same transaction: a replay then changes nothing, in tables without a
     * key too. Without the ledger, replaying the same changes leaves the same target except in a
     * table without a key: there a replayed insert adds its row again, and a replayed delete
     * removes another identical row if there is one. An update with unchanged values whose row is
     * not at the target is skipped with a warning rather than guessed (see {@link
     * #warnMissingRows}).
     */
    @Override
    public void apply(TableSchema table, List<ChangeEvent> changes) {
        usable();
        if (changes.isEmpty()) {
            return;
        }
        try {
            endCopy();
            Held earlier = held.get(table.id());
            TableSchema writtenNow = written(table).written();
            if (earlier != null
                    && earlier.table() != writtenNow
                    && !earlier.table().equals(writtenNow)) {
                // Held changes were made for the table's former shape: they go out in it.
                writeHeld();
            }
            changes = ledger.fresh(table.id(), changes);
            // Generated columns the target computes are left out of what is held and written.
            WrittenColumns columns = written(table);
            changes = columns.changes(changes);
            TableSchema writtenTable = columns.written();
            TargetTable target = target(writtenTable);
            for (ChangeEvent change : changes) {
                switch (change) {
                    case ChangeEvent.DataChange data -> hold(writtenTable, data);
                    case ChangeEvent.Truncate truncate -> {
                        // The truncate would remove what the held changes write: drop them.
                        Held dropped = held.remove(table.id());
                        if (dropped != null) {
                            heldChanges -= dropped.changes().size();
                        }
                        execute(target.truncateTarget());
                    }
                    case ChangeEvent.SchemaChange schema ->
                            throw new SiphonException(
                                    ErrorCode.INTERNAL_ERROR,
                                    "a schema change of "
                                            + schema.table()
                                            + " was passed to apply(); schema changes go to"
                                            + " applySchemaChange()");
                }
            }
            if (heldChanges >= MAX_HELD_CHANGES) {
                writeHeld();
            }
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e,
                            "applying changes to " + table.id() + dataErrorPlace(e, table, null),
                            ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    /**
     * Applies a schema change with {@link PostgresSchemaApplier} and commits at once, so the
     * target's shape is durable before any row that depends on it (the engine has flushed the rows
     * before it). For {@link ChangeEvent.CreateTable}, {@code table} names the target table; its
     * columns are not used.
     */
    @Override
    public TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change) {
        usable();
        if (table == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "no target table was given for the schema change of "
                            + change.table()
                            + "; the engine must name the target table, even for a new one");
        }
        try {
            writeHeld();
            endCopy();
            TableSchema changed =
                    new PostgresSchemaApplier(connection, columnTypes).apply(table, change);
            TargetTable old = targets.remove(table.id());
            if (old != null && old.stage() != null) {
                execute(old.dropStage());
            }
            ledger.record();
            connection.commit();
            targets.values().forEach(TargetTable::committed);
            return changed;
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e,
                            "applying a schema change to " + table.id(),
                            ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    @Override
    public void flush() {
        usable();
        try {
            writeHeld();
            endCopy();
            ledger.record();
            connection.commit();
            targets.values().forEach(TargetTable::committed);
        } catch (SQLException e) {
            throw fail(
                    PostgresErrors.translate(
                            e, "committing on " + endpoint.address(), ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    @Override
    public java.util.Optional<TableId> failedTable() {
        return java.util.Optional.ofNullable(failedTable);
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

    /**
     * The columns written of a table: not those the target generates itself (see {@link
     * WrittenColumns}). Read from the target once per table schema.
     */
    private WrittenColumns written(TableSchema table) throws SQLException {
        WrittenColumns w = written.get(table.id());
        if (w == null || !w.source().equals(table)) {
            // An open COPY holds the connection: no query can run until it ends.
            endCopy();
            w =
                    WrittenColumns.of(
                            table,
                            PostgresSink.generatedColumns(connection, SqlText.quote(table.id())));
            written.put(table.id(), w);
        }
        return w;
    }

    private TargetTable target(TableSchema table) throws SQLException {
        TargetTable t = targets.get(table.id());
        if (t == null || !t.schema.equals(table)) {
            endCopy();
            if (t != null && t.stage() != null) {
                execute(t.dropStage());
            }
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
            startCopy(target.copyIntoTarget(), target.binaryEncoders() != null);
            copyTable = target.schema.id();
            appendSchema = target.schema;
            appendedKeys.clear();
        }
        CopyBinaryEncoder.FieldEncoder[] encoders = target.binaryEncoders();
        for (Row row : rows) {
            if (target.schema.hasPrimaryKey()) {
                appendedKeys.add(keyOf(target.schema, row));
            }
            if (encoders != null) {
                encodeBinary(target.schema, encoders, row, -1);
                if (bytes.size() >= bufferChars) {
                    send();
                }
            } else {
                encode(target.schema, row, -1);
                if (text.length() >= bufferChars) {
                    send();
                }
            }
        }
    }

    private void startCopy(String sql, boolean binary) throws SQLException {
        copy = copyApi.copyIn(sql);
        copyBinary = binary;
        if (binary) {
            bytes.header();
        }
    }

    /** How staged rows reach the target. */
    private enum Merge {
        APPEND,
        UPSERT,
        INSERT_MISSING
    }

    private void throughStage(TargetTable target, List<Row> rows, Merge merge) throws SQLException {
        ensureStage(target);
        CopyBinaryEncoder.FieldEncoder[] encoders = target.binaryEncoders();
        startCopy(target.copyIntoStage(), encoders != null);
        copyTable = null;
        long ord = 0;
        for (Row row : rows) {
            if (encoders != null) {
                encodeBinary(target.schema, encoders, row, ord++);
                if (bytes.size() >= bufferChars) {
                    send();
                }
            } else {
                encode(target.schema, row, ord++);
                if (text.length() >= bufferChars) {
                    send();
                }
            }
        }
        endCopy();
        execute(
                switch (merge) {
                    case APPEND -> target.appendFromStage();
                    case UPSERT -> target.upsertFromStage();
                    case INSERT_MISSING -> target.insertMissingFromStage();
                });
        target.merged(rows.size());
    }

    private void ensureStage(TargetTable target) throws SQLException {
        if (target.stage() == null) {
            execute(target.createStage("siphon_stage_" + (++stages)));
        } else if (target.stageHoldsRows()) {
            execute(target.emptyStage());
        }
    }

    /** Adds a data change to its table's held changes (see {@link #apply}). */
    private void hold(TableSchema table, ChangeEvent.DataChange change) {
        held.computeIfAbsent(table.id(), id -> new Held(table, new ArrayList<>()))
                .changes()
                .add(change);
        heldChanges++;
    }

    /**
     * Writes the held changes of every table in the open transaction: per table, coalesced into
     * their net effect ({@link NetChanges}) over every call since the last write.
     */
    private void writeHeld() {
        if (held.isEmpty()) {
            return;
        }
        List<Held> all = List.copyOf(held.values());
        held.clear();
        heldChanges = 0;
        for (Held h : all) {
            try {
                writeNet(target(h.table()), NetChanges.of(h.table(), h.changes()));
            } catch (SQLException e) {
                throw fail(
                        PostgresErrors.translate(
                                e,
                                "applying changes to "
                                        + h.table().id()
                                        + dataErrorPlace(e, h.table(), null),
                                ErrorCode.SINK_WRITE_FAILED));
            } catch (SiphonException e) {
                throw fail(e);
            }
        }
    }

    /** Stages the net changes in one COPY, then writes them (see {@link #apply}). */
    private void writeNet(TargetTable target, NetChanges net) throws SQLException {
        if (net.isEmpty()) {
            return;
        }
        ensureStage(target);
        startCopy(target.copyChangesIntoStage(), target.binaryEncoders() != null);
        copyTable = null;
        TableSchema table = target.schema;
        int ord = 0;
        switch (net) {
            case NetChanges.Keyed keyed -> {
                for (NetChanges.PartialUpdate p : keyed.partialUpdates()) {
                    stageLine(
                            table,
                            p.row(),
                            ord++,
                            TargetTable.PARTIAL,
                            p.unchanged(),
                            p.sourceKey());
                }
                for (Row key : keyed.deletes()) {
                    stageLine(table, keyOnlyRow(table, key), ord++, TargetTable.DELETE, null, null);
                }
                for (Row row : keyed.upserts()) {
                    stageLine(table, row, ord++, TargetTable.UPSERT, null, null);
                }
                endCopy();
                if (!keyed.partialUpdates().isEmpty()) {
                    int written = executeUpdate(target.mergePartialFromStage());
                    if (written < keyed.partialUpdates().size()) {
                        warnMissingRows(target, keyed.partialUpdates().size() - written);
                    }
                }
                if (!keyed.deletes().isEmpty()) {
                    execute(target.deleteKeysFromStage());
                }
                if (!keyed.upserts().isEmpty()) {
                    execute(target.upsertChangesFromStage());
                }
            }
            case NetChanges.Keyless keyless -> {
                for (Row row : keyless.deletes()) {
                    stageLine(table, row, ord++, TargetTable.DELETE, null, null);
                }
                for (Row row : keyless.inserts()) {
                    stageLine(table, row, ord++, TargetTable.INSERT, null, null);
                }
                endCopy();
                if (!keyless.deletes().isEmpty()) {
                    int deleted = executeUpdate(target.deleteMatchingFromStage());
                    if (deleted < keyless.deletes().size()) {
                        LOG.warn(
                                "{} of {} deleted rows of {} (a table without a key) matched no"
                                        + " row at the target; expected when changes are"
                                        + " replayed after a restart, otherwise the target"
                                        + " differs from the source",
                                keyless.deletes().size() - deleted,
                                keyless.deletes().size(),
                                table.id());
                    }
                }
                if (!keyless.inserts().isEmpty()) {
                    execute(target.insertFromStage());
                }
            }
        }
        target.merged(ord);
    }

    /**
     * Warns about updates with unchanged values that were not written because their row is not at
     * the target. After a restart the engine replays changes the target already has, and a row that
     * a later change deleted or re-keyed is legitimately missing: writing the update would need
     * values the change does not carry (inserting NULLs would lose data, and failing would stop the
     * pipeline on every replay), and the replayed later changes restore the exact state. Outside a
     * replay it means the row was removed at the target behind Siphon's back.
     */
    private void warnMissingRows(TargetTable target, int missing) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(target.missingPartialSources(3))) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        LOG.warn(
                "Skipped {} updates of {} whose row is not at the target (keys {}{}): they leave"
                        + " large (TOAST) values unchanged, which the source does not resend, so"
                        + " the row cannot be rebuilt from them. Expected when changes are replayed"
                        + " after a restart and a later change deleted the row; otherwise take a"
                        + " new snapshot of the table",
                missing,
                target.schema.id(),
                String.join(", ", keys),
                missing > keys.size() ? ", ..." : "");
    }

    /** A row of the table's width holding only the key values (given in key order). */
    private static Row keyOnlyRow(TableSchema table, Row key) {
        Object[] values = new Object[table.columns().size()];
        int[] keyIndexes = table.keyIndexes();
        for (int k = 0; k < keyIndexes.length; k++) {
            values[keyIndexes[k]] = key.get(k);
        }
        return new Row(values);
    }

    /**
     * Appends one line of a change COPY: the values (unchanged ones as NULL), the position, the
     * operation, the unchanged mask and the source key (see {@link
     * TargetTable#copyChangesIntoStage}).
     */
    private void stageLine(
            TableSchema table, Row row, long ord, char op, BitSet unchanged, Row sourceKey)
            throws SQLException {
        if (copyBinary) {
            stageTuple(table, row, ord, op, unchanged, sourceKey);
            if (bytes.size() >= bufferChars) {
                send();
            }
            return;
        }
        appendValues(table, row, unchanged != null);
        text.append('\t').append(ord).append('\t').append(op).append('\t');
        if (unchanged == null) {
            text.append("\\N");
        } else {
            text.append('{');
            for (int i = 0; i < row.size(); i++) {
                text.append(i > 0 ? "," : "").append(unchanged.get(i) ? 't' : 'f');
            }
            text.append('}');
        }
        int[] keyIndexes = table.keyIndexes();
        for (int k = 0; k < keyIndexes.length; k++) {
            text.append('\t');
            appendField(
                    table,
                    table.columns().get(keyIndexes[k]),
                    sourceKey == null ? null : sourceKey.get(k));
        }
        text.append('\n');
        if (text.length() >= bufferChars) {
            send();
        }
    }

    /** {@link #stageLine} as a binary COPY tuple, with the same fields. */
    private void stageTuple(
            TableSchema table, Row row, long ord, char op, BitSet unchanged, Row sourceKey) {
        CopyBinaryEncoder.FieldEncoder[] encoders = targets.get(table.id()).binaryEncoders();
        int[] keyIndexes = table.keyIndexes();
        bytes.tuple(encoders.length + 3 + keyIndexes.length);
        appendBinaryValues(table, encoders, row, unchanged != null);
        bytes.putInt(8);
        bytes.putLong(ord);
        bytes.putInt(1);
        bytes.putByte(op);
        if (unchanged == null) {
            bytes.nullField();
        } else {
            // boolean[]: one dimension, no NULLs, element type bool (16), lower bound 1.
            int lengthAt = bytes.startField();
            bytes.putInt(1);
            bytes.putInt(0);
            bytes.putInt(16);
            bytes.putInt(row.size());
            bytes.putInt(1);
            for (int i = 0; i < row.size(); i++) {
                bytes.putInt(1);
                bytes.putByte(unchanged.get(i) ? 1 : 0);
            }
            bytes.endField(lengthAt);
        }
        for (int k = 0; k < keyIndexes.length; k++) {
            Object value = sourceKey == null ? null : sourceKey.get(k);
            binaryField(table, encoders, keyIndexes[k], value);
        }
    }

    /** Appends one row as a COPY text line; {@code ord >= 0} adds the row's batch position. */
    private void encode(TableSchema table, Row row, long ord) {
        appendValues(table, row, false);
        if (ord >= 0) {
            text.append('\t').append(ord);
        }
        text.append('\n');
    }

    /**
     * Appends a row's values as tab-separated COPY fields; {@link Unchanged#VALUE} becomes NULL
     * where allowed (the stage's mask says which columns it stands for).
     */
    private void appendValues(TableSchema table, Row row, boolean unchangedAllowed) {
        List<Column> columns = table.columns();
        checkWidth(table, row);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append('\t');
            }
            Object value = row.get(i);
            Column column = columns.get(i);
            if (value == Unchanged.VALUE) {
                if (!unchangedAllowed) {
                    throw unchangedInPlainWrite(table, column);
                }
                value = null;
            }
            appendField(table, column, value);
        }
    }

    private static void checkWidth(TableSchema table, Row row) {
        if (row.size() != table.columns().size()) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "a row for "
                            + table.id()
                            + " has "
                            + row.size()
                            + " values but the table has "
                            + table.columns().size()
                            + " columns");
        }
    }

    private static SiphonException unchangedInPlainWrite(TableSchema table, Column column) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "column "
                        + column.name()
                        + " of "
                        + table.id()
                        + " is marked unchanged in a plain write; only updates may leave values"
                        + " unchanged");
    }

    /**
     * Appends one row as a binary COPY tuple; {@code ord >= 0} adds the row's batch position as an
     * int8 field.
     */
    private void encodeBinary(
            TableSchema table, CopyBinaryEncoder.FieldEncoder[] encoders, Row row, long ord) {
        bytes.tuple(ord >= 0 ? encoders.length + 1 : encoders.length);
        appendBinaryValues(table, encoders, row, false);
        if (ord >= 0) {
            bytes.putInt(8);
            bytes.putLong(ord);
        }
    }

    /**
     * Appends a row's values as binary COPY fields; {@link Unchanged#VALUE} becomes NULL where
     * allowed, as in {@link #appendValues}.
     */
    private void appendBinaryValues(
            TableSchema table,
            CopyBinaryEncoder.FieldEncoder[] encoders,
            Row row,
            boolean unchangedAllowed) {
        checkWidth(table, row);
        for (int i = 0; i < encoders.length; i++) {
            Object value = row.get(i);
            if (value == Unchanged.VALUE) {
                if (!unchangedAllowed) {
                    throw unchangedInPlainWrite(table, table.columns().get(i));
                }
                value = null;
            }
            binaryField(table, encoders, i, value);
        }
    }

    private void binaryField(
            TableSchema table, CopyBinaryEncoder.FieldEncoder[] encoders, int i, Object value) {
        if (value == null) {
            bytes.nullField();
            return;
        }
        try {
            encoders[i].write(bytes, value);
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw invalidValue(table, table.columns().get(i), value, e);
        }
    }

    private void appendField(TableSchema table, Column column, Object value) {
        try {
            CopyTextEncoder.appendField(text, value, column.type());
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw invalidValue(table, column, value, e);
        }
    }

    private static SiphonException invalidValue(
            TableSchema table, Column column, Object value, RuntimeException e) {
        if (e instanceof ClassCastException) {
            return new SiphonException(
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
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "column "
                        + column.name()
                        + " of "
                        + table.id()
                        + " got a value PostgreSQL cannot store as "
                        + column.type()
                        + ": "
                        + e.getMessage(),
                e);
    }

    private void send() throws SQLException {
        if (copyBinary) {
            if (bytes.size() > 0) {
                copy.writeToCopy(bytes.array(), 0, bytes.size());
                bytes.clear();
            }
            return;
        }
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
        TableSchema appended = appendSchema;
        try {
            if (copyBinary) {
                bytes.trailer();
            }
            send();
            copy.endCopy();
        } catch (SQLException e) {
            if (appended == null) {
                throw e;
            }
            // A COPY straight into a table reports a refused value only when it ends: name the
            // table, column and key here, where they are still known.
            failedTable = appended.id();
            throw fail(
                    PostgresErrors.translate(
                            e,
                            "writing to "
                                    + appended.id()
                                    + dataErrorPlace(e, appended, appendedKeys),
                            ErrorCode.SINK_WRITE_FAILED));
        } finally {
            appendSchema = null;
            appendedKeys.clear();
            copy = null;
            copyTable = null;
            copyBinary = false;
            text.setLength(0);
            bytes.clear();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private int executeUpdate(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate(sql);
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
        copyBinary = false;
        text.setLength(0);
        bytes.clear();
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the failure is reported either way.
        }
        targets.values().forEach(TargetTable::forgetStage);
        held.clear();
        heldChanges = 0;
        ledger.rolledBack();
        failure = e;
        return e;
    }
}
