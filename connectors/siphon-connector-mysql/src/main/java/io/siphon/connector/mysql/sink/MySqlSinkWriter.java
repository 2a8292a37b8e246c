package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlErrors;
import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.support.change.AppliedLedger;
import io.siphon.connector.support.change.NetChanges;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows over one connection in one open InnoDB transaction, committed by {@link #flush()}.
 *
 * <ul>
 *   <li>{@link WriteMode#BULK_APPEND}: one {@code LOAD DATA LOCAL INFILE} per batch from a stream
 *       the rows are encoded into as the driver reads it ({@link LoadData}; no file), unless the
 *       sink's {@link BulkLoad} says inserts: then multi-row {@code INSERT}s of up to {@code
 *       batch-rows} rows (and about {@value #MAX_STATEMENT_BYTES} bytes) each. A load that changed
 *       a value (the server only warns during {@code LOAD DATA LOCAL}) fails with {@link
 *       ErrorCode#DATA_INVALID}.
 *   <li>{@link WriteMode#UPSERT}: the same with {@code ON DUPLICATE KEY UPDATE} for tables with a
 *       key; for tables without one, each row is inserted only when no identical row is there.
 *   <li>{@link #apply}: changes are held until the flush, coalesced per key over every call since
 *       the last one ({@link NetChanges}), and written per table as updates that keep unchanged
 *       values, deletes by key ({@code DELETE ... WHERE key IN (...)}), and upserts; a truncate is
 *       a {@code DELETE} of every row, since MySQL's {@code TRUNCATE} would commit the open
 *       transaction.
 *   <li>{@link #applySchemaChange}: the open transaction is committed first, since MySQL commits
 *       before and after every DDL statement; then {@link MySqlSchemaApplier}.
 * </ul>
 *
 * <p>A writer opened for a pipeline keeps its {@link AppliedLedger} (in the tables of {@link
 * MySqlLedger}) in the same transaction as the rows. After a failed write the transaction is rolled
 * back and the writer refuses further work: the caller closes it and writes again from its last
 * flushed point. Row values are never logged.
 */
final class MySqlSinkWriter implements SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlSinkWriter.class);

    /** The most data changes held for coalescing before they are written without a flush. */
    static final int MAX_HELD_CHANGES = 32_768;

    /** Statements stay well under the server's default {@code max_allowed_packet} (16 MB). */
    static final int MAX_STATEMENT_BYTES = 4 << 20;

    private final MySqlEndpoint endpoint;
    private final Connection connection;
    private final TargetColumns columns;
    private final ServerFlavor flavor;
    private final int batchRows;
    private final ValueBinder binder;
    private final BulkLoad bulkLoad;
    private final AppliedLedger ledger;
    private final Map<TableId, Held> held = new LinkedHashMap<>();
    private int heldChanges;
    private SiphonException failure;

    /** Whether the server allows {@code LOAD DATA LOCAL}; null until the first load asks. */
    private Boolean localInfile;

    /** The statement of the last table loaded, kept for the next batch of that table. */
    private LoadData lastLoad;

    /** A table's held data changes and the schema they were given with. */
    private record Held(TableSchema table, List<ChangeEvent.DataChange> changes) {}

    /**
     * Opens the writer's connection.
     *
     * @param bulkLoad how the sink loads tables it created or found empty
     * @param pipeline the pipeline whose {@link AppliedLedger} the writer keeps (exactly-once), or
     *     null for a writer that records nothing
     */
    MySqlSinkWriter(
            MySqlEndpoint endpoint,
            TargetColumns columns,
            int batchRows,
            BulkLoad bulkLoad,
            String pipeline) {
        this.endpoint = endpoint;
        this.bulkLoad = bulkLoad;
        this.columns = columns;
        this.flavor = columns.types().flavor();
        this.batchRows = Math.max(1, batchRows);
        this.binder = new ValueBinder(columns.types().instantsAsTimestamp());
        this.connection = endpoint.connect();
        try {
            connection.setAutoCommit(false);
            // Writers of different tables share the ledger's tables: no gap locks between them.
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            if (pipeline != null) {
                MySqlLedger.create(connection, endpoint.address(), endpoint.user());
            }
            this.ledger =
                    new AppliedLedger(
                            connection,
                            pipeline,
                            MySqlLedger.SQL,
                            endpoint.address(),
                            this::writeHeld,
                            (e, doing) ->
                                    fail(
                                            MySqlErrors.translate(
                                                    e, doing, ErrorCode.SINK_WRITE_FAILED)));
        } catch (SQLException e) {
            MySqlEndpoint.closeQuietly(connection);
            throw MySqlErrors.translate(e, "opening a writer on " + endpoint.address());
        } catch (SiphonException e) {
            MySqlEndpoint.closeQuietly(connection);
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

    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        usable();
        if (rows.isEmpty()) {
            return;
        }
        try {
            writeHeld();
            switch (mode) {
                case BULK_APPEND -> {
                    if (!bulkLoad.loadData() || !localInfile() || !load(table, rows)) {
                        insert(table, rows, false);
                    }
                }
                case UPSERT -> {
                    if (table.hasPrimaryKey()) {
                        insert(table, rows, true);
                    } else if (ledger.appendsKeyless(table, SqlText.quote(table.id()))) {
                        insert(table, rows, false);
                    } else {
                        insertMissing(table, rows);
                    }
                }
            }
        } catch (SQLException e) {
            throw fail(
                    MySqlErrors.translate(
                            e, "writing to " + table.id(), ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    /**
     * Applies a table's changes in the writer's open transaction; {@link #flush()} commits them.
     * Data changes are held and coalesced until the flush (or until {@value #MAX_HELD_CHANGES} are
     * held), so a key changed many times between two flushes is written once. A truncate deletes
     * every row where it stands in the order; the held changes of the table before it are dropped.
     *
     * <p>A writer opened for a pipeline first drops the changes its {@link AppliedLedger} says the
     * table already has, and notes the last one it applies, which {@link #flush()} records in the
     * same transaction: a replay then changes nothing, in tables without a key too.
     */
    @Override
    public void apply(TableSchema table, List<ChangeEvent> changes) {
        usable();
        if (changes.isEmpty()) {
            return;
        }
        try {
            Held earlier = held.get(table.id());
            if (earlier != null && !earlier.table().equals(table)) {
                // Held changes were made for the table's former shape: they go out in it.
                writeHeld();
            }
            changes = ledger.fresh(table.id(), changes);
            for (ChangeEvent change : changes) {
                switch (change) {
                    case ChangeEvent.DataChange data -> hold(table, data);
                    case ChangeEvent.Truncate truncate -> {
                        Held dropped = held.remove(table.id());
                        if (dropped != null) {
                            heldChanges -= dropped.changes().size();
                        }
                        execute("DELETE FROM " + SqlText.quote(table.id()));
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
                    MySqlErrors.translate(
                            e, "applying changes to " + table.id(), ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    private void hold(TableSchema table, ChangeEvent.DataChange change) {
        held.computeIfAbsent(table.id(), id -> new Held(table, new ArrayList<>()))
                .changes()
                .add(change);
        heldChanges++;
    }

    /** Writes every held change, table by table in the order of their first change. */
    private void writeHeld() throws SQLException {
        if (held.isEmpty()) {
            return;
        }
        List<Held> tables = new ArrayList<>(held.values());
        held.clear();
        heldChanges = 0;
        for (Held h : tables) {
            writeNet(h.table(), NetChanges.of(h.table(), h.changes()));
        }
    }

    private void writeNet(TableSchema table, NetChanges net) throws SQLException {
        switch (net) {
            case NetChanges.Keyed keyed -> {
                int missing = 0;
                for (NetChanges.PartialUpdate partial : keyed.partialUpdates()) {
                    if (!updateKeepingUnchanged(table, partial)) {
                        missing++;
                    }
                }
                if (missing > 0) {
                    LOG.warn(
                            "Skipped {} updates of {} whose row is not at the target: they leave"
                                    + " large values unchanged, which the source does not resend,"
                                    + " so the row cannot be rebuilt from them. Expected when"
                                    + " changes are replayed after a restart and a later change"
                                    + " deleted the row; otherwise take a new snapshot of the"
                                    + " table",
                            missing,
                            table.id());
                }
                deleteKeys(table, keyed.deletes());
                insert(table, keyed.upserts(), true);
            }
            case NetChanges.Keyless keyless -> {
                int unmatched = 0;
                for (Row row : keyless.deletes()) {
                    unmatched += deleteOneMatching(table, row) ? 0 : 1;
                }
                if (unmatched > 0) {
                    LOG.warn(
                            "{} of {} deleted rows of {} (a table without a key) matched no row at"
                                    + " the target; expected when changes are replayed after a"
                                    + " restart, otherwise the target differs from the source",
                            unmatched,
                            keyless.deletes().size(),
                            table.id());
                }
                insert(table, keyless.inserts(), false);
            }
        }
    }

    /** Whether the server allows {@code LOAD DATA LOCAL}, asked once per writer. */
    private boolean localInfile() throws SQLException {
        if (localInfile == null) {
            localInfile = BulkLoad.serverAllows(connection);
            if (!localInfile) {
                bulkLoad.refused(endpoint.address(), "its local_infile is OFF");
            }
        }
        return localInfile;
    }

    /**
     * Loads the rows with one {@code LOAD DATA LOCAL INFILE} from a stream; false, with nothing
     * written, when the server or the driver refuses the statement (then {@link BulkLoad#refused}).
     */
    private boolean load(TableSchema table, List<Row> rows) throws SQLException {
        if (lastLoad == null || !lastLoad.table().equals(table)) {
            lastLoad = new LoadData(table);
        }
        try (Statement s = connection.createStatement()) {
            LoadData.RowStream stream = lastLoad.stream(rows, binder);
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(stream);
            long loaded;
            try {
                loaded = s.executeLargeUpdate(lastLoad.sql());
            } catch (SQLException e) {
                if (BulkLoad.refusal(e)) {
                    bulkLoad.refused(endpoint.address(), e.getMessage());
                    return false;
                }
                throw e;
            }
            if (stream.failure() != null) {
                throw stream.failure();
            }
            SQLWarning warning = s.getWarnings();
            if (warning != null || loaded != rows.size()) {
                throw altered(table, warning, loaded, rows.size());
            }
            return true;
        }
    }

    /**
     * The failure of a load the server completed with warnings: during {@code LOAD DATA LOCAL} it
     * cuts, rounds or skips what strict mode would refuse. The server's messages name the column
     * and the row of the batch.
     */
    private static SiphonException altered(
            TableSchema table, SQLWarning warning, long loaded, int sent) {
        List<String> messages = new ArrayList<>();
        for (SQLWarning w = warning; w != null && messages.size() < 3; w = w.getNextWarning()) {
            messages.add(w.getMessage());
        }
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "loading "
                        + sent
                        + " rows into "
                        + table.id()
                        + " stored "
                        + loaded
                        + (messages.isEmpty()
                                ? ""
                                : " and changed values: " + String.join("; ", messages))
                        + ". The batch is rolled back. Widen the target column (or transform the"
                        + " value); with 'bulk-load: insert' on the sink the server refuses such a"
                        + " value instead");
    }

    /**
     * Multi-row inserts of the rows, cut into statements of at most {@code batch-rows} rows and
     * about {@value #MAX_STATEMENT_BYTES} bytes; with {@code upsert}, a row whose key is there
     * replaces it (for a key-only table, the row is kept).
     */
    private void insert(TableSchema table, List<Row> rows, boolean upsert) throws SQLException {
        int from = 0;
        while (from < rows.size()) {
            int to = from;
            long bytes = 0;
            while (to < rows.size() && to - from < batchRows && bytes < MAX_STATEMENT_BYTES) {
                Row row = rows.get(to++);
                checkWidth(table, row);
                for (Object v : row.values()) {
                    bytes += ValueBinder.size(v);
                }
            }
            insertBatch(table, rows.subList(from, to), upsert);
            from = to;
        }
    }

    private void insertBatch(TableSchema table, List<Row> rows, boolean upsert)
            throws SQLException {
        List<Column> cols = table.columns();
        String tuple = "(" + "?, ".repeat(cols.size() - 1) + "?)";
        StringBuilder sql =
                new StringBuilder("INSERT INTO ")
                        .append(SqlText.quote(table.id()))
                        .append(" (")
                        .append(SqlText.quoteAll(table.columnNames()))
                        .append(") VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(tuple);
        }
        if (upsert) {
            sql.append(onDuplicateKey(table));
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (Row row : rows) {
                for (int i = 0; i < cols.size(); i++) {
                    binder.bind(ps, p++, table, cols.get(i), row.get(i));
                }
            }
            ps.executeUpdate();
        }
    }

    /**
     * {@code ON DUPLICATE KEY UPDATE} of every column outside the key ({@code VALUES(c)}, which
     * both MariaDB and MySQL 8 take; MySQL 8.0.20+ warns that it prefers a row alias, which MariaDB
     * lacks).
     */
    private static String onDuplicateKey(TableSchema table) {
        List<String> sets = new ArrayList<>();
        for (String name : table.columnNames()) {
            if (!table.primaryKey().contains(name)) {
                String q = SqlText.quote(name);
                sets.add(q + " = VALUES(" + q + ")");
            }
        }
        if (sets.isEmpty()) {
            String k = SqlText.quote(table.primaryKey().get(0));
            sets.add(k + " = " + k);
        }
        return " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
    }

    /** Deletes rows by key, many keys per statement. */
    private void deleteKeys(TableSchema table, List<Row> keys) throws SQLException {
        int width = table.primaryKey().size();
        String tuple = width == 1 ? "?" : "(" + "?, ".repeat(width - 1) + "?)";
        String lhs =
                width == 1
                        ? SqlText.quote(table.primaryKey().get(0))
                        : "(" + SqlText.quoteAll(table.primaryKey()) + ")";
        int[] keyIndexes = table.keyIndexes();
        for (int from = 0; from < keys.size(); from += batchRows) {
            List<Row> batch = keys.subList(from, Math.min(keys.size(), from + batchRows));
            StringBuilder sql =
                    new StringBuilder("DELETE FROM ")
                            .append(SqlText.quote(table.id()))
                            .append(" WHERE ")
                            .append(lhs)
                            .append(" IN (");
            for (int i = 0; i < batch.size(); i++) {
                sql.append(i > 0 ? ", " : "").append(tuple);
            }
            sql.append(')');
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Row key : batch) {
                    for (int k = 0; k < width; k++) {
                        binder.bind(ps, p++, table, table.columns().get(keyIndexes[k]), key.get(k));
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * Writes a row of which some columns keep the target's values: an {@code INSERT ... SELECT}
     * from the target row of the source key, new values as parameters and unchanged ones from that
     * row, upserted by key (the key may have changed). False when that row is not there.
     */
    private boolean updateKeepingUnchanged(TableSchema table, NetChanges.PartialUpdate partial)
            throws SQLException {
        List<Column> cols = table.columns();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            select.add(
                    partial.unchanged().get(i) ? "old." + SqlText.quote(cols.get(i).name()) : "?");
        }
        List<String> where = new ArrayList<>();
        for (String k : table.primaryKey()) {
            where.add("old." + SqlText.quote(k) + " = ?");
        }
        String sql =
                "INSERT INTO "
                        + SqlText.quote(table.id())
                        + " ("
                        + SqlText.quoteAll(table.columnNames())
                        + ") SELECT "
                        + String.join(", ", select)
                        + " FROM "
                        + SqlText.quote(table.id())
                        + " AS old WHERE "
                        + String.join(" AND ", where)
                        + onDuplicateKey(table);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int p = 1;
            for (int i = 0; i < cols.size(); i++) {
                if (!partial.unchanged().get(i)) {
                    binder.bind(ps, p++, table, cols.get(i), partial.row().get(i));
                }
            }
            int[] keyIndexes = table.keyIndexes();
            for (int k = 0; k < keyIndexes.length; k++) {
                binder.bind(ps, p++, table, cols.get(keyIndexes[k]), partial.sourceKey().get(k));
            }
            return ps.executeUpdate() > 0;
        }
    }

    /** Inserts each row of a table without a key unless an identical row is there. */
    private void insertMissing(TableSchema table, List<Row> rows) throws SQLException {
        List<Column> cols = table.columns();
        String sql =
                "INSERT INTO "
                        + SqlText.quote(table.id())
                        + " ("
                        + SqlText.quoteAll(table.columnNames())
                        + ") SELECT "
                        + "?, ".repeat(cols.size() - 1)
                        + "? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM "
                        + SqlText.quote(table.id())
                        + " WHERE "
                        + matching(table)
                        + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Row row : rows) {
                checkWidth(table, row);
                for (int i = 0; i < cols.size(); i++) {
                    binder.bind(ps, i + 1, table, cols.get(i), row.get(i));
                    binder.bind(ps, cols.size() + i + 1, table, cols.get(i), row.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /** Deletes one row identical to {@code row}; false when there is none. */
    private boolean deleteOneMatching(TableSchema table, Row row) throws SQLException {
        String sql =
                "DELETE FROM "
                        + SqlText.quote(table.id())
                        + " WHERE "
                        + matching(table)
                        + " LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < table.columns().size(); i++) {
                binder.bind(ps, i + 1, table, table.columns().get(i), row.get(i));
            }
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * A condition true for rows equal to the parameters in every column, NULLs included ({@code
     * <=>}). FLOAT parameters are cast to FLOAT (a double would never equal the stored float), and
     * JSON ones to JSON on MySQL, which compares JSON with text as unequal.
     */
    private String matching(TableSchema table) {
        List<String> parts = new ArrayList<>();
        for (Column c : table.columns()) {
            String param =
                    switch (c.type()) {
                        case DataType.Float32 f -> "CAST(? AS FLOAT)";
                        case DataType.JsonType j when flavor == ServerFlavor.MYSQL ->
                                "CAST(? AS JSON)";
                        default -> "?";
                    };
            parts.add(SqlText.quote(c.name()) + " <=> " + param);
        }
        return String.join(" AND ", parts);
    }

    /**
     * Applies a schema change with {@link MySqlSchemaApplier}. MySQL commits the open transaction
     * before any DDL, so the rows before the change and the ledger's record of them are committed
     * first, explicitly; the change itself is then durable when it returns.
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
            commit();
            TableSchema changed = new MySqlSchemaApplier(connection, columns).apply(table, change);
            connection.commit();
            return changed;
        } catch (SQLException e) {
            throw fail(
                    MySqlErrors.translate(
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
            commit();
        } catch (SQLException e) {
            throw fail(
                    MySqlErrors.translate(
                            e, "committing on " + endpoint.address(), ErrorCode.SINK_WRITE_FAILED));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    private void commit() throws SQLException {
        writeHeld();
        ledger.record();
        connection.commit();
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // Closing ends the transaction anyway.
        }
        MySqlEndpoint.closeQuietly(connection);
    }

    /** Refuses a row whose width is not the table's. */
    static void checkWidth(TableSchema table, Row row) {
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
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the failure is reported either way.
        }
        held.clear();
        heldChanges = 0;
        ledger.rolledBack();
        failure = e;
        return e;
    }
}
