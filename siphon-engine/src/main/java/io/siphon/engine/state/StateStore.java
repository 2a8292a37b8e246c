package io.siphon.engine.state;

import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of pipelines in an H2 database file ({@code state.mv.db}) under the state
 * directory. Several {@code StateStore}s of one JVM may be open on the same directory (the
 * pipeline's writers record finished chunks through their own); each call is its own transaction.
 *
 * <p>A snapshot is one complete copy of a pipeline's tables; it may take several runs (after a
 * crash or a stop). Chunks are planned once per snapshot and table, so a resumed run reads exactly
 * the unfinished ranges again.
 */
public final class StateStore implements AutoCloseable {

    private static final String SCHEMA =
            """
            CREATE TABLE IF NOT EXISTS snapshot (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                pipeline VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                completed_at TIMESTAMP WITH TIME ZONE);
            CREATE TABLE IF NOT EXISTS chunk (
                snapshot_id BIGINT NOT NULL,
                source_schema VARCHAR NOT NULL,
                source_table VARCHAR NOT NULL,
                idx INT NOT NULL,
                kind VARCHAR NOT NULL,
                lower_bound VARCHAR,
                upper_bound VARCHAR,
                estimated_rows BIGINT NOT NULL,
                status VARCHAR NOT NULL,
                rows_written BIGINT NOT NULL DEFAULT 0,
                reads INT NOT NULL DEFAULT 0,
                done_in_run BIGINT NOT NULL DEFAULT 0,
                finished_at TIMESTAMP WITH TIME ZONE,
                PRIMARY KEY (snapshot_id, source_schema, source_table, idx));
            CREATE TABLE IF NOT EXISTS stream_offset (
                pipeline VARCHAR PRIMARY KEY,
                connector_type VARCHAR NOT NULL,
                offset_json VARCHAR NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL);
            CREATE TABLE IF NOT EXISTS run (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                pipeline VARCHAR NOT NULL,
                snapshot_id BIGINT NOT NULL,
                status VARCHAR NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                ended_at TIMESTAMP WITH TIME ZONE,
                error_code VARCHAR,
                error_message VARCHAR);
            """;

    private final Connection connection;
    private final Path dir;

    private StateStore(Connection connection, Path dir) {
        this.connection = connection;
        this.dir = dir;
    }

    /**
     * Opens (and creates if needed) the store under a directory.
     *
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the directory cannot be
     *     written or the file is locked by another process
     */
    public static StateStore open(Path stateDir) {
        Path dir = stateDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot create state directory "
                            + dir
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); choose a writable --state-dir",
                    e);
        }
        // WRITE_DELAY=0: a commit reaches the file before it returns. The engine acts on what it
        // stored (it tells the source to release changes after storing their position), so a
        // record lost in a crash a moment later could lose data.
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while a
        // stopping run (Ctrl-C) still records its last finished chunks.
        String url =
                "jdbc:h2:file:"
                        + dir.resolve("state")
                        + ";DB_CLOSE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        try {
            Connection c = DriverManager.getConnection(url, "siphon", "");
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            }
            return new StateStore(c, dir);
        } catch (SQLException e) {
            throw failure("open the state store in " + dir, e);
        }
    }

    /** The directory of the store. */
    public Path directory() {
        return dir;
    }

    /** The latest snapshot of a pipeline that is not complete, if any. */
    public Optional<Long> unfinishedSnapshot(String pipeline) {
        return queryLong(
                "SELECT MAX(id) FROM snapshot WHERE pipeline = ? AND status = 'RUNNING'", pipeline);
    }

    /** Whether a pipeline has completed a snapshot. */
    public boolean hasCompletedSnapshot(String pipeline) {
        return queryLong(
                        "SELECT MAX(id) FROM snapshot WHERE pipeline = ? AND status = 'COMPLETED'",
                        pipeline)
                .isPresent();
    }

    /** Starts a new snapshot of a pipeline and returns its id. */
    public long newSnapshot(String pipeline) {
        return insertReturningId(
                "INSERT INTO snapshot (pipeline, status, started_at) VALUES (?, 'RUNNING', ?)",
                pipeline,
                Timestamp.from(Instant.now()));
    }

    /** Marks a snapshot complete. */
    public void completeSnapshot(long snapshotId) {
        update(
                "UPDATE snapshot SET status = 'COMPLETED', completed_at = ? WHERE id = ?",
                Timestamp.from(Instant.now()),
                snapshotId);
    }

    /** Stores the planned chunks of one table, all pending, in one transaction. */
    public void addChunks(long snapshotId, List<SnapshotSplit> splits) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps =
                            connection.prepareStatement(
                                    "INSERT INTO chunk (snapshot_id, source_schema, source_table,"
                                            + " idx, kind, lower_bound, upper_bound, estimated_rows,"
                                            + " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')")) {
                        for (SnapshotSplit s : splits) {
                            ps.setLong(1, snapshotId);
                            ps.setString(2, s.table().schema());
                            ps.setString(3, s.table().table());
                            ps.setInt(4, s.index());
                            ps.setString(5, s.kind());
                            ps.setString(6, s.lower());
                            ps.setString(7, s.upper());
                            ps.setLong(8, s.estimatedRows());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                });
    }

    /** Every chunk of a snapshot, by table and index. */
    public List<ChunkRecord> chunks(String pipeline, long snapshotId) {
        List<ChunkRecord> out = new ArrayList<>();
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT source_schema, source_table, idx, kind, lower_bound, upper_bound,"
                                + " estimated_rows, status, rows_written, reads, done_in_run,"
                                + " finished_at FROM chunk WHERE snapshot_id = ? ORDER BY"
                                + " source_schema, source_table, idx")) {
            ps.setLong(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SnapshotSplit split =
                            new SnapshotSplit(
                                    TableId.of(rs.getString(1), rs.getString(2)),
                                    rs.getInt(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getLong(7));
                    Timestamp finished = rs.getTimestamp(12);
                    out.add(
                            new ChunkRecord(
                                    pipeline,
                                    split,
                                    ChunkStatus.valueOf(rs.getString(8)),
                                    rs.getLong(9),
                                    rs.getInt(10),
                                    rs.getLong(11),
                                    finished == null ? null : finished.toInstant()));
                }
            }
        } catch (SQLException e) {
            throw failure("read the chunks of " + pipeline, e);
        }
        return out;
    }

    /** Every chunk of the pipeline's latest snapshot; empty when it never ran. */
    public List<ChunkRecord> chunks(String pipeline) {
        return queryLong("SELECT MAX(id) FROM snapshot WHERE pipeline = ?", pipeline)
                .map(id -> chunks(pipeline, id))
                .orElse(List.of());
    }

    /** Counts a reader starting a chunk. */
    public void chunkRead(long snapshotId, SnapshotSplit split) {
        update(
                "UPDATE chunk SET reads = reads + 1 WHERE snapshot_id = ? AND source_schema = ?"
                        + " AND source_table = ? AND idx = ?",
                snapshotId,
                split.table().schema(),
                split.table().table(),
                split.index());
    }

    /** Marks a chunk done: its rows are durable at the target. */
    public void chunkDone(long snapshotId, SnapshotSplit split, long rows, long runId) {
        update(
                "UPDATE chunk SET status = 'DONE', rows_written = ?, done_in_run = ?, finished_at"
                        + " = ? WHERE snapshot_id = ? AND source_schema = ? AND source_table = ?"
                        + " AND idx = ?",
                rows,
                runId,
                Timestamp.from(Instant.now()),
                snapshotId,
                split.table().schema(),
                split.table().table(),
                split.index());
    }

    /**
     * Stores the position a pipeline's stream resumes from. Called only with positions whose
     * changes are durable at the target.
     */
    public void saveOffset(String pipeline, String connectorType, String offsetJson) {
        update(
                "MERGE INTO stream_offset (pipeline, connector_type, offset_json, updated_at) KEY"
                        + " (pipeline) VALUES (?, ?, ?, ?)",
                pipeline,
                connectorType,
                offsetJson,
                Timestamp.from(Instant.now()));
    }

    /** The stored stream position of a pipeline, as its connector's JSON. */
    public Optional<String> offset(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT offset_json FROM stream_offset WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the stream position of " + pipeline, e);
        }
    }

    /** Forgets a pipeline's stream position (before a new snapshot+stream). */
    public void deleteOffset(String pipeline) {
        update("DELETE FROM stream_offset WHERE pipeline = ?", pipeline);
    }

    /**
     * Gives up all of a pipeline's snapshots, finished or not, so that the next run copies every
     * table anew.
     */
    public void abandonSnapshots(String pipeline) {
        update(
                "UPDATE snapshot SET status = 'ABANDONED' WHERE pipeline = ? AND status IN"
                        + " ('RUNNING', 'COMPLETED')",
                pipeline);
    }

    /** The tables a completed snapshot of the pipeline has copied. */
    public java.util.Set<TableId> snapshottedTables(String pipeline) {
        java.util.Set<TableId> out = new java.util.TreeSet<>();
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT DISTINCT c.source_schema, c.source_table FROM chunk c JOIN snapshot"
                                + " s ON s.id = c.snapshot_id WHERE s.pipeline = ? AND s.status ="
                                + " 'COMPLETED'")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the snapshotted tables of " + pipeline, e);
        }
        return out;
    }

    /** Removes everything stored about a pipeline: snapshots, chunks, position and runs. */
    public void forget(String pipeline) {
        inTransaction(
                () -> {
                    for (String sql :
                            List.of(
                                    "DELETE FROM chunk WHERE snapshot_id IN (SELECT id FROM"
                                            + " snapshot WHERE pipeline = ?)",
                                    "DELETE FROM snapshot WHERE pipeline = ?",
                                    "DELETE FROM stream_offset WHERE pipeline = ?",
                                    "DELETE FROM run WHERE pipeline = ?")) {
                        try (PreparedStatement ps = connection.prepareStatement(sql)) {
                            ps.setString(1, pipeline);
                            ps.executeUpdate();
                        }
                    }
                });
    }

    /** Records the start of a run and returns its id. */
    public long startRun(String pipeline, long snapshotId) {
        return insertReturningId(
                "INSERT INTO run (pipeline, snapshot_id, status, started_at) VALUES (?, ?,"
                        + " 'RUNNING', ?)",
                pipeline,
                snapshotId,
                Timestamp.from(Instant.now()));
    }

    /** Records the end of a run. */
    public void endRun(long runId, String status, String errorCode, String errorMessage) {
        update(
                "UPDATE run SET status = ?, ended_at = ?, error_code = ?, error_message = ? WHERE"
                        + " id = ?",
                status,
                Timestamp.from(Instant.now()),
                errorCode,
                errorMessage,
                runId);
    }

    /** Every run of a pipeline, oldest first. */
    public List<RunRecord> runs(String pipeline) {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT id, snapshot_id, status, started_at, ended_at, error_code,"
                                + " error_message FROM run WHERE pipeline = ? ORDER BY id")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp ended = rs.getTimestamp(5);
                    out.add(
                            new RunRecord(
                                    rs.getLong(1),
                                    pipeline,
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getTimestamp(4).toInstant(),
                                    ended == null ? null : ended.toInstant(),
                                    rs.getString(6),
                                    rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the runs of " + pipeline, e);
        }
        return out;
    }

    /** Rows written per table of a snapshot so far (done chunks only). */
    public Map<TableId, Long> rowsWritten(long snapshotId) {
        Map<TableId, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT source_schema, source_table, SUM(rows_written) FROM chunk WHERE"
                                + " snapshot_id = ? AND status = 'DONE' GROUP BY source_schema,"
                                + " source_table")) {
            ps.setLong(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(TableId.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw failure("read progress", e);
        }
        return out;
    }

    /**
     * A name for a snapshot that no other snapshot of any pipeline's life gets, even after this
     * store was deleted and its ids started again: the id and the moment it started. Sinks key the
     * chunks they committed by it.
     */
    public String snapshotKey(long snapshotId) {
        long startedMillis =
                queryLong(
                                "SELECT CAST(EXTRACT(EPOCH FROM started_at) * 1000 AS BIGINT)"
                                        + " FROM snapshot WHERE id = ?",
                                snapshotId)
                        .orElseThrow(
                                () ->
                                        new SiphonException(
                                                ErrorCode.INTERNAL_ERROR,
                                                "snapshot "
                                                        + snapshotId
                                                        + " is not in the state store"));
        return snapshotId + "@" + startedMillis;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close the state store", e);
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private synchronized void inTransaction(SqlWork work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write the state store", e);
        }
    }

    private synchronized void update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write the state store", e);
        }
    }

    private synchronized long insertReturningId(String sql, Object... args) {
        try (PreparedStatement ps =
                connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("write the state store", e);
        }
    }

    private synchronized Optional<Long> queryLong(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(v);
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the state store", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static SiphonException failure(String what, SQLException e) {
        String hint =
                e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                        ? "; another siphon process uses this state directory: stop it or choose"
                                + " another --state-dir"
                        : "";
        return new SiphonException(
                ErrorCode.STATE_STORE_FAILED,
                "could not " + what + ": " + e.getMessage() + hint,
                e);
    }
}
