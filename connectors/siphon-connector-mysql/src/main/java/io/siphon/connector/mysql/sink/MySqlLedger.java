package io.siphon.connector.mysql.sink;

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
 * What a pipeline has committed at the target, kept at the target in the database {@code siphon}
 * (MySQL's databases are PostgreSQL's schemas) and written in the writer's transaction, so that it
 * is committed exactly when the rows are. The same two tables as the PostgreSQL sink keeps:
 *
 * <ul>
 *   <li>{@code siphon.applied_position}: per pipeline and target table, the place ({@link
 *       ChangeOrder}) of the last change applied. A replay skips the changes at or before it.
 *   <li>{@code siphon.applied_chunk}: per pipeline, snapshot and chunk, that the chunk's rows are
 *       all written, with how many. A resumed snapshot does not write such a chunk again.
 * </ul>
 *
 * Both are InnoDB tables, so they commit and roll back with the rows. The first writer of a target
 * creates them ({@code IF NOT EXISTS}, which concurrent writers may run together). Used by one
 * writer thread, over the writer's connection.
 */
final class MySqlLedger {

    private static final String[] CREATE = {
        "CREATE DATABASE IF NOT EXISTS siphon CHARACTER SET utf8mb4",
        // Names are case-sensitive, as the tables they name may be.
        "CREATE TABLE IF NOT EXISTS siphon.applied_position ("
                + " pipeline VARCHAR(191) NOT NULL,"
                + " target_table VARCHAR(500) NOT NULL,"
                + " commit_position BIGINT NOT NULL,"
                + " change_index BIGINT NOT NULL,"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (pipeline, target_table))"
                + " ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        "CREATE TABLE IF NOT EXISTS siphon.applied_chunk ("
                + " pipeline VARCHAR(191) NOT NULL,"
                + " snapshot VARCHAR(191) NOT NULL,"
                + " chunk VARCHAR(191) NOT NULL,"
                + " target_table VARCHAR(500) NOT NULL,"
                + " `rows` BIGINT NOT NULL,"
                + " committed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (pipeline, snapshot, chunk))"
                + " ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    };

    private final Connection connection;
    private final String pipeline;
    private final AppliedPositions positions = new AppliedPositions(this::committed);

    private MySqlLedger(Connection connection, String pipeline) {
        this.connection = connection;
        this.pipeline = pipeline;
    }

    /**
     * The ledger of a pipeline over a writer's connection, creating its tables when missing (DDL
     * commits by itself in MySQL, so this happens before the writer's first transaction).
     *
     * @throws SiphonException {@link ErrorCode#PERMISSION_DENIED} when they are missing and the
     *     user may not create them, saying what to grant
     */
    static MySqlLedger open(Connection connection, String pipeline, String address, String user)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!exists(s)) {
                for (String sql : CREATE) {
                    s.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
                throw new SiphonException(
                        ErrorCode.PERMISSION_DENIED,
                        "the sink user may not create the database siphon on "
                                + address
                                + ", where Siphon records what it has applied; have an"
                                + " administrator run: CREATE DATABASE siphon; GRANT SELECT,"
                                + " INSERT, UPDATE, DELETE, CREATE ON siphon.* TO '"
                                + user
                                + "'",
                        e);
            }
            throw e;
        }
        return new MySqlLedger(connection, pipeline);
    }

    /** Whether both tables exist. */
    private static boolean exists(Statement s) throws SQLException {
        try (ResultSet rs =
                s.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA ="
                                + " 'siphon' AND TABLE_NAME IN ('applied_position',"
                                + " 'applied_chunk')")) {
            rs.next();
            return rs.getInt(1) == 2;
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
                        "INSERT INTO siphon.applied_position (pipeline, target_table,"
                                + " commit_position, change_index) VALUES (?, ?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE"
                                + " commit_position = VALUES(commit_position),"
                                + " change_index = VALUES(change_index),"
                                + " updated_at = CURRENT_TIMESTAMP(6)")) {
            for (Map.Entry<TableId, ChangeOrder> e : unrecorded.entrySet()) {
                ps.setString(1, pipeline);
                ps.setString(2, e.getKey().toString());
                // The commit position is unsigned; its bits go as they are and come back so.
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
                                + " target_table, `rows`) VALUES (?, ?, ?, ?, ?)")) {
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
     * inserting only rows not there yet.
     */
    boolean holdsOnlyChunksOf(String snapshot, TableId target, String quotedTarget)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT (SELECT COUNT(*) FROM "
                                + quotedTarget
                                + ") = (SELECT COALESCE(SUM(`rows`), 0) FROM siphon.applied_chunk"
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
