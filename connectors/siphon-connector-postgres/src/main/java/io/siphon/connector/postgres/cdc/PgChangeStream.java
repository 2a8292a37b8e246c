package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.catalog.TypeCatalog;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Begin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Commit;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Delete;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Insert;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Message;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Origin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Relation;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Truncate;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Type;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Update;
import io.siphon.connector.postgres.snapshot.CopySplitReader;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.EventMeta;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline's change stream: {@code START_REPLICATION} on its slot with {@code pgoutput} (protocol
 * version 1, the pipeline's publication, logical decoding messages on), decoded message by message
 * into {@link ChangeEvent}s. Nothing is held per transaction: a transaction of a million rows
 * streams through in polls of at most {@value #MAX_EVENTS_PER_POLL} events.
 *
 * <p>Positions: every event of a transaction carries the transaction's commit position (positions
 * only grow: transactions arrive in commit order) and its place ({@link ChangeOrder}: the commit
 * LSN and the change's index within the transaction), which a replay reproduces exactly, so that
 * exactly-once sinks can skip what they already applied; {@link #safePosition()} is the end of the
 * last transaction whose commit has been polled, or, while no transaction is open, the position the
 * server says it has sent everything before (keepalives, heartbeat messages), so that an idle
 * stream advances too. {@link #acknowledge} reports a position as flushed, which lets the server
 * release the WAL before it.
 *
 * <p>Heartbeats: every {@code heartbeat-interval} the stream writes a non-transactional logical
 * decoding message (prefix {@value #HEARTBEAT_PREFIX}) on its own SQL connection, so that the
 * slot's position moves even when the streamed tables are idle or every change is filtered out.
 * Such messages are not events; they only advance the safe position.
 *
 * <p>Watermarks: {@link #readBetweenWatermarks} writes transactional logical decoding messages
 * (prefix {@value #WATERMARK_PREFIX}) before and after it reads a split; being transactional, they
 * arrive in commit order among the changes, and a poll stops right after one. Table rewrites: the
 * stream remembers each table's {@code relfilenode}; when a change brings new columns and the
 * table's file changed since (and the catalog's columns are those the stream now has, so the
 * rewrite is the one the stream has reached), the table is reported by {@link #rewrittenTables}.
 * The engine stores those files with the position ({@link #safeTableMarks}) and gives them back on
 * resume ({@link #resumeTableMarks}), so a rewrite made while the pipeline was stopped is seen too.
 *
 * <p>Visibility of a read between watermarks: PostgreSQL writes a transaction's commit record
 * before it makes the transaction visible to new snapshots, and logical decoding sends it after the
 * record. A transaction decoded before the low watermark may therefore still be invisible to the
 * split's snapshot, taken after the watermark (for a moment, or for as long as a synchronous
 * standby keeps the commit waiting), and the split's rows would then be older than its change. The
 * stream keeps the transactions it decoded until a snapshot has seen them, compares the split's
 * snapshot with them and with those it decodes up to the low watermark, and reports a read that
 * missed one ({@link #readMissedEarlierChange}).
 *
 * <p>Used by one reader thread: opened, polled, acknowledged and closed there.
 */
public final class PgChangeStream implements ChangeStream {

    /** The most events one poll returns, which bounds what a poll holds in memory. */
    static final int MAX_EVENTS_PER_POLL = 1_024;

    /** The prefix of heartbeat messages. */
    static final String HEARTBEAT_PREFIX = "siphon-heartbeat";

    /** The prefix of watermark messages. */
    static final String WATERMARK_PREFIX = "siphon-watermark";

    /**
     * How many decoded transactions the stream keeps before it asks the server which of them every
     * new snapshot sees (and forgets those).
     */
    private static final int UNCONFIRMED_LIMIT = 10_000;

    /** Rows per batch while a split is read between watermarks (all are held anyway). */
    private static final int WATERMARKED_BATCH_ROWS = 4_096;

    private static final Logger LOG = LoggerFactory.getLogger(PgChangeStream.class);

    /** How often pgjdbc tells the server the received and flushed positions on its own. */
    private static final int STATUS_INTERVAL_SECONDS = 10;

    /** The longest a poll sleeps before it lets pgjdbc send its status, when one is due. */
    private static final long STATUS_NANOS = TimeUnit.SECONDS.toNanos(STATUS_INTERVAL_SECONDS);

    private final String pipeline;
    private final StreamNames names;
    private final PostgresEndpoint endpoint;
    private final Connection catalog;
    private final Connection replication;
    private final PGReplicationStream stream;
    private final SocketWait socket;
    private final SchemaTracker schemas;
    private final long heartbeatNanos;
    private final List<ChangeEvent> startEvents;
    private long nextHeartbeat;
    private final Map<TableId, Long> fileNodes;
    private final Set<TableId> rewritten = new LinkedHashSet<>();

    /** {@link #fileNodes} as {@link #safeTableMarks}, until they change. */
    private Map<TableId, String> marks;

    /** Whether the last poll stopped with messages still there to read. */
    private boolean moreWaiting;

    private PgLsn safe;
    private Map<TableId, TableSchema> safeSchemas;
    private EventMeta transaction;
    private String watermark;
    private long changeIndex;
    private long xid;

    /**
     * Transactions decoded (32-bit id) and the streamed tables they changed, until a snapshot is
     * known to see them.
     */
    private final Map<Long, Set<TableId>> unconfirmed = new HashMap<>();

    /** The last read between watermarks, until the stream reaches its low watermark. */
    private PendingRead pendingRead;

    /** The low watermark of the last read found to have missed a change before it, or null. */
    private String missedLow;

    /** A read between watermarks whose low watermark the stream has not reached yet. */
    private static final class PendingRead {
        final String low;
        final TableId table;
        final TxSnapshot snapshot;
        boolean missed;

        PendingRead(String low, TableId table, TxSnapshot snapshot) {
            this.low = low;
            this.table = table;
            this.snapshot = snapshot;
        }
    }

    private PgChangeStream(
            String pipeline,
            StreamNames names,
            PostgresEndpoint endpoint,
            Connection catalog,
            Connection replication,
            PGReplicationStream stream,
            SchemaTracker schemas,
            Duration heartbeat,
            List<ChangeEvent> startEvents,
            Map<TableId, Long> fileNodes,
            PgLsn from) {
        this.pipeline = pipeline;
        this.names = names;
        this.endpoint = endpoint;
        this.catalog = catalog;
        this.replication = replication;
        this.stream = stream;
        this.socket = SocketWait.on(replication);
        this.schemas = schemas;
        this.heartbeatNanos = heartbeat.toNanos();
        this.startEvents = new ArrayList<>(startEvents);
        this.fileNodes = new HashMap<>(fileNodes);
        this.nextHeartbeat = System.nanoTime() + heartbeatNanos;
        this.safe = from;
        this.safeSchemas = schemas.safeSchemas(from);
    }

    /**
     * Opens the stream: a SQL connection for the catalog and heartbeats, the schema tracker, and a
     * replication connection streaming from the slot after {@code from}.
     *
     * @throws SiphonException {@link ErrorCode#POSITION_LOST} when the slot is gone or invalidated;
     *     {@link ErrorCode#CONNECTION_LOST} when another process still streams from it (a previous
     *     attempt's server process that has not ended yet), or the server cannot be reached
     */
    static PgChangeStream open(
            PostgresEndpoint endpoint,
            StreamNames names,
            Duration heartbeat,
            String pipeline,
            List<TableSchema> tables,
            PgLsn from,
            Set<TableId> asOfFrom) {
        Connection catalog = endpoint.connect();
        Connection replication = null;
        try {
            // The tracker needs the WAL position first, then the catalog: see SchemaTracker.
            PgLsn openLsn = currentWalPosition(catalog);
            SchemaTracker schemas =
                    new SchemaTracker(catalog, new TypeCatalog(catalog), tables, openLsn, asOfFrom);
            List<ChangeEvent> startEvents =
                    schemas.catchUp(
                            new EventMeta(from, null, null), () -> currentWalPosition(catalog));
            Map<TableId, Long> fileNodes = new HashMap<>();
            for (TableSchema table : tables) {
                Long node = fileNode(catalog, table.id());
                if (node != null) {
                    fileNodes.put(table.id(), node);
                }
            }
            replication = Slots.connect(endpoint);
            PGReplicationStream stream = start(replication, names, from, pipeline);
            LOG.info(
                    "Streaming changes of pipeline {} from slot {} after {} (publication {})",
                    pipeline,
                    names.slot(),
                    from,
                    names.publication());
            return new PgChangeStream(
                    pipeline,
                    names,
                    endpoint,
                    catalog,
                    replication,
                    stream,
                    schemas,
                    heartbeat,
                    startEvents,
                    fileNodes,
                    from);
        } catch (SQLException e) {
            PostgresEndpoint.closeQuietly(replication);
            PostgresEndpoint.closeQuietly(catalog);
            throw PostgresErrors.translate(
                    e,
                    "opening the change stream of pipeline " + pipeline,
                    ErrorCode.CONNECTION_LOST);
        } catch (RuntimeException e) {
            PostgresEndpoint.closeQuietly(replication);
            PostgresEndpoint.closeQuietly(catalog);
            throw e;
        }
    }

    private static PgLsn currentWalPosition(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
            rs.next();
            return PgLsn.parse(rs.getString(1));
        }
    }

    private static PGReplicationStream start(
            Connection replication, StreamNames names, PgLsn from, String pipeline) {
        try {
            return replication
                    .unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(names.slot())
                    .withStartPosition(LogSequenceNumber.valueOf(from.value()))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", names.publication())
                    .withSlotOption("messages", "true")
                    .withStatusInterval(STATUS_INTERVAL_SECONDS, TimeUnit.SECONDS)
                    .start();
        } catch (SQLException e) {
            String state = e.getSQLState();
            if ("42704".equals(state)) {
                throw Slots.positionLost(names.slot(), pipeline, from, Slots.GONE, e);
            }
            if ("55000".equals(state)) {
                throw Slots.positionLost(names.slot(), pipeline, from, Slots.INVALIDATED, e);
            }
            if ("55006".equals(state)) {
                throw new SiphonException(
                        ErrorCode.CONNECTION_LOST,
                        "Replication slot "
                                + names.slot()
                                + " of pipeline "
                                + pipeline
                                + " is still in use by another server process (a stream of an"
                                + " earlier attempt, or another program); Siphon retries. If it"
                                + " persists, find the process in pg_replication_slots.active_pid",
                        e);
            }
            throw PostgresErrors.translate(
                    e,
                    "starting to stream from replication slot " + names.slot(),
                    ErrorCode.CONNECTION_LOST);
        }
    }

    @Override
    public List<ChangeEvent> poll(Duration timeout) {
        List<ChangeEvent> events = new ArrayList<>();
        watermark = null;
        if (!startEvents.isEmpty()) {
            events.addAll(startEvents);
            startEvents.clear();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (events.size() < MAX_EVENTS_PER_POLL && watermark == null) {
                heartbeatIfDue();
                ByteBuffer buffer = stream.readPending();
                if (buffer == null) {
                    if (transaction == null) {
                        // Everything the server sent has been read: it has nothing before this.
                        advanceSafe(new PgLsn(stream.getLastReceiveLSN().asLong()));
                    }
                    long now = System.nanoTime();
                    long left = deadline - now;
                    if (!events.isEmpty() || left <= 0 || Thread.currentThread().isInterrupted()) {
                        // An interrupt is the engine cancelling the reader's job: no need to
                        // wait out a long poll.
                        break;
                    }
                    // Sleeps until the server sends something (a change, a keepalive that may
                    // want an answer) or the poll's time is up, waking for a heartbeat due
                    // before then; pgjdbc answers keepalives and sends its periodic status in
                    // readPending(). An interrupt ends the wait too (it looks in slices).
                    socket.await(Math.min(Math.min(left, untilHeartbeat(now)), STATUS_NANOS));
                    continue;
                }
                socket.dataCame();
                handle(PgOutputDecoder.decode(buffer), events);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        // A poll that found no more to read stopped early; a full one left the rest unread.
        moreWaiting = events.size() >= MAX_EVENTS_PER_POLL;
        return events;
    }

    private void handle(PgOutputMessage message, List<ChangeEvent> out) throws SQLException {
        switch (message) {
            case Begin b -> {
                transaction = new EventMeta(b.finalLsn(), b.commitTime(), Long.toString(b.xid()));
                xid = b.xid();
                changeIndex = 0;
            }
            case Commit c -> {
                advanceSafe(c.endLsn());
                transaction = null;
            }
            case Origin o -> {}
            case Relation r -> schemas.relation(r);
            case Type t -> schemas.typeName(t);
            case Insert i -> {
                EventMeta meta = nextChange();
                SchemaTracker.RelationView view = view(i.relationOid(), meta, out);
                if (view != null) {
                    decoded(view.table());
                    out.add(new ChangeEvent.Insert(view.table(), view.row(i.after(), null), meta));
                }
            }
            case Update u -> {
                EventMeta meta = nextChange();
                SchemaTracker.RelationView view = view(u.relationOid(), meta, out);
                if (view != null) {
                    decoded(view.table());
                    Row after = view.row(u.after(), Unchanged.VALUE);
                    Row before =
                            u.before() == null ? view.keyOf(after) : view.row(u.before(), null);
                    boolean keyOnly = u.before() == null || u.keyOnly();
                    out.add(new ChangeEvent.Update(view.table(), before, keyOnly, after, meta));
                }
            }
            case Delete d -> {
                EventMeta meta = nextChange();
                SchemaTracker.RelationView view = view(d.relationOid(), meta, out);
                if (view != null) {
                    decoded(view.table());
                    out.add(
                            new ChangeEvent.Delete(
                                    view.table(), view.row(d.before(), null), d.keyOnly(), meta));
                }
            }
            case Truncate t -> {
                for (long oid : t.relationOids()) {
                    EventMeta meta = nextChange();
                    SchemaTracker.RelationView view = view(oid, meta, out);
                    if (view != null) {
                        decoded(view.table());
                        out.add(new ChangeEvent.Truncate(view.table(), meta));
                        // TRUNCATE gives the table a new file without rewriting its rows.
                        Long node = fileNode(catalog, view.table());
                        if (node != null) {
                            fileNodes.put(view.table(), node);
                            marks = null;
                        }
                    }
                }
            }
            case Message m -> {
                if (m.transactional() && WATERMARK_PREFIX.equals(m.prefix())) {
                    watermark = new String(m.content(), StandardCharsets.UTF_8);
                    if (pendingRead != null && pendingRead.low.equals(watermark)) {
                        missedLow = pendingRead.missed ? watermark : null;
                        pendingRead = null;
                    }
                } else if (!m.transactional() && transaction == null) {
                    // Written on its own (a heartbeat, or another program's message): every
                    // transaction that committed before it has been sent.
                    advanceSafe(m.lsn());
                }
            }
        }
    }

    /**
     * Notes that the transaction being decoded changed a table, and whether the pending read of
     * that table cannot have seen it.
     */
    private void decoded(TableId table) throws SQLException {
        if (unconfirmed.size() >= UNCONFIRMED_LIMIT && !unconfirmed.containsKey(xid)) {
            forgetSeen(currentSnapshot(catalog));
        }
        unconfirmed.computeIfAbsent(xid, x -> new HashSet<>(2)).add(table);
        if (pendingRead != null
                && pendingRead.table.equals(table)
                && !pendingRead.snapshot.sees(xid)) {
            pendingRead.missed = true;
        }
    }

    /** Forgets the decoded transactions a snapshot sees: every later snapshot sees them too. */
    private void forgetSeen(TxSnapshot snapshot) {
        unconfirmed.keySet().removeIf(snapshot::sees);
    }

    private static TxSnapshot currentSnapshot(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_current_snapshot()::text")) {
            rs.next();
            return TxSnapshot.parse(rs.getString(1));
        }
    }

    private SchemaTracker.RelationView view(long relationOid, EventMeta meta, List<ChangeEvent> out)
            throws SQLException {
        int before = out.size();
        SchemaTracker.RelationView view = schemas.forChange(relationOid, meta, out);
        if (view != null && out.size() > before) {
            checkRewrite(view, relationOid);
        }
        return view;
    }

    /**
     * After a change brought new columns for a table: whether its file changed since the stream
     * last looked, which only a rewrite (or VACUUM FULL, CLUSTER) does. The catalog is read now,
     * not as of the change; while its columns differ from the stream's, a later schema change of
     * the table is still ahead in the stream, and the check waits for that one.
     */
    private void checkRewrite(SchemaTracker.RelationView view, long relationOid)
            throws SQLException {
        TableId table = view.table();
        if (!view.columnNames().equals(liveColumns(relationOid))) {
            return;
        }
        Long now = fileNode(catalog, table);
        Long was = now == null ? null : fileNodes.put(table, now);
        marks = null;
        if (was != null && !was.equals(now)) {
            LOG.debug("Table {} was rewritten (relfilenode {} -> {})", table, was, now);
            rewritten.add(table);
        }
    }

    private List<String> liveColumns(long relationOid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                catalog.prepareStatement(
                        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ? AND attnum"
                                + " > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY"
                                + " attnum")) {
            ps.setLong(1, relationOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The table's relfilenode now, or null when it no longer exists. */
    private static Long fileNode(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT relfilenode FROM pg_catalog.pg_class WHERE oid ="
                                + " pg_catalog.to_regclass(?)")) {
            ps.setString(1, SqlText.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /**
     * The meta data of the transaction's next change. Every change message counts, those of tables
     * this pipeline does not stream too, so that a replay of the transaction gives each change the
     * same place however the pipeline's tables have changed since.
     */
    private EventMeta nextChange() {
        EventMeta meta = meta();
        return meta.at(new ChangeOrder(((PgLsn) meta.position()).value(), changeIndex++));
    }

    private EventMeta meta() {
        if (transaction == null) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "The server sent a change outside a transaction on slot "
                            + names.slot()
                            + "; please report this with the PostgreSQL version");
        }
        return transaction;
    }

    /**
     * Moves the safe position; called only between transactions, when every change up to {@code
     * lsn} has been taken in, so the tracker's schemas are those as of it.
     */
    private void advanceSafe(PgLsn lsn) {
        if (lsn.compareTo(safe) > 0) {
            safe = lsn;
            safeSchemas = schemas.safeSchemas(lsn);
        }
    }

    /** Nanoseconds until the next heartbeat is due (a long time when heartbeats are off). */
    private long untilHeartbeat(long now) {
        return heartbeatNanos <= 0 ? Long.MAX_VALUE : Math.max(0, nextHeartbeat - now);
    }

    private void heartbeatIfDue() throws SQLException {
        if (heartbeatNanos <= 0 || System.nanoTime() - nextHeartbeat < 0) {
            return;
        }
        try (Statement s = catalog.createStatement()) {
            s.execute(
                    "SELECT pg_catalog.pg_logical_emit_message(false, '"
                            + HEARTBEAT_PREFIX
                            + "', '')");
        }
        nextHeartbeat = System.nanoTime() + heartbeatNanos;
    }

    /**
     * The error for a broken stream: {@link ErrorCode#POSITION_LOST} when the slot is gone or
     * invalidated (asked on a new connection), else the translated error, by default {@link
     * ErrorCode#CONNECTION_LOST}.
     */
    private SiphonException failure(SQLException e) {
        SiphonException lost = Slots.lostPosition(endpoint, names.slot(), pipeline, safe, e);
        if (lost != null) {
            return lost;
        }
        return PostgresErrors.translate(
                e,
                "streaming changes of pipeline " + pipeline + " from slot " + names.slot(),
                ErrorCode.CONNECTION_LOST);
    }

    /**
     * Reads a split between two watermarks written on the stream's SQL connection. A table without
     * a primary key is locked in {@code SHARE} mode from before the low watermark until after the
     * high one: writers of that table wait, so no change of it lies between the watermarks and the
     * rows read are exactly the table at the low one.
     */
    @Override
    public List<Row> readBetweenWatermarks(
            TableSchema table, SnapshotSplit split, String low, String high) {
        Connection lock = null;
        try {
            if (!table.hasPrimaryKey()) {
                lock = endpoint.connect();
                lock.setAutoCommit(false);
                try (Statement s = lock.createStatement()) {
                    s.execute("LOCK TABLE " + SqlText.quote(table.id()) + " IN SHARE MODE");
                }
            }
            emitWatermark(low);
            List<Row> rows = new ArrayList<>();
            try (CopySplitReader reader =
                    CopySplitReader.open(endpoint, table, split, null, WATERMARKED_BATCH_ROWS)) {
                TxSnapshot snapshot = TxSnapshot.parse(reader.ownSnapshot());
                pendingRead = new PendingRead(low, table.id(), snapshot);
                missedLow = null;
                // A transaction of the table that the stream decoded before this read, and that
                // the read's snapshot does not see, lies before the low watermark too.
                pendingRead.missed =
                        unconfirmed.entrySet().stream()
                                .anyMatch(
                                        e ->
                                                e.getValue().contains(table.id())
                                                        && !snapshot.sees(e.getKey()));
                forgetSeen(snapshot);
                for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
                    rows.addAll(batch.rows());
                }
            }
            emitWatermark(high);
            return rows;
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e,
                    "re-copying split " + split.id() + " while streaming",
                    ErrorCode.CONNECTION_LOST);
        } finally {
            if (lock != null) {
                PostgresEndpoint.closeQuietly(lock);
            }
        }
    }

    private void emitWatermark(String text) throws SQLException {
        try (PreparedStatement ps =
                catalog.prepareStatement("SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)")) {
            ps.setString(1, WATERMARK_PREFIX);
            ps.setString(2, text);
            ps.execute();
        }
    }

    @Override
    public boolean moreWaiting() {
        return moreWaiting;
    }

    @Override
    public String watermarkReached() {
        return watermark;
    }

    /** Each table's {@code relfilenode} as the stream last saw it. */
    @Override
    public Map<TableId, String> safeTableMarks() {
        if (marks == null) {
            Map<TableId, String> out = new HashMap<>();
            fileNodes.forEach((table, node) -> out.put(table, Long.toString(node)));
            marks = Map.copyOf(out);
        }
        return marks;
    }

    /**
     * Takes the {@code relfilenode}s stored with the position the stream resumes from: a table
     * rewritten while the pipeline was stopped then shows a new file when the stream reaches the
     * rewriting change, as one rewritten while it streams does.
     */
    @Override
    public void resumeTableMarks(Map<TableId, String> marks) {
        marks.forEach(
                (table, node) -> {
                    if (fileNodes.containsKey(table)) {
                        fileNodes.put(table, Long.parseLong(node));
                        this.marks = null;
                    }
                });
    }

    @Override
    public boolean readMissedEarlierChange(String low) {
        return low.equals(missedLow);
    }

    @Override
    public Set<TableId> rewrittenTables() {
        Set<TableId> out = Set.copyOf(rewritten);
        rewritten.clear();
        return out;
    }

    @Override
    public Offset safePosition() {
        return safe;
    }

    /** The schemas as of {@link #safePosition()}: see {@link SchemaTracker#safeSchemas}. */
    @Override
    public Map<TableId, TableSchema> safeSchemas() {
        return safeSchemas;
    }

    @Override
    public void acknowledge(Offset offset) {
        LogSequenceNumber lsn = LogSequenceNumber.valueOf(((PgLsn) offset).value());
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
        try {
            stream.forceUpdateStatus();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The slot's lag: WAL bytes from its confirmed position to the server's current position, read
     * on the catalog connection; -1 when the server cannot be asked right now (the stream's own
     * errors surface in {@link #poll}).
     */
    @Override
    public long backlogBytes() {
        try (PreparedStatement ps =
                catalog.prepareStatement(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM"
                                + " pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, names.slot());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Closes both connections; the slot keeps the last acknowledged position. */
    @Override
    public void close() {
        // Closing the connection, not the stream: ending the COPY would first read everything
        // the server still sends.
        PostgresEndpoint.closeQuietly(replication);
        PostgresEndpoint.closeQuietly(catalog);
    }
}
