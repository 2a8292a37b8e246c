package io.siphon.engine.state;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of pipelines in an H2 database file ({@code state.mv.db}) under the state
 * directory. Several {@code StateStore}s may be open on the same directory, in one JVM (the
 * pipeline's writers record finished chunks through their own) and in several processes (a running
 * pipeline, {@code siphon validate} or {@code drop} of another pipeline, a request to re-snapshot a
 * table): the first process serves the file to the others ({@link StateServer}), and another takes
 * over when it exits. Each call is its own transaction. What keeps two copies of one pipeline apart
 * is its {@link PipelineLock}, not the store.
 *
 * <p>A snapshot is one complete copy of a pipeline's tables; it may take several runs (after a
 * crash or a stop). Chunks are planned once per snapshot and table, so a resumed run reads exactly
 * the unfinished ranges again.
 *
 * <p>A table copy is one table copied again while the stream runs (a per-table re-snapshot). It is
 * asked for with {@link #requestTableCopy}, or, by a process that cannot open the store because a
 * running pipeline holds it, with {@link #fileTableCopyRequest} (a file in the state directory that
 * the stream moves into the store with {@link #takeFiledRequests}); the pipeline's stream picks it
 * up, plans its chunks under a snapshot of its own (status {@code TABLE_COPY}, not a pipeline
 * snapshot) and records its progress as its stream position advances.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

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
            ALTER TABLE stream_offset ADD COLUMN IF NOT EXISTS schema_history CLOB;
            ALTER TABLE stream_offset ADD COLUMN IF NOT EXISTS table_marks CLOB;
            CREATE TABLE IF NOT EXISTS run (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                pipeline VARCHAR NOT NULL,
                snapshot_id BIGINT NOT NULL,
                status VARCHAR NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                ended_at TIMESTAMP WITH TIME ZONE,
                error_code VARCHAR,
                error_message VARCHAR);
            CREATE TABLE IF NOT EXISTS table_copy (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                pipeline VARCHAR NOT NULL,
                source_schema VARCHAR NOT NULL,
                source_table VARCHAR NOT NULL,
                reason VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                snapshot_id BIGINT NOT NULL DEFAULT 0,
                requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
                finished_at TIMESTAMP WITH TIME ZONE,
                message VARCHAR);
            CREATE TABLE IF NOT EXISTS pipeline_instance (
                pipeline VARCHAR PRIMARY KEY,
                token VARCHAR NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL);
            """;

    /** The folder of the state directory where other processes file re-snapshot requests. */
    private static final String REQUESTS = "requests";

    private static final String REQUEST_SUFFIX = ".request";

    /** What the operating system says, through the JDK and H2, when a disk is full. */
    private static final String NO_SPACE = "No space left on device";

    /** What it says when a file may not grow (EFBIG: a limit such as {@code ulimit -f}). */
    private static final String FILE_TOO_LARGE = "File too large";

    private final Connection connection;
    private final Path dir;

    /** The server this store started for other processes, or null. */
    private final StateServer server;

    /** The option that chooses the directory, named in messages: {@code --state-dir} or other. */
    private final String directoryOption;

    private StateStore(
            Connection connection, Path dir, StateServer server, String directoryOption) {
        this.connection = connection;
        this.dir = dir;
        this.server = server;
        this.directoryOption = directoryOption;
    }

    /**
     * Makes the TCP server that shares a state file with other processes (see {@link StateServer})
     * listen on loopback only. H2 binds its servers to every interface unless the system property
     * {@code h2.bindAddress} names one, and reads it once, when H2 first loads; so a process that
     * uses H2 for something else first (the server's metadata store) calls this before. Its server
     * refused other hosts anyway (no {@code -tcpAllowOthers}); now they cannot reach the port at
     * all. A value set by the user is kept.
     */
    public static void listenOnLoopbackOnly() {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /**
     * Opens (and creates if needed) the store under a directory that {@code siphon run}'s {@code
     * --state-dir} chose; see {@link #open(Path, String)}.
     */
    public static StateStore open(Path stateDir) {
        return open(stateDir, "--state-dir");
    }

    /**
     * Opens (and creates if needed) the store under a directory.
     *
     * @param directoryOption the option that chose the directory ({@code --state-dir} for {@code
     *     siphon run}, {@code --data-dir} for {@code siphon server}), which messages tell the user
     *     to change
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the directory cannot be
     *     written or the file is locked by another process
     */
    public static StateStore open(Path stateDir, String directoryOption) {
        Path dir = stateDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot create state directory "
                            + dir
                            + " ("
                            + describe(e)
                            + "); choose a writable "
                            + directoryOption,
                    e);
        }
        // WRITE_DELAY=0: a commit reaches the file before it returns. The engine acts on what it
        // stored (it tells the source to release changes after storing their position), so a
        // record lost in a crash a moment later could lose data.
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while a
        // stopping run (Ctrl-C) still records its last finished chunks.
        try {
            StateServer.Opened opened =
                    StateServer.open(dir, ";DB_CLOSE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            Connection c = opened.connection();
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            } catch (SQLException e) {
                c.close();
                if (opened.server() != null) {
                    opened.server().close();
                }
                throw e;
            }
            return new StateStore(c, dir, opened.server(), directoryOption);
        } catch (SQLException e) {
            throw failure(directoryOption, "open the state store in " + dir, e);
        }
    }

    /**
     * The option that chose the store's directory, for messages (see {@link #open(Path, String)}).
     */
    public String directoryOption() {
        return directoryOption;
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

    /** When the pipeline's latest snapshot completed, if it did and none was started since. */
    public Optional<Instant> completedSnapshotAt(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT status, completed_at FROM snapshot WHERE pipeline = ? ORDER BY id"
                                + " DESC LIMIT 1")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && "COMPLETED".equals(rs.getString(1))) {
                    return Optional.of(rs.getTimestamp(2).toInstant());
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(directoryOption, "read the snapshots of " + pipeline, e);
        }
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
            throw failure(directoryOption, "read the chunks of " + pipeline, e);
        }
        return out;
    }

    /** Every chunk of the pipeline's latest snapshot; empty when it never ran. */
    public List<ChunkRecord> chunks(String pipeline) {
        return queryLong(
                        "SELECT MAX(id) FROM snapshot WHERE pipeline = ? AND status <>"
                                + " 'TABLE_COPY'",
                        pipeline)
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
     * Stores the position a pipeline's stream resumes from, with no schema history (a position
     * where the stream starts, before any table's schema is known as of it). Called only with
     * positions whose changes are durable at the target.
     */
    public void saveOffset(String pipeline, String connectorType, String offsetJson) {
        saveOffset(pipeline, connectorType, offsetJson, Map.of());
    }

    /**
     * Stores the position a pipeline's stream resumes from together with its schema history: the
     * schema of each table as of that position. One statement, so one transaction: a crash can
     * never leave a position paired with the history of another. Called only with positions whose
     * changes are durable at the target.
     *
     * @param history the schema of each table as of the position; the tables missing here have none
     *     (they start from the source's catalog)
     */
    public void saveOffset(
            String pipeline,
            String connectorType,
            String offsetJson,
            Map<TableId, TableSchema> history) {
        saveOffset(pipeline, connectorType, offsetJson, history, Map.of());
    }

    /**
     * Stores the position with its schema history and the source's marks of its tables as of the
     * position ({@code ChangeStream.safeTableMarks}), in one statement.
     *
     * @param marks per table, what the source wants back when it resumes from the position
     */
    public void saveOffset(
            String pipeline,
            String connectorType,
            String offsetJson,
            Map<TableId, TableSchema> history,
            Map<TableId, String> marks) {
        update(
                "MERGE INTO stream_offset (pipeline, connector_type, offset_json, schema_history,"
                        + " table_marks, updated_at) KEY (pipeline) VALUES (?, ?, ?, ?, ?, ?)",
                pipeline,
                connectorType,
                offsetJson,
                history.isEmpty() ? null : SchemaHistory.encode(history),
                marks.isEmpty() ? null : SchemaHistory.encodeMarks(marks),
                Timestamp.from(Instant.now()));
    }

    /**
     * Stores the position of one part of a stream read in parts: in one transaction that holds the
     * stored row's lock, so that parts storing at once (in other processes too) never lose each
     * other's, the stored position becomes {@code merge} of it, and the part's schema history and
     * marks replace the stored ones of the same tables. The row must exist (a stream's start
     * position is stored before its readers run).
     *
     * @param merge the stored position's JSON to the merged position's JSON
     * @param history the schema of each table the part reads, as of its position
     * @param marks the source's marks of the tables the part reads
     * @return the merged position's JSON
     */
    public String mergeOffset(
            String pipeline,
            String connectorType,
            UnaryOperator<String> merge,
            Map<TableId, TableSchema> history,
            Map<TableId, String> marks) {
        String[] merged = new String[1];
        inTransaction(
                () -> {
                    String storedJson;
                    String storedHistory;
                    String storedMarks;
                    try (PreparedStatement ps =
                            connection.prepareStatement(
                                    "SELECT offset_json, schema_history, table_marks FROM"
                                            + " stream_offset WHERE pipeline = ? FOR UPDATE")) {
                        ps.setString(1, pipeline);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new SiphonException(
                                        ErrorCode.STATE_STORE_FAILED,
                                        "pipeline "
                                                + pipeline
                                                + " has no stored stream position to merge a part's"
                                                + " into");
                            }
                            storedJson = rs.getString(1);
                            storedHistory = rs.getString(2);
                            storedMarks = rs.getString(3);
                        }
                    }
                    Map<TableId, TableSchema> allHistory =
                            new HashMap<>(
                                    storedHistory == null
                                            ? Map.of()
                                            : SchemaHistory.decode(storedHistory).orElse(Map.of()));
                    allHistory.putAll(history);
                    Map<TableId, String> allMarks =
                            new HashMap<>(
                                    storedMarks == null
                                            ? Map.of()
                                            : SchemaHistory.decodeMarks(storedMarks)
                                                    .orElse(Map.of()));
                    allMarks.putAll(marks);
                    merged[0] = merge.apply(storedJson);
                    saveOffset(pipeline, connectorType, merged[0], allHistory, allMarks);
                });
        return merged[0];
    }

    /**
     * The source's marks of its tables stored with a pipeline's stream position; empty when none
     * were stored, or they cannot be read (then the source reads its tables as they are now).
     */
    public Map<TableId, String> tableMarks(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT table_marks FROM stream_offset WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                String text = rs.next() ? rs.getString(1) : null;
                return text == null ? Map.of() : SchemaHistory.decodeMarks(text).orElse(Map.of());
            }
        } catch (SQLException e) {
            throw failure(directoryOption, "read the table marks of " + pipeline, e);
        }
    }

    /**
     * The schema history stored with a pipeline's stream position: the schema of each table as of
     * that position; empty when none was stored, or it cannot be read.
     */
    public Map<TableId, TableSchema> schemaHistory(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT schema_history FROM stream_offset WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                String text = rs.next() ? rs.getString(1) : null;
                if (text == null) {
                    return Map.of();
                }
                Optional<Map<TableId, TableSchema>> history = SchemaHistory.decode(text);
                if (history.isEmpty()) {
                    LOG.warn(
                            "The schema history of pipeline {} cannot be read (stored by another"
                                    + " version?); it starts from the source's current schemas",
                            pipeline);
                }
                return history.orElse(Map.of());
            }
        } catch (SQLException e) {
            throw failure(directoryOption, "read the schema history of " + pipeline, e);
        }
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
            throw failure(directoryOption, "read the stream position of " + pipeline, e);
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
        update(
                "UPDATE table_copy SET status = 'CANCELLED', finished_at = ? WHERE pipeline = ? AND"
                        + " status IN ('REQUESTED', 'PLANNED', 'COPYING')",
                Timestamp.from(Instant.now()),
                pipeline);
    }

    /**
     * Asks for a table to be copied again while the pipeline streams; the running stream (or the
     * next run's) picks the request up. A table with an open copy keeps it: it is not asked twice.
     *
     * @return true when the request is new, false when the table already had an open copy
     */
    public boolean requestTableCopy(String pipeline, TableId table, String reason) {
        boolean[] added = {false};
        inTransaction(() -> added[0] = insertTableCopyRequest(pipeline, table, reason));
        return added[0];
    }

    /**
     * Hands the chunks of a table that a snapshot has not done yet over to a table copy, in one
     * transaction: the copy is requested (unless one is open) and the chunks are marked {@link
     * ChunkStatus#HANDED_OVER}, so the snapshot completes without them and a crash leaves either
     * both or neither.
     */
    public void handOverToTableCopy(
            String pipeline, long snapshotId, TableId table, String reason) {
        inTransaction(
                () -> {
                    insertTableCopyRequest(pipeline, table, reason);
                    try (PreparedStatement ps =
                            connection.prepareStatement(
                                    "UPDATE chunk SET status = 'HANDED_OVER', finished_at = ?"
                                            + " WHERE snapshot_id = ? AND source_schema = ? AND"
                                            + " source_table = ? AND status = 'PENDING'")) {
                        bind(
                                ps,
                                Timestamp.from(Instant.now()),
                                snapshotId,
                                table.schema(),
                                table.table());
                        ps.executeUpdate();
                    }
                });
    }

    private boolean insertTableCopyRequest(String pipeline, TableId table, String reason)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT COUNT(*) FROM table_copy WHERE pipeline = ? AND"
                                + " source_schema = ? AND source_table = ? AND status"
                                + " IN ('REQUESTED', 'PLANNED', 'COPYING')")) {
            bind(ps, pipeline, table.schema(), table.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "INSERT INTO table_copy (pipeline, source_schema,"
                                + " source_table, reason, status, requested_at) VALUES"
                                + " (?, ?, ?, ?, 'REQUESTED', ?)")) {
            bind(
                    ps,
                    pipeline,
                    table.schema(),
                    table.table(),
                    reason,
                    Timestamp.from(Instant.now()));
            ps.executeUpdate();
            return true;
        }
    }

    /**
     * Files a request for table copies in the state directory without opening the store (which a
     * running pipeline holds open): one file per request, written whole under a temporary name and
     * then renamed, so the stream never reads half a request.
     */
    public static void fileTableCopyRequest(
            Path stateDir, String pipeline, List<TableId> tables, String reason) {
        Path dir = stateDir.toAbsolutePath().normalize().resolve(REQUESTS);
        String name = pipeline + "." + java.util.UUID.randomUUID();
        StringBuilder text = new StringBuilder(reason).append('\n');
        tables.forEach(t -> text.append(t).append('\n'));
        try {
            Files.createDirectories(dir);
            Path partial = Files.writeString(dir.resolve(name + ".partial"), text);
            Files.move(
                    partial,
                    dir.resolve(name + REQUEST_SUFFIX),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot write a re-snapshot request into "
                            + dir
                            + " ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "); check that the state directory is writable",
                    e);
        }
    }

    /**
     * Moves the requests filed for a pipeline ({@link #fileTableCopyRequest}) into the store, then
     * deletes their files; returns the tables newly requested. A crash in between leaves a file
     * whose tables are asked for again, which the open copies absorb.
     */
    public List<TableId> takeFiledRequests(String pipeline) {
        Path dir = this.dir.resolve(REQUESTS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<TableId> added = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(pipeline + ".") || !name.endsWith(REQUEST_SUFFIX)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                String reason = lines.isEmpty() ? "requested" : lines.getFirst();
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    if (!line.isBlank()) {
                        TableId table = TableId.parse(line, "public");
                        if (requestTableCopy(pipeline, table, reason)) {
                            added.add(table);
                        }
                    }
                }
                Files.delete(file);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot read the re-snapshot requests in "
                            + dir
                            + " ("
                            + e.getMessage()
                            + "); remove the unreadable file and ask again",
                    e);
        }
        return added;
    }

    /** A pipeline's table copies, oldest first: every open one and the last 50 ended ones. */
    public List<TableCopyRecord> tableCopies(String pipeline) {
        List<TableCopyRecord> out = new ArrayList<>();
        synchronized (this) {
            try (PreparedStatement ps =
                    connection.prepareStatement(
                            "SELECT id, source_schema, source_table, reason, status, snapshot_id,"
                                    + " requested_at, finished_at, message FROM table_copy WHERE"
                                    + " pipeline = ? AND (status IN ('REQUESTED', 'PLANNED',"
                                    + " 'COPYING') OR id IN (SELECT id FROM table_copy WHERE"
                                    + " pipeline = ? ORDER BY id DESC LIMIT 50)) ORDER BY id")) {
                bind(ps, pipeline, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp finished = rs.getTimestamp(8);
                        out.add(
                                new TableCopyRecord(
                                        rs.getLong(1),
                                        pipeline,
                                        TableId.of(rs.getString(2), rs.getString(3)),
                                        rs.getString(4),
                                        TableCopyStatus.valueOf(rs.getString(5)),
                                        rs.getLong(6),
                                        rs.getTimestamp(7).toInstant(),
                                        finished == null ? null : finished.toInstant(),
                                        rs.getString(9)));
                    }
                }
            } catch (SQLException e) {
                throw failure(directoryOption, "read the table copies of " + pipeline, e);
            }
        }
        return out;
    }

    /**
     * Stores the chunks of a table copy under a snapshot of its own, then marks the copy {@link
     * TableCopyStatus#PLANNED} (a crash in between leaves it requested, and it is planned anew);
     * returns the snapshot's id.
     */
    public long planTableCopy(TableCopyRecord copy, List<SnapshotSplit> splits) {
        long snapshotId =
                insertReturningId(
                        "INSERT INTO snapshot (pipeline, status, started_at) VALUES (?,"
                                + " 'TABLE_COPY', ?)",
                        copy.pipeline(),
                        Timestamp.from(Instant.now()));
        addChunks(snapshotId, splits);
        update(
                "UPDATE table_copy SET status = 'PLANNED', snapshot_id = ? WHERE id = ?",
                snapshotId,
                copy.id());
        return snapshotId;
    }

    /**
     * Records the end of a table copy, or a new status on its way: {@link TableCopyStatus#COPYING}
     * once the emptying of its target is durable, {@link TableCopyStatus#REQUESTED} to plan it anew
     * (its table changed shape during the copy).
     */
    public void tableCopyStatus(long copyId, TableCopyStatus status, String message) {
        update(
                "UPDATE table_copy SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                status.name(),
                message,
                status.open() ? null : Timestamp.from(Instant.now()),
                copyId);
    }

    /**
     * The tables a completed snapshot of the pipeline has copied, and those a table copy has copied
     * or is copying while the stream runs.
     */
    public java.util.Set<TableId> snapshottedTables(String pipeline) {
        java.util.Set<TableId> out = new java.util.TreeSet<>();
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT DISTINCT c.source_schema, c.source_table FROM chunk c JOIN snapshot"
                                + " s ON s.id = c.snapshot_id WHERE s.pipeline = ? AND s.status ="
                                + " 'COMPLETED' UNION SELECT source_schema, source_table FROM"
                                + " table_copy WHERE pipeline = ? AND status IN ('REQUESTED',"
                                + " 'PLANNED', 'COPYING', 'DONE')")) {
            ps.setString(1, pipeline);
            ps.setString(2, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw failure(directoryOption, "read the snapshotted tables of " + pipeline, e);
        }
        return out;
    }

    /**
     * The instance token of a pipeline's state, created with it (on first use) and kept until
     * {@link #forget}: a random token that tells this copy of the pipeline from a copy with another
     * state directory. Sources record it with the stream objects they create and refuse objects
     * recorded with another one.
     */
    public synchronized String instanceToken(String pipeline) {
        Optional<String> existing = existingInstanceToken(pipeline);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        update(
                "MERGE INTO pipeline_instance (pipeline, token, created_at) KEY (pipeline) VALUES"
                        + " (?, ?, ?)",
                pipeline,
                token,
                Timestamp.from(Instant.now()));
        LOG.info("Pipeline {} has instance token {} in {}", pipeline, token, dir);
        return token;
    }

    /**
     * The instance token of a pipeline's state (see {@link #instanceToken}), without creating one:
     * empty when this state has none.
     */
    public synchronized Optional<String> existingInstanceToken(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT token FROM pipeline_instance WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(directoryOption, "read the instance token of " + pipeline, e);
        }
    }

    /**
     * Removes everything stored about a pipeline: snapshots, chunks, position, runs and instance
     * token.
     */
    public void forget(String pipeline) {
        inTransaction(
                () -> {
                    for (String sql :
                            List.of(
                                    "DELETE FROM chunk WHERE snapshot_id IN (SELECT id FROM"
                                            + " snapshot WHERE pipeline = ?)",
                                    "DELETE FROM snapshot WHERE pipeline = ?",
                                    "DELETE FROM stream_offset WHERE pipeline = ?",
                                    "DELETE FROM table_copy WHERE pipeline = ?",
                                    "DELETE FROM run WHERE pipeline = ?",
                                    "DELETE FROM pipeline_instance WHERE pipeline = ?")) {
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
            throw failure(directoryOption, "read the runs of " + pipeline, e);
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
            throw failure(directoryOption, "read progress", e);
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
            if (server != null) {
                server.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw failure(directoryOption, "close the state store", e);
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
            throw failure(directoryOption, "write the state store in " + dir, e);
        }
    }

    private synchronized void update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(directoryOption, "write the state store in " + dir, e);
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
            throw failure(directoryOption, "write the state store in " + dir, e);
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
            throw failure(directoryOption, "read the state store", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    static SiphonException failure(String directoryOption, String what, SQLException e) {
        if (diskFull(e)) {
            return new SiphonException(
                    ErrorCode.STATE_STORE_FULL,
                    "could not "
                            + what
                            + ": the disk holding the state directory is full (No space left on"
                            + " device); free space there or choose a "
                            + directoryOption
                            + " on another disk. What was stored before is kept: the run resumes"
                            + " from it",
                    e);
        }
        if (causedBy(e, FILE_TOO_LARGE)) {
            return new SiphonException(
                    ErrorCode.STATE_STORE_FULL,
                    "could not "
                            + what
                            + ": the state file may not grow any larger (File too large: a limit"
                            + " on file sizes, such as ulimit -f, is reached); raise the limit for"
                            + " this process. What was stored before is kept: the run resumes"
                            + " from it",
                    e);
        }
        String hint =
                e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                        ? "; another siphon process uses this directory: stop it or choose"
                                + " another "
                                + directoryOption
                        : "";
        return new SiphonException(
                ErrorCode.STATE_STORE_FAILED,
                "could not " + what + ": " + e.getMessage() + hint,
                e);
    }

    /** Whether a failure, or any of its causes, is a full disk. */
    static boolean diskFull(Throwable e) {
        return causedBy(e, NO_SPACE);
    }

    /** Whether the message of a failure, or of any of its causes, holds the operating system's. */
    private static boolean causedBy(Throwable e, String osMessage) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(osMessage)) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure in words: a full disk says so; anything else by its type and message. */
    static String describe(IOException e) {
        return diskFull(e)
                ? "the disk is full: No space left on device"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
