package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlErrors;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.snapshot.MySqlSnapshotSource;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.EventMeta;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline's change stream from a MySQL or MariaDB binary log: a binlog client (Debezium's {@code
 * mysql-binlog-connector-java}) registered as a replica, whose events are decoded on the reader
 * thread into {@link ChangeEvent}s.
 *
 * <p>Threads: the client reads the socket on a thread of its own and hands raw events over through
 * a bounded queue (which holds the client back when the reader falls behind); everything else runs
 * on the reader thread.
 *
 * <p>Positions: {@link #safePosition()} moves only at a transaction's end (its {@code XID} or
 * {@code COMMIT}, or a DDL statement, which commits on its own), to the position after it, with the
 * GTID set including it, so a resume never starts inside a transaction. Each data change gets its
 * transaction's start position as its {@link EventMeta#position()} and a {@link ChangeOrder} of
 * that start (file sequence and position packed) and its index among all row changes of the
 * transaction, the same on every replay from the same server.
 *
 * <p>Schema changes: DDL statements of {@code QUERY} events go through {@link BinlogSchemas}, which
 * keeps each table's schema as of the stream's position ({@link #safeSchemas()}), so that rows are
 * always decoded against the columns of their own time.
 *
 * <p>Heartbeats: the client asks the server for a heartbeat event every {@code heartbeat} while the
 * log is idle; a heartbeat outside a transaction advances the safe position, and a stream that has
 * heard nothing for three heartbeats fails with {@link ErrorCode#CONNECTION_LOST}, so that the
 * engine reconnects from the stored position. The client never reconnects on its own, which would
 * resume at the position of the last event rather than of the last transaction.
 *
 * <p>Watermarks ({@link #readBetweenWatermarks}): the binary log cannot carry a message of ours
 * without a table to write to, so a watermark is a position of the log, as in Flink CDC's MySQL
 * incremental snapshot, which reads the log position before and after each chunk. A poll stops
 * where the stream reaches a pending watermark's position, before any event that lies after it. On
 * MariaDB the split is read in a transaction with a consistent snapshot, and both watermarks are
 * the binary log position of that snapshot ({@code binlog_snapshot_position}): every transaction
 * before it is in the rows, none after it, and no writer waits. MySQL has no such position: there
 * the table is read under {@code LOCK TABLES ... READ} between the positions read before and after,
 * so writers of that one table wait for the read and none of its changes lies between the two.
 */
public final class BinlogChangeStream implements ChangeStream {

    /** The most events one poll returns, which bounds what a poll holds in memory. */
    static final int MAX_EVENTS_PER_POLL = 1_024;

    private static final Logger LOG = LoggerFactory.getLogger(BinlogChangeStream.class);

    private static final int QUEUE_CAPACITY = 1_024;
    private static final long CONNECT_TIMEOUT_MS = 30_000;

    /** MySQL's ER_MASTER_FATAL_ERROR_READING_BINLOG: the position is not in the log. */
    private static final int FATAL_ERROR_READING_BINLOG = 1236;

    private final String pipeline;
    private final MySqlEndpoint server;
    private final Connection catalog;
    private final BinaryLogClient client;
    private final BlockingQueue<Object> queue;
    private final BinlogSchemas schemas;
    private final BinlogCharsets charsets;
    private final long heartbeatNanos;
    private final boolean zeroDatesAsNull;
    private final ServerFlavor flavor;

    /** A position of the log that a poll stops at: see {@link #readBetweenWatermarks}. */
    private record Watermark(String text, long packed) {}

    /** Watermarks of reads whose positions the stream has not reached, in log order. */
    private final Deque<Watermark> watermarks = new ArrayDeque<>();

    private String watermarkReached;

    /** The low watermark of the last read that missed a change the stream had returned, or null. */
    private String missedLow;

    /**
     * The end of the events read so far, {@linkplain BinlogOffset#packed() packed}; 0 while unknown
     * (a stream opened by GTID learns its file from the first event).
     */
    private long consumed;

    /** Per table, where the transaction of the last change of it that a poll returned starts. */
    private final Map<TableId, Long> lastChanged = new HashMap<>();

    /** An event taken from the queue that lies after a watermark: the next poll handles it. */
    private Event heldBack;

    /**
     * Tables whose schema is the catalog's when the stream opened, not as of its start: until the
     * stream reaches {@link #opened}, their rows may have columns since dropped, which are skipped.
     */
    private final Set<TableId> asOfNow;

    private final BinlogOffset opened;

    /** Table maps of the streamed tables by the table number the binlog gives them. */
    private final Map<Long, BinlogTable> tableMaps = new HashMap<>();

    private volatile boolean closed;
    private String file;
    private GtidSet gtids;
    private BinlogOffset safe;
    private Map<TableId, TableSchema> safeSchemas;
    private long lastEventNanos;

    /** The transaction being read: its start, meta data, GTID and next change index. */
    private BinlogOffset transactionStart;

    private EventMeta transaction;
    private String transactionGtid;

    /** Whether the transaction is a group of statements (BEGIN ... COMMIT), not one DDL. */
    private boolean group;

    private long changeIndex;

    private BinlogChangeStream(
            String pipeline,
            MySqlEndpoint server,
            Connection catalog,
            BinaryLogClient client,
            BlockingQueue<Object> queue,
            BinlogSchemas schemas,
            BinlogCharsets charsets,
            BinlogSettings settings,
            Set<TableId> asOfNow,
            BinlogOffset opened,
            BinlogOffset from,
            ServerFlavor flavor,
            boolean byGtid) {
        this.pipeline = pipeline;
        this.server = server;
        this.catalog = catalog;
        this.client = client;
        this.queue = queue;
        this.schemas = schemas;
        this.charsets = charsets;
        this.heartbeatNanos = settings.heartbeat().toNanos();
        this.zeroDatesAsNull = settings.zeroDatesAsNull();
        this.asOfNow = new HashSet<>(asOfNow);
        this.opened = opened;
        this.safe = from;
        this.file = from.file();
        this.gtids = gtidSet(from.gtids());
        this.safeSchemas = schemas.snapshot();
        this.lastEventNanos = System.nanoTime();
        this.flavor = flavor;
        this.consumed = byGtid ? 0 : from.packed();
    }

    /**
     * Opens the stream after {@code from}: checks that the server still has the position, reads the
     * catalog, and starts the binlog client there, by file and position on the server that wrote
     * the offset and by GTID set on another.
     *
     * @param clientId the {@code server_id} the client registers with; unique among the server's
     *     replicas
     * @throws SiphonException {@link ErrorCode#POSITION_LOST} when the server no longer has the
     *     position, {@link ErrorCode#CONNECTION_LOST} when it cannot be reached
     */
    static BinlogChangeStream open(
            MySqlEndpoint server,
            String pipeline,
            long clientId,
            BinlogSettings settings,
            List<TableSchema> tables,
            BinlogOffset from,
            Set<TableId> asOfFrom) {
        Connection catalog = null;
        BinaryLogClient client = null;
        try {
            catalog = server.connect();
            long serverId = BinlogPositions.serverId(catalog);
            boolean byGtid = serverId != from.serverId() && from.gtids() != null;
            if (!byGtid) {
                BinlogPositions.requireAvailable(catalog, server, pipeline, from);
            }
            BinlogCharsets charsets = BinlogCharsets.read(catalog);
            ServerFlavor flavor = MySqlEndpoint.flavor(catalog);
            BinlogSchemas schemas =
                    new BinlogSchemas(
                            tables,
                            new MySqlTypeMapper(
                                    flavor, MySqlOptions.KEY_TEXT_LENGTH.defaultValue(), true));
            // Tables given as the catalog has them now meet older rows and DDL until the stream
            // reaches the position it opened at.
            Set<TableId> asOfNow = new HashSet<>();
            tables.forEach(t -> asOfNow.add(t.id()));
            asOfNow.removeAll(asOfFrom);
            BinlogOffset opened = BinlogPositions.current(catalog, server.address());
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
            client =
                    new BinaryLogClient(
                            server.host(), server.port(), server.user(), server.password());
            client.setServerId(clientId);
            client.setKeepAlive(false);
            client.setHeartbeatInterval(settings.heartbeat().toMillis());
            client.setEventDeserializer(BinlogRowDeserializers.eventDeserializer());
            if (byGtid) {
                client.setGtidSet(from.gtids());
            } else {
                client.setBinlogFilename(from.file());
                client.setBinlogPosition(from.position());
            }
            BinlogChangeStream stream =
                    new BinlogChangeStream(
                            pipeline,
                            server,
                            catalog,
                            client,
                            queue,
                            schemas,
                            charsets,
                            settings,
                            asOfNow,
                            opened,
                            byGtid
                                    ? new BinlogOffset(
                                            from.file(), from.position(), from.gtids(), serverId)
                                    : from,
                            flavor,
                            byGtid);
            client.registerEventListener(stream::enqueue);
            client.registerLifecycleListener(stream.new Failures());
            client.connect(CONNECT_TIMEOUT_MS);
            LOG.info(
                    "Streaming the binary log of {} for pipeline {} after {}{}",
                    server.address(),
                    pipeline,
                    from.describe(),
                    byGtid ? " by GTID (another server wrote the stored position)" : "");
            return stream;
        } catch (SQLException e) {
            closeQuietly(client, catalog);
            throw MySqlErrors.translate(
                    e,
                    "opening the change stream of pipeline " + pipeline + " at " + server.address(),
                    ErrorCode.CONNECTION_LOST);
        } catch (IOException | TimeoutException e) {
            closeQuietly(client, catalog);
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "The binlog client of pipeline "
                            + pipeline
                            + " could not connect to "
                            + server.address()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            closeQuietly(client, catalog);
            throw e;
        }
    }

    /** Hands an event to the reader; waits while the queue is full, unless the stream closed. */
    private void enqueue(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // The reader is behind: the client waits, and so does the server's dump thread.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A failure of the client's thread, handed to the reader in the queue. */
    private record Failure(Exception cause) {}

    private final class Failures extends BinaryLogClient.AbstractLifecycleListener {
        @Override
        public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            enqueue(new Failure(ex));
        }

        @Override
        public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            enqueue(new Failure(ex));
        }

        @Override
        public void onDisconnect(BinaryLogClient c) {
            if (!closed) {
                enqueue(new Failure(new IOException("the server closed the connection")));
            }
        }
    }

    @Override
    public List<ChangeEvent> poll(Duration timeout) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        watermarkReached = null;
        try {
            while (events.size() < MAX_EVENTS_PER_POLL && !watermarkAt(consumed)) {
                Object item = heldBack;
                heldBack = null;
                if (item == null) {
                    long left = deadline - System.nanoTime();
                    item =
                            events.isEmpty() && left > 0
                                    ? queue.poll(left, TimeUnit.NANOSECONDS)
                                    : queue.poll();
                    if (item == null) {
                        checkAlive();
                        break;
                    }
                    lastEventNanos = System.nanoTime();
                }
                if (item instanceof Failure f) {
                    throw failure(f.cause());
                }
                Event event = (Event) item;
                EventHeaderV4 header = event.getHeader();
                if (header.getEventType() != EventType.HEARTBEAT
                        && header.getNextPosition() > 0
                        && watermarkAt(BinlogOffset.packed(file, header.getPosition()))) {
                    heldBack = event;
                    break;
                }
                int before = events.size();
                handle(event, events);
                for (ChangeEvent e : events.subList(before, events.size())) {
                    if (e.meta().position() instanceof BinlogOffset at) {
                        // Where its transaction starts: row events need not carry their own.
                        lastChanged.put(e.table(), at.packed());
                    }
                }
                if (header.getNextPosition() > 0) {
                    consumed =
                            Math.max(consumed, BinlogOffset.packed(file, header.getNextPosition()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "interrupted while streaming pipeline " + pipeline,
                    e);
        }
        return events;
    }

    /**
     * Whether the stream has come to the next pending watermark at {@code position}; if so, takes
     * it as the one this poll stopped at.
     */
    private boolean watermarkAt(long position) {
        Watermark next = watermarks.peek();
        if (next == null
                || watermarkReached != null
                || Long.compareUnsigned(position, next.packed()) < 0) {
            return false;
        }
        watermarkReached = watermarks.poll().text();
        return true;
    }

    private void checkAlive() {
        if (heartbeatNanos > 0 && System.nanoTime() - lastEventNanos > 3 * heartbeatNanos) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "No event or heartbeat from "
                            + server.address()
                            + " for three heartbeat intervals: the binlog connection of pipeline "
                            + pipeline
                            + " is considered lost; Siphon reconnects from the stored position");
        }
    }

    private void handle(Event event, List<ChangeEvent> out) {
        EventHeaderV4 header = event.getHeader();
        switch (header.getEventType()) {
            case ROTATE -> {
                RotateEventData rotate = event.getData();
                file = rotate.getBinlogFilename();
                consumed =
                        Math.max(consumed, BinlogOffset.packed(file, rotate.getBinlogPosition()));
                if (transaction == null) {
                    advanceSafe(rotate.getBinlogPosition());
                }
            }
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                // The event body has no server id: it is the header's.
                begin(header, g.getDomainId() + "-" + header.getServerId() + "-" + g.getSequence());
                // MariaDB's GTID event is the BEGIN of a group unless it marks a standalone DDL.
                group = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
            }
            case GTID -> {
                GtidEventData g = event.getData();
                begin(header, g.getGtid());
            }
            case QUERY -> query(header, event.getData(), out);
            case TABLE_MAP -> tableMap(event.getData());
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                WriteRowsEventData w = event.getData();
                BinlogTable table = tableMaps.get(w.getTableId());
                for (Serializable[] cells : w.getRows()) {
                    EventMeta meta = nextChange(header);
                    if (table != null) {
                        Row after = table.row(cells, w.getIncludedColumns(), zeroDatesAsNull);
                        out.add(new ChangeEvent.Insert(table.schema().id(), after, meta));
                    }
                }
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                UpdateRowsEventData u = event.getData();
                BinlogTable table = tableMaps.get(u.getTableId());
                for (Map.Entry<Serializable[], Serializable[]> change : u.getRows()) {
                    EventMeta meta = nextChange(header);
                    if (table != null) {
                        Row before =
                                table.row(
                                        change.getKey(),
                                        u.getIncludedColumnsBeforeUpdate(),
                                        zeroDatesAsNull);
                        Row after =
                                table.row(
                                        change.getValue(), u.getIncludedColumns(), zeroDatesAsNull);
                        out.add(
                                new ChangeEvent.Update(
                                        table.schema().id(), before, false, after, meta));
                    }
                }
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                DeleteRowsEventData d = event.getData();
                BinlogTable table = tableMaps.get(d.getTableId());
                for (Serializable[] cells : d.getRows()) {
                    EventMeta meta = nextChange(header);
                    if (table != null) {
                        Row before = table.row(cells, d.getIncludedColumns(), zeroDatesAsNull);
                        out.add(new ChangeEvent.Delete(table.schema().id(), before, false, meta));
                    }
                }
            }
            case XID -> commit(header);
            case HEARTBEAT -> {
                if (transaction == null && header.getNextPosition() > 0) {
                    advanceSafe(header.getNextPosition());
                }
            }
            case TRANSACTION_PAYLOAD ->
                    throw new SiphonException(
                            ErrorCode.SERVER_SETTING,
                            "The binary log of "
                                    + server.address()
                                    + " holds compressed transactions, which Siphon does not"
                                    + " read. Run: SET GLOBAL binlog_transaction_compression ="
                                    + " OFF;");
            default -> {}
        }
    }

    private void begin(EventHeaderV4 header, String gtid) {
        transactionStart = safe.at(file, header.getPosition(), safe.gtids());
        transaction =
                new EventMeta(
                        transactionStart,
                        Instant.ofEpochMilli(header.getTimestamp()),
                        gtid != null ? gtid : file + ":" + header.getPosition());
        transactionGtid = gtid;
        changeIndex = 0;
        group = false;
    }

    private void query(EventHeaderV4 header, QueryEventData q, List<ChangeEvent> out) {
        String sql = q.getSql().strip();
        if (sql.equalsIgnoreCase("BEGIN")) {
            if (transaction == null) {
                begin(header, null);
            }
            group = true;
            return;
        }
        if (sql.equalsIgnoreCase("COMMIT")) {
            commit(header);
            return;
        }
        if (transaction == null) {
            begin(header, null);
        }
        List<ChangeEvent> changes;
        try {
            changes = schemas.apply(q.getDatabase(), sql, transaction, catalog);
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e,
                    "reading the catalog after a DDL statement of pipeline " + pipeline,
                    ErrorCode.CONNECTION_LOST);
        }
        if (!changes.isEmpty()) {
            // The table numbers of the changed tables now map to new schemas.
            tableMaps.clear();
            out.addAll(changes);
        }
        // A DDL statement commits on its own; other statements in a group (SAVEPOINT) do not.
        if (!group) {
            commit(header);
        }
    }

    private void tableMap(TableMapEventData map) {
        TableId id = BinlogTable.idOf(map);
        TableSchema schema = schemas.schema(id);
        if (schema == null) {
            tableMaps.remove(map.getTableId());
            return;
        }
        tableMaps.put(
                map.getTableId(), BinlogTable.of(map, schema, charsets, asOfNow.contains(id)));
    }

    private EventMeta nextChange(EventHeaderV4 header) {
        if (transaction == null) {
            // A row event outside BEGIN/GTID: a log written by a server without them.
            begin(header, null);
        }
        return transaction.at(new ChangeOrder(transactionStart.packed(), changeIndex++));
    }

    private void commit(EventHeaderV4 header) {
        if (transactionGtid != null) {
            if (gtids == null) {
                gtids = gtidSet(transactionGtid);
            } else {
                gtids.add(transactionGtid);
            }
        }
        transaction = null;
        transactionGtid = null;
        group = false;
        advanceSafe(header.getNextPosition());
    }

    private void advanceSafe(long position) {
        BinlogOffset next = safe.at(file, position, gtids == null ? null : gtids.toString());
        if (!next.equals(safe)) {
            safe = next;
            if (!asOfNow.isEmpty()
                    && safe.serverId() == opened.serverId()
                    && safe.compareTo(opened) >= 0) {
                asOfNow.clear();
            }
            safeSchemas = schemas.snapshot();
        }
    }

    private static GtidSet gtidSet(String text) {
        if (text == null) {
            return null;
        }
        return MariadbGtidSet.isMariaGtidSet(text) ? new MariadbGtidSet(text) : new GtidSet(text);
    }

    private SiphonException failure(Exception cause) {
        if (cause instanceof ServerException se
                && se.getErrorCode() == FATAL_ERROR_READING_BINLOG) {
            return BinlogPositions.positionLost(server, pipeline, safe, se.getMessage(), se);
        }
        if (cause instanceof SiphonException se) {
            return se;
        }
        return new SiphonException(
                ErrorCode.CONNECTION_LOST,
                "The binlog connection of pipeline "
                        + pipeline
                        + " to "
                        + server.address()
                        + " broke: "
                        + cause.getMessage()
                        + "; Siphon reconnects from the stored position",
                cause);
    }

    /**
     * Reads a split at one point of the log and makes that point both watermarks. MariaDB: in a
     * transaction with a consistent snapshot, whose binary log position is the point. MySQL: under
     * {@code LOCK TABLES ... READ}, which waits for the table's open transactions to end and holds
     * its writers off until the rows are read, between the positions before and after the read.
     * Runs on a connection of its own.
     */
    @Override
    public List<Row> readBetweenWatermarks(
            TableSchema table, SnapshotSplit split, String low, String high) {
        try (Connection c = server.connect()) {
            long lowAt;
            long highAt;
            List<Row> rows;
            if (flavor == ServerFlavor.MARIADB) {
                MySqlSnapshotSource.startSnapshot(c);
                lowAt = snapshotPosition(c);
                highAt = lowAt;
                rows = MySqlSnapshotSource.readAll(c, table, split, zeroDatesAsNull);
                c.commit();
            } else {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLES " + SqlText.quote(table.id()) + " READ");
                    lowAt = BinlogPositions.current(c, server.address()).packed();
                    rows = MySqlSnapshotSource.readAll(c, table, split, zeroDatesAsNull);
                    highAt = BinlogPositions.current(c, server.address()).packed();
                    s.execute("UNLOCK TABLES");
                }
            }
            // A change of the table at or after the read's point that the stream has already
            // returned (it may read a transaction from the log a moment before the transaction
            // is visible) would be lost under the rows: the caller reads again.
            Long changed = lastChanged.get(table.id());
            missedLow = changed != null && Long.compareUnsigned(changed, lowAt) >= 0 ? low : null;
            watermarks.add(new Watermark(low, lowAt));
            watermarks.add(new Watermark(high, highAt));
            return rows;
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e,
                    "re-copying split " + split.id() + " of " + table.id() + " while streaming",
                    ErrorCode.CONNECTION_LOST);
        }
    }

    /** MariaDB's binary log position of the transaction's consistent snapshot, packed. */
    private long snapshotPosition(Connection c) throws SQLException {
        String file = null;
        long position = -1;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                switch (rs.getString(1).toLowerCase(java.util.Locale.ROOT)) {
                    case "binlog_snapshot_file" -> file = rs.getString(2);
                    case "binlog_snapshot_position" -> position = rs.getLong(2);
                    default -> {}
                }
            }
        }
        if (file == null || file.isEmpty() || position < 0) {
            throw new SiphonException(
                    ErrorCode.SERVER_SETTING,
                    "The binary log of "
                            + server.address()
                            + " gives no position for a consistent snapshot"
                            + " (binlog_snapshot_file); is log-bin on?");
        }
        return BinlogOffset.packed(file, position);
    }

    @Override
    public String watermarkReached() {
        return watermarkReached;
    }

    @Override
    public boolean readMissedEarlierChange(String low) {
        return low.equals(missedLow);
    }

    @Override
    public Offset safePosition() {
        return safe;
    }

    @Override
    public Map<TableId, TableSchema> safeSchemas() {
        return safeSchemas;
    }

    /**
     * Nothing to release: the server keeps its binary logs for {@code binlog_expire_logs_seconds}.
     */
    @Override
    public void acknowledge(Offset offset) {}

    /** The size of the binary logs after the safe position, from {@code SHOW BINARY LOGS}. */
    @Override
    public long backlogBytes() {
        try {
            return BinlogPositions.bytesAfter(catalog, safe);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(client, catalog);
    }

    private static void closeQuietly(BinaryLogClient client, Connection catalog) {
        if (client != null) {
            try {
                client.disconnect();
            } catch (IOException e) {
                LOG.debug("Closing the binlog client failed", e);
            }
        }
        if (catalog != null) {
            try {
                catalog.close();
            } catch (SQLException e) {
                LOG.debug("Closing the catalog connection failed", e);
            }
        }
    }

    /** Reads a single value; for short catalog queries. */
    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
