package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.types.BinaryDecoders;
import io.siphon.connector.postgres.types.ValueDecoder;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads one split with {@code COPY (SELECT ... WHERE <range>) TO STDOUT (FORMAT binary)} on its own
 * connection, in a REPEATABLE READ transaction that adopts the run's exported snapshot, and hands
 * out the rows in batches. Pull-based: the server is read only as fast as {@link #next()} is
 * called.
 */
public final class CopySplitReader implements SplitReader {

    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f-]+");

    private final Connection connection;
    private final CopyOut copy;
    private final CopyBinaryStream stream;
    private final TableSchema table;
    private final SnapshotSplit split;
    private final int batchRows;
    private final String ownSnapshot;
    private boolean done;

    private CopySplitReader(
            Connection connection,
            CopyOut copy,
            CopyBinaryStream stream,
            TableSchema table,
            SnapshotSplit split,
            int batchRows,
            String ownSnapshot) {
        this.connection = connection;
        this.copy = copy;
        this.stream = stream;
        this.table = table;
        this.split = split;
        this.batchRows = batchRows;
        this.ownSnapshot = ownSnapshot;
    }

    /**
     * Connects, adopts the snapshot and starts the COPY.
     *
     * @param snapshotId the exported snapshot to read at, or null to read at a snapshot of this
     *     transaction's own
     * @throws SiphonException {@link ErrorCode#POSITION_LOST} when the snapshot no longer exists
     *     (its read point was closed), other codes per {@link PostgresErrors}
     */
    public static CopySplitReader open(
            PostgresEndpoint endpoint,
            TableSchema table,
            SnapshotSplit split,
            String snapshotId,
            int batchRows) {
        if (snapshotId != null && !SNAPSHOT_ID.matcher(snapshotId).matches()) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "'" + snapshotId + "' is not a PostgreSQL snapshot id");
        }
        String sql = copySql(table, split);
        Connection c = endpoint.connect();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            String ownSnapshot = null;
            if (snapshotId != null) {
                adoptSnapshot(s, snapshotId, split);
            } else {
                // The transaction's first statement takes its snapshot, which the COPY then uses.
                try (ResultSet rs =
                        s.executeQuery("SELECT pg_catalog.pg_current_snapshot()::text")) {
                    rs.next();
                    ownSnapshot = rs.getString(1);
                }
            }
            CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            ValueDecoder[] decoders = new ValueDecoder[table.columns().size()];
            String[] names = new String[decoders.length];
            for (int i = 0; i < decoders.length; i++) {
                Column column = table.columns().get(i);
                decoders[i] = BinaryDecoders.forType(column.type());
                names[i] = table.id() + "." + column.name();
            }
            return new CopySplitReader(
                    c,
                    copy,
                    new CopyBinaryStream(copy, decoders, names),
                    table,
                    split,
                    Math.max(1, batchRows),
                    ownSnapshot);
        } catch (SQLException e) {
            PostgresEndpoint.closeQuietly(c);
            throw PostgresErrors.translate(e, "starting to read split " + split.id());
        } catch (RuntimeException e) {
            PostgresEndpoint.closeQuietly(c);
            throw e;
        }
    }

    /**
     * The snapshot the split is read at, as {@code pg_current_snapshot()} gives it ({@code
     * xmin:xmax:xip,...}), when the reader took its own; null when it adopted an exported one.
     */
    public String ownSnapshot() {
        return ownSnapshot;
    }

    private static void adoptSnapshot(Statement s, String snapshotId, SnapshotSplit split)
            throws SQLException {
        try {
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotId + "'");
        } catch (SQLException e) {
            // 42704: the snapshot is gone (its transaction ended); 22023: the id is malformed.
            if ("42704".equals(e.getSQLState()) || "22023".equals(e.getSQLState())) {
                throw new SiphonException(
                        ErrorCode.POSITION_LOST,
                        "Snapshot "
                                + snapshotId
                                + " no longer exists, so split "
                                + split.id()
                                + " cannot be read at the run's read point (the read point was"
                                + " closed or its connection dropped); the snapshot must be"
                                + " taken again",
                        e);
            }
            throw e;
        }
    }

    /** The COPY statement for a split. */
    static String copySql(TableSchema table, SnapshotSplit split) {
        List<String> select = new ArrayList<>(table.columns().size());
        for (Column column : table.columns()) {
            select.add(
                    BinaryDecoders.selectExpression(SqlText.quote(column.name()), column.type()));
        }
        return "COPY (SELECT "
                + String.join(", ", select)
                + " FROM "
                + SqlText.quote(table.id())
                + " WHERE "
                + SplitBounds.predicate(table, split)
                + ") TO STDOUT (FORMAT binary)";
    }

    @Override
    public RowBatch next() {
        if (done) {
            return null;
        }
        List<Row> rows = new ArrayList<>(Math.min(batchRows, 4_096));
        try {
            while (rows.size() < batchRows) {
                Row row = stream.next();
                if (row == null) {
                    done = true;
                    connection.commit();
                    break;
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "reading split " + split.id(), ErrorCode.CONNECTION_LOST);
        }
        return rows.isEmpty() ? null : new RowBatch(table.id(), rows);
    }

    @Override
    public void close() {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // Closing the connection below abandons the COPY just as well.
            }
        }
        PostgresEndpoint.closeQuietly(connection);
    }
}
