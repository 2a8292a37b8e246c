package io.siphon.connector.mysql.snapshot;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlErrors;
import io.siphon.connector.mysql.SqlText;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads MySQL/MariaDB tables without locks: each split is a range of an integer primary key (the
 * whole table for other keys and for tables without one), read in a transaction of its own with a
 * consistent snapshot. The splits of a table are not read at one point in time; the change stream,
 * which starts before the snapshot, is replayed over them from its start, and keyed upserts make
 * the target exact (the engine's rule for a source without an exportable snapshot). Tables without
 * a key are copied between watermarks by the stream instead, with {@link #startSnapshot} and {@link
 * #readAll}.
 */
public final class MySqlSnapshotSource implements SnapshotSource {

    /** Split kind: a range {@code [lower, upper)} of a single integer primary-key column. */
    static final String INTEGER_KEY = "int-key";

    /** Split kind: the whole table. */
    static final String WHOLE = "whole";

    private final MySqlEndpoint endpoint;
    private final Supplier<Connection> catalog;
    private final boolean zeroDatesAsNull;

    /**
     * A snapshot source.
     *
     * @param endpoint where readers connect
     * @param catalog the connector's own connection, for planning (driver thread)
     * @param zeroDatesAsNull the {@code zero-dates} option: NULL rather than an error
     */
    public MySqlSnapshotSource(
            MySqlEndpoint endpoint, Supplier<Connection> catalog, boolean zeroDatesAsNull) {
        this.endpoint = endpoint;
        this.catalog = catalog;
        this.zeroDatesAsNull = zeroDatesAsNull;
    }

    /** Nothing to hold: each split reads at its own point (see the class docs). */
    @Override
    public ReadPoint openReadPoint() {
        return new ReadPoint() {
            @Override
            public String token() {
                return null;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<SnapshotSplit> planSplits(TableSchema table, int chunkRows) {
        List<SnapshotSplit> out = new ArrayList<>();
        if (table.primaryKey().size() != 1 || !integer(table.column(table.primaryKey().get(0)))) {
            out.add(new SnapshotSplit(table.id(), 0, WHOLE, null, null, -1));
            return out;
        }
        String key = SqlText.quote(table.primaryKey().get(0));
        try (Statement s = catalog.get().createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT MIN("
                                        + key
                                        + "), MAX("
                                        + key
                                        + "), COUNT(*) FROM "
                                        + SqlText.quote(table.id()))) {
            rs.next();
            long count = rs.getLong(3);
            if (count == 0) {
                out.add(new SnapshotSplit(table.id(), 0, WHOLE, null, null, 0));
                return out;
            }
            java.math.BigInteger min = rs.getBigDecimal(1).toBigIntegerExact();
            java.math.BigInteger max = rs.getBigDecimal(2).toBigIntegerExact();
            long splits = Math.max(1, (count + chunkRows - 1) / Math.max(1, chunkRows));
            java.math.BigInteger span = max.subtract(min).add(java.math.BigInteger.ONE);
            java.math.BigInteger step =
                    span.add(java.math.BigInteger.valueOf(splits - 1))
                            .divide(java.math.BigInteger.valueOf(splits))
                            .max(java.math.BigInteger.ONE);
            // First and last splits are open-ended: rows inserted below or above later are read.
            String lower = null;
            java.math.BigInteger bound = min.add(step);
            int index = 0;
            while (bound.compareTo(max) <= 0) {
                out.add(
                        new SnapshotSplit(
                                table.id(),
                                index++,
                                INTEGER_KEY,
                                lower,
                                bound.toString(),
                                count / splits));
                lower = bound.toString();
                bound = bound.add(step);
            }
            out.add(new SnapshotSplit(table.id(), index, INTEGER_KEY, lower, null, count / splits));
            return out;
        } catch (SQLException e) {
            throw MySqlErrors.translate(e, "planning the snapshot of " + table.id());
        }
    }

    private static boolean integer(Column c) {
        return switch (c.type()) {
            case DataType.Int16 i -> true;
            case DataType.Int32 i -> true;
            case DataType.Int64 i -> true;
            case DataType.UInt64 u -> true;
            default -> false;
        };
    }

    /**
     * A column as the select list reads it: dates and times as the server's text, which the driver
     * would otherwise pass through the JVM's zone (a wall clock in its daylight-saving gap moves).
     */
    private static String select(Column column) {
        String name = SqlText.quote(column.name());
        return switch (column.type()) {
            case DataType.DateType t -> "CAST(" + name + " AS CHAR)";
            case DataType.TimeType t -> "CAST(" + name + " AS CHAR)";
            case DataType.DurationType t -> "CAST(" + name + " AS CHAR)";
            case DataType.TimestampType t -> "CAST(" + name + " AS CHAR)";
            case DataType.TimestampTzType t -> "CAST(" + name + " AS CHAR)";
            default -> name;
        };
    }

    @Override
    public SplitReader openSplit(
            TableSchema table, SnapshotSplit split, String readPointToken, int batchRows) {
        Connection c = endpoint.connect();
        try {
            startSnapshot(c);
            return new Reader(
                    table, c, query(c, table, split, batchRows), batchRows, zeroDatesAsNull);
        } catch (SQLException e) {
            MySqlEndpoint.closeQuietly(c);
            throw MySqlErrors.translate(
                    e, "reading split " + split.id(), ErrorCode.CONNECTION_LOST);
        }
    }

    /**
     * Starts a read-only transaction with a consistent snapshot on {@code c}, which every later
     * read of the transaction sees (MariaDB then tells its binary log position: {@code
     * binlog_snapshot_file}/{@code binlog_snapshot_position}).
     */
    public static void startSnapshot(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
    }

    /**
     * Every row of a split, read on {@code c} as it stands (in its transaction, under its locks),
     * which stays open.
     *
     * @param zeroDatesAsNull the {@code zero-dates} option: NULL rather than an error
     */
    public static List<Row> readAll(
            Connection c, TableSchema table, SnapshotSplit split, boolean zeroDatesAsNull)
            throws SQLException {
        int batchRows = 10_000;
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = query(c, table, split, batchRows)) {
            Reader reader = new Reader(table, null, rs, batchRows, zeroDatesAsNull);
            for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    /** The split's rows as a result set read in batches of {@code batchRows}. */
    private static ResultSet query(
            Connection c, TableSchema table, SnapshotSplit split, int batchRows)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> selected = new ArrayList<>();
        for (Column column : table.columns()) {
            selected.add(select(column));
        }
        sql.append(String.join(", ", selected)).append(" FROM ").append(SqlText.quote(table.id()));
        List<String> bounds = new ArrayList<>();
        if (INTEGER_KEY.equals(split.kind())) {
            String key = SqlText.quote(table.primaryKey().get(0));
            List<String> where = new ArrayList<>();
            if (split.lower() != null) {
                where.add(key + " >= ?");
                bounds.add(split.lower());
            }
            if (split.upper() != null) {
                where.add(key + " < ?");
                bounds.add(split.upper());
            }
            if (!where.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", where));
            }
        }
        PreparedStatement ps = c.prepareStatement(sql.toString());
        for (int i = 0; i < bounds.size(); i++) {
            ps.setBigDecimal(i + 1, new java.math.BigDecimal(bounds.get(i)));
        }
        ps.setFetchSize(batchRows);
        // Closing the result set closes its statement.
        ps.closeOnCompletion();
        return ps.executeQuery();
    }

    /**
     * Reads one split's result set in batches; closes its connection, if it has one, at the end.
     */
    private static final class Reader implements SplitReader {
        private final TableSchema table;
        private final Connection connection;
        private final ResultSet rs;
        private final int batchRows;
        private final boolean zeroDatesAsNull;

        Reader(
                TableSchema table,
                Connection connection,
                ResultSet rs,
                int batchRows,
                boolean zeroDatesAsNull) {
            this.table = table;
            this.connection = connection;
            this.rs = rs;
            this.batchRows = batchRows;
            this.zeroDatesAsNull = zeroDatesAsNull;
        }

        @Override
        public RowBatch next() {
            List<Row> rows = new ArrayList<>();
            List<Column> columns = table.columns();
            try {
                while (rows.size() < batchRows && rs.next()) {
                    Object[] values = new Object[columns.size()];
                    String zero = null;
                    for (int i = 0; i < values.length; i++) {
                        Object v = JdbcValues.read(rs, i + 1, columns.get(i));
                        if (v instanceof JdbcValues.ZeroDate z) {
                            v = null;
                            if (!zeroDatesAsNull && zero == null) {
                                zero = columns.get(i).name() + " = '" + z.text() + "'";
                            }
                        }
                        values[i] = v;
                    }
                    if (zero != null) {
                        throw zeroDate(values, zero);
                    }
                    rows.add(new Row(values));
                }
            } catch (SQLException e) {
                throw MySqlErrors.translate(
                        e, "reading the snapshot of " + table.id(), ErrorCode.CONNECTION_LOST);
            }
            return rows.isEmpty() ? null : new RowBatch(table.id(), rows);
        }

        private SiphonException zeroDate(Object[] values, String what) {
            StringBuilder key = new StringBuilder();
            for (int k : table.keyIndexes()) {
                key.append(key.isEmpty() ? "" : ", ")
                        .append(table.columns().get(k).name())
                        .append(" = ")
                        .append(JdbcValues.show(values[k]));
            }
            return new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "Table "
                            + table.id()
                            + " has a zero date, "
                            + what
                            + (key.isEmpty() ? "" : ", in the row with " + key)
                            + ", which no other system can hold. Fix the row, or set the source's"
                            + " 'zero-dates: null' to carry zero dates as NULL");
        }

        @Override
        public void close() {
            if (connection != null) {
                MySqlEndpoint.closeQuietly(connection);
            }
        }
    }
}
