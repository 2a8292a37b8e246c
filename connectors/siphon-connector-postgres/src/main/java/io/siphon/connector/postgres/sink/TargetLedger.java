package io.siphon.connector.postgres.sink;

import io.siphon.connector.support.change.AppliedPositions;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline has committed at the target, kept at the target in the {@code siphon} schema and
 * written in the writer's transaction, so that it is committed exactly when the rows are:
 *
 * <ul>
 *   <li>{@code siphon.applied_position}: per pipeline and target table, the place ({@link
 *       ChangeOrder}) of the last change applied. A replay skips the changes at or before it.
 *   <li>{@code siphon.applied_chunk}: per pipeline, snapshot and chunk, that the chunk's rows are
 *       all written, with how many. A resumed snapshot does not write such a chunk again.
 * </ul>
 *
 * The first writer of a target creates the schema and the tables (under an advisory lock, so
 * parallel writers do not race). Used by one writer thread, over the writer's connection.
 */
final class TargetLedger {

    private static final String CREATE =
            """
            CREATE SCHEMA IF NOT EXISTS siphon;
            CREATE TABLE IF NOT EXISTS siphon.applied_position (
                pipeline text NOT NULL,
                target_table text NOT NULL,
                commit_position bigint NOT NULL,
                change_index bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, target_table));
            CREATE TABLE IF NOT EXISTS siphon.applied_chunk (
                pipeline text NOT NULL,
                snapshot text NOT NULL,
                chunk text NOT NULL,
                target_table text NOT NULL,
                rows bigint NOT NULL,
                committed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, snapshot, chunk));
            """;

    /** An arbitrary constant: the advisory lock key under which the ledger is created. */
    private static final long CREATE_LOCK = 0x5369_7068_6f6e_4c64L;

    private final Connection connection;
    private final String pipeline;
    private final AppliedPositions positions = new AppliedPositions(this::committed);

    private TargetLedger(Connection connection, String pipeline) {
        this.connection = connection;
        this.pipeline = pipeline;
    }

    /**
     * The ledger of a pipeline over a writer's connection (not in a transaction yet), creating its
     * tables when missing and committing that at once.
     *
     * @throws SiphonException {@link ErrorCode#PERMISSION_DENIED} when they are missing and the
     *     user may not create them, saying what to grant
     */
    static TargetLedger open(Connection connection, String pipeline, String address)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!exists(s)) {
                s.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                s.execute(CREATE);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if ("42501".equals(e.getSQLState())) {
                throw new SiphonException(
                        ErrorCode.PERMISSION_DENIED,
                        "the sink user may not create the schema siphon on "
                                + address
                                + ", where Siphon records what it has applied; grant CREATE on"
                                + " the database, or have an administrator create it: CREATE"
                                + " SCHEMA siphon AUTHORIZATION <sink user>",
                        e);
            }
            throw e;
        }
        return new TargetLedger(connection, pipeline);
    }

    /** Whether both tables exist. */
    private static boolean exists(Statement s) throws SQLException {
        try (ResultSet rs =
                s.executeQuery(
                        "SELECT to_regclass('siphon.applied_position') IS NOT NULL AND"
                                + " to_regclass('siphon.applied_chunk') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Deletes a pipeline's rows from both tables in one transaction, over an auto-commit
     * connection; returns how many went. Nothing when the tables were never created.
     */
    static long forget(Connection connection, String pipeline) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!exists(s)) {
                return 0;
            }
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

    /**
     * The changes of a table after the last one applied (committed, or in this transaction), and
     * notes the last of them as applied in this transaction; {@link #record()} writes it.
     */
    List<ChangeEvent> fresh(TableId table, List<ChangeEvent> changes) throws SQLException {
        return positions.fresh(table, changes);
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
    void record() throws SQLException {
        Map<TableId, ChangeOrder> unrecorded = positions.unrecorded();
        if (unrecorded.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "INSERT INTO siphon.applied_position AS p (pipeline, target_table,"
                                + " commit_position, change_index) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (pipeline, target_table) DO UPDATE SET"
                                + " commit_position = EXCLUDED.commit_position,"
                                + " change_index = EXCLUDED.change_index, updated_at = now()")) {
            for (Map.Entry<TableId, ChangeOrder> e : unrecorded.entrySet()) {
                ps.setString(1, pipeline);
                ps.setString(2, e.getKey().toString());
                ps.setLong(3, e.getValue().commit());
                ps.setLong(4, e.getValue().index());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        positions.recorded();
    }

    /** Whether the chunk's rows were committed by an earlier run. */
    boolean chunkApplied(String snapshot, String chunk) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT 1 FROM siphon.applied_chunk"
                                + " WHERE pipeline = ? AND snapshot = ? AND chunk = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, snapshot);
            ps.setString(3, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records in the open transaction that the chunk's rows are all written. */
    void chunkDone(String snapshot, String chunk, TableId target, long rows) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "INSERT INTO siphon.applied_chunk (pipeline, snapshot, chunk,"
                                + " target_table, rows) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, snapshot);
            ps.setString(3, chunk);
            ps.setString(4, target.toString());
            ps.setLong(5, rows);
            ps.executeUpdate();
        }
    }

    /**
     * Whether the table holds exactly the rows of the snapshot's committed chunks, so that a chunk
     * not yet committed can be appended as it is (rows identical to others included) instead of
     * inserting only rows not there yet. Asked in one statement, so both counts see the same
     * committed state.
     */
    boolean holdsOnlyChunksOf(String snapshot, TableId target, String quotedTarget)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT (SELECT count(*) FROM "
                                + quotedTarget
                                + ") = (SELECT coalesce(sum(rows), 0) FROM siphon.applied_chunk"
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

    /** Forgets what was noted in a transaction that was rolled back. */
    void rolledBack() {
        positions.rolledBack();
    }
}
