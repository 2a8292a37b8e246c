package io.siphon.connector.support.change;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pipeline has committed at a SQL target, kept at the target and written in the writer's
 * transaction, so that it is committed exactly when the rows are: the exactly-once half of a
 * transactional sink writer, shared by every JDBC sink. Two tables in the target's {@code siphon}
 * schema (or database), which the connector creates before the writer's first transaction:
 *
 * <ul>
 *   <li>{@code siphon.applied_position}: per pipeline and target table, the place ({@link
 *       ChangeOrder}) of the last change applied. A replay skips the changes at or before it.
 *   <li>{@code siphon.applied_chunk}: per pipeline, snapshot and chunk, that the chunk's rows are
 *       all written, with how many. A resumed snapshot does not write such a chunk again.
 * </ul>
 *
 * A ledger without a pipeline records nothing and lets every change through, so a writer keeps one
 * either way. The methods named as {@link io.siphon.spi.SinkWriter}'s answer for the writer,
 * failing as it fails ({@link Failure}). Used by one writer thread, over its connection.
 */
public final class AppliedLedger {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedLedger.class);

    /**
     * The SQL in which targets differ.
     *
     * @param tablesExist a query whose one row and column is true when both tables exist
     * @param upsertPosition an insert into {@code siphon.applied_position} of {@code (pipeline,
     *     target_table, commit_position, change_index)} that replaces the row of the same pipeline
     *     and table
     * @param rowsColumn the column {@code rows} of {@code siphon.applied_chunk}, quoted as the
     *     target needs
     */
    public record Sql(String tablesExist, String upsertPosition, String rowsColumn) {}

    /** Writes what the writer holds, so that the ledger reads and records after it. */
    @FunctionalInterface
    public interface HeldWrites {
        /** Writes them in the writer's open transaction. */
        void write() throws SQLException;
    }

    /** How the writer fails: rolls back, remembers the failure, returns it for throwing. */
    @FunctionalInterface
    public interface Failure {
        /**
         * The writer's failure for an error of the ledger.
         *
         * @param doing what failed, as "reading the chunks applied to host:port"
         */
        SiphonException failed(SQLException e, String doing);
    }

    private final Connection connection;
    private final String pipeline;
    private final Sql sql;
    private final String address;
    private final HeldWrites heldWrites;
    private final Failure failure;
    private final AppliedPositions positions = new AppliedPositions(this::committed);
    private final Map<TableId, String> snapshots = new HashMap<>();
    private final Map<TableId, Boolean> keylessAppends = new HashMap<>();

    /**
     * The ledger of {@code pipeline} over a writer's connection, whose tables exist.
     *
     * @param pipeline the pipeline, or null for a writer that records nothing
     * @param address the target's address, for messages
     * @param heldWrites what the writer does before the ledger reads or records a chunk
     * @param failure how the writer fails when the ledger cannot read or record
     */
    public AppliedLedger(
            Connection connection,
            String pipeline,
            Sql sql,
            String address,
            HeldWrites heldWrites,
            Failure failure) {
        this.connection = connection;
        this.pipeline = pipeline;
        this.sql = sql;
        this.address = address;
        this.heldWrites = heldWrites;
        this.failure = failure;
    }

    /** Whether both tables exist at the target. */
    public static boolean tablesExist(Connection connection, Sql sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql.tablesExist())) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Deletes a pipeline's rows from both tables in one transaction, over an auto-commit
     * connection; returns how many went. Nothing when the tables were never created.
     */
    public static long forget(Connection connection, String pipeline, Sql sql) throws SQLException {
        if (!tablesExist(connection, sql)) {
            return 0;
        }
        connection.setAutoCommit(false);
        try (PreparedStatement positions =
                        connection.prepareStatement(
                                "DELETE FROM siphon.applied_position WHERE pipeline = ?");
                PreparedStatement chunks =
                        connection.prepareStatement(
                                "DELETE FROM siphon.applied_chunk WHERE pipeline = ?")) {
            positions.setString(1, pipeline);
            chunks.setString(1, pipeline);
            long removed = positions.executeUpdate() + chunks.executeUpdate();
            connection.commit();
            return removed;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** True when the ledger keeps a pipeline's records: {@link io.siphon.spi.SinkWriter}'s. */
    public boolean exactlyOnce() {
        return pipeline != null;
    }

    /**
     * Whether the chunk's rows were committed by an earlier run ({@link
     * io.siphon.spi.SinkWriter#chunkApplied}); what the writer holds is written first. Notes the
     * table's snapshot for {@link #appendsKeyless}.
     */
    public boolean chunkApplied(String snapshot, SnapshotSplit split, TableSchema table) {
        if (pipeline == null) {
            return false;
        }
        snapshots.put(table.id(), snapshot);
        try {
            heldWrites.write();
            try (PreparedStatement ps =
                    connection.prepareStatement(
                            "SELECT 1 FROM siphon.applied_chunk"
                                    + " WHERE pipeline = ? AND snapshot = ? AND chunk = ?")) {
                ps.setString(1, pipeline);
                ps.setString(2, snapshot);
                ps.setString(3, split.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        } catch (SQLException e) {
            throw failure.failed(e, "reading the chunks applied to " + address);
        }
    }

    /**
     * Records in the open transaction that the chunk's rows are all written ({@link
     * io.siphon.spi.SinkWriter#chunkDone}); what the writer holds is written first.
     */
    public void chunkDone(String snapshot, SnapshotSplit split, TableSchema table, long rows) {
        if (pipeline == null) {
            return;
        }
        try {
            heldWrites.write();
            try (PreparedStatement ps =
                    connection.prepareStatement(
                            "INSERT INTO siphon.applied_chunk (pipeline, snapshot, chunk,"
                                    + " target_table, "
                                    + sql.rowsColumn()
                                    + ") VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, pipeline);
                ps.setString(2, snapshot);
                ps.setString(3, split.id());
                ps.setString(4, table.id().toString());
                ps.setLong(5, rows);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure.failed(e, "recording chunk " + split.id() + " at " + address);
        }
    }

    /**
     * Whether rows of a table without a key are appended as they are: only when the ledger keeps a
     * pipeline and the table holds exactly the rows of the snapshot's committed chunks, so every
     * row that comes is from a chunk not committed yet (identical rows then stay as many as at the
     * source). Otherwise an earlier run may have written them, and only missing rows should be
     * inserted. Decided at the table's first write and kept until a rollback; both counts are read
     * in one statement, so they see the same committed state.
     *
     * @param quotedTable the table's name as the target's SQL needs it
     */
    public boolean appendsKeyless(TableSchema table, String quotedTable) throws SQLException {
        Boolean append = keylessAppends.get(table.id());
        if (append == null) {
            String snapshot = snapshots.get(table.id());
            append =
                    pipeline != null
                            && snapshot != null
                            && holdsOnlyChunksOf(snapshot, table.id(), quotedTable);
            keylessAppends.put(table.id(), append);
        }
        return append;
    }

    private boolean holdsOnlyChunksOf(String snapshot, TableId target, String quotedTarget)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT (SELECT COUNT(*) FROM "
                                + quotedTarget
                                + ") = (SELECT COALESCE(SUM("
                                + sql.rowsColumn()
                                + "), 0) FROM siphon.applied_chunk"
                                + " WHERE pipeline = ? AND snapshot = ? AND target_table = ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, snapshot);
            ps.setString(3, target.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The changes of a table after the last one applied (committed, or in this transaction), and
     * notes the last of them as applied in this transaction; {@link #record()} writes it. Without a
     * pipeline, all of them.
     */
    public List<ChangeEvent> fresh(TableId table, List<ChangeEvent> changes) throws SQLException {
        if (pipeline == null) {
            return changes;
        }
        List<ChangeEvent> fresh = positions.fresh(table, changes);
        if (fresh.size() < changes.size()) {
            LOG.debug(
                    "Skipped {} replayed changes of {} that the target already has",
                    changes.size() - fresh.size(),
                    table);
        }
        return fresh;
    }

    /** The place of the last change committed to a table, read from the target; null when none. */
    private ChangeOrder committed(TableId table) throws SQLException {
        ChangeOrder order = null;
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT commit_position, change_index FROM siphon.applied_position"
                                + " WHERE pipeline = ? AND target_table = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, table.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    order = new ChangeOrder(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return order;
    }

    /** Writes the places noted since the last commit; called just before committing. */
    public void record() throws SQLException {
        Map<TableId, ChangeOrder> unrecorded = positions.unrecorded();
        if (unrecorded.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.upsertPosition())) {
            for (Map.Entry<TableId, ChangeOrder> e : unrecorded.entrySet()) {
                ps.setString(1, pipeline);
                ps.setString(2, e.getKey().toString());
                // The commit position may be unsigned; its bits go as they are and come back so.
                ps.setLong(3, e.getValue().commit());
                ps.setLong(4, e.getValue().index());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        positions.recorded();
    }

    /** Forgets what was noted in a transaction that was rolled back. */
    public void rolledBack() {
        positions.rolledBack();
        keylessAppends.clear();
    }
}
