package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.connector.postgres.SqlText;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StreamSource;
import io.siphon.spi.StreamStart;
import io.siphon.spi.UnstreamableTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-data-capture side of the connector: a pipeline streams through its own publication
 * (the tables) and logical replication slot (the position), both named by {@link StreamNames}.
 *
 * <p>{@link #prepare} creates or updates the publication first (the slot decodes with the catalog
 * as of each change, so a publication created after the slot would be missing for the first
 * changes), then creates the slot when missing, exporting its snapshot for the initial copy, or
 * checks the existing slot. {@link #drop} removes both (a publication named by the user stays).
 *
 * <p>{@link #prepare} and {@link #drop} run on the driver thread on the connector's own connection;
 * {@link #open} runs on the stream's reader thread and opens connections of its own.
 */
public final class PgStreamSource implements StreamSource {

    private static final Logger LOG = LoggerFactory.getLogger(PgStreamSource.class);

    private final PostgresConnector connector;

    /** The streaming side of a connector. */
    public PgStreamSource(PostgresConnector connector) {
        this.connector = connector;
    }

    @Override
    public StreamStart prepare(
            String pipeline, List<TableSchema> tables, Offset resumeFrom, boolean withSnapshot) {
        return prepare(pipeline, null, tables, resumeFrom, withSnapshot);
    }

    @Override
    public StreamStart prepare(
            String pipeline,
            String instance,
            List<TableSchema> tables,
            Offset resumeFrom,
            boolean withSnapshot) {
        StreamNames names = StreamNames.of(pipeline, connector.config());
        PgLsn resume = lsn(resumeFrom);
        Connection c = connector.connection();
        try {
            StreamOwner owner = StreamOwner.of(c, names);
            // Before anything is touched: the objects may be another copy's.
            requireOwnToken(owner, names, pipeline, instance);
            Slots.Slot slot = Slots.find(c, names.slot());
            if (slot != null) {
                String database = single(c, "SELECT pg_catalog.current_database()");
                if (!"pgoutput".equals(slot.plugin()) || !database.equals(slot.database())) {
                    throw new SiphonException(
                            ErrorCode.CONFIG_INVALID_VALUE,
                            "Replication slot "
                                    + names.slot()
                                    + " exists but is not a pgoutput slot of database "
                                    + database
                                    + " (it is "
                                    + (slot.plugin() == null ? "a physical slot" : slot.plugin())
                                    + (slot.database() == null ? "" : " in " + slot.database())
                                    + "); set 'slot-name' to a name of its own for this pipeline");
                }
                // Before the publication is touched: it may be another copy's.
                requireOwn(c, slot, pipeline, resume);
            }
            if (!names.publicationConfigured()) {
                ensurePublication(c, names.publication(), tables, connector.endpoint().user());
                if (instance != null && owner.token() == null) {
                    owner.record(c, names, pipeline, instance, owner.exists());
                }
            } else if (!publicationExists(c, names.publication())) {
                throw missingPublication(
                        names.publication(), tables.stream().map(TableSchema::id).toList());
            }
            if (slot == null) {
                if (resume != null) {
                    throw Slots.positionLost(names.slot(), pipeline, resume, Slots.GONE, null);
                }
                return requestedStart(createSlot(names, pipeline, withSnapshot), resume);
            }
            if (slot.lost()) {
                throw Slots.positionLost(
                        names.slot(),
                        pipeline,
                        resume != null ? resume : slot.confirmedFlush(),
                        Slots.INVALIDATED,
                        null);
            }
            LOG.info(
                    "Pipeline {} streams from existing slot {}, confirmed up to {}",
                    pipeline,
                    names.slot(),
                    slot.confirmedFlush());
            return requestedStart(new StreamStart(slot.confirmedFlush(), null), resume);
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "preparing the change stream of pipeline " + pipeline);
        }
    }

    /**
     * Refuses stream objects recorded with another copy's instance token: that copy, with another
     * state directory, created them and may still stream from them, whatever position this copy's
     * state holds.
     */
    private void requireOwnToken(
            StreamOwner owner, StreamNames names, String pipeline, String instance) {
        if (instance == null || owner.token() == null || owner.token().equals(instance)) {
            return;
        }
        throw anotherState(
                owner,
                names,
                pipeline,
                instance,
                ": another copy of the pipeline, run with another state directory, created them."
                        + " Run the pipeline with that state directory; or give this copy another"
                        + " name (or 'slot-name' and 'publication-name'); or, to start over from"
                        + " here and cut the other copy off, remove its stream with `siphon drop"
                        + " --force`");
    }

    /**
     * The error for stream objects recorded with another state's instance token, naming both
     * tokens, then {@code advice}.
     */
    private SiphonException anotherState(
            StreamOwner owner, StreamNames names, String pipeline, String instance, String advice) {
        return new SiphonException(
                ErrorCode.STATE_CONFLICT,
                "The replication slot "
                        + names.slot()
                        + " and publication "
                        + names.publication()
                        + " of pipeline "
                        + pipeline
                        + " at "
                        + connector.endpoint().address()
                        + " belong to another Siphon state (instance token "
                        + owner.token()
                        + (instance == null
                                ? "; this state directory has none)"
                                : "; this state directory's is " + instance + ")")
                        + advice);
    }

    /**
     * Refuses a slot that is not this copy's: one another process streams from, or one this copy's
     * state holds no position of (another copy of the pipeline, with another state directory,
     * created it) unless {@code start-lsn} adopts it explicitly, or one confirmed beyond this
     * copy's position (a copy only confirms what its state stored first, so another copy streamed
     * from it since, and the changes in between are gone for this one).
     */
    private void requireOwn(Connection c, Slots.Slot slot, String pipeline, PgLsn resume)
            throws SQLException {
        String holder = otherHolder(c, slot);
        if (holder != null) {
            throw new SiphonException(
                    ErrorCode.PIPELINE_ALREADY_RUNNING,
                    "Pipeline "
                            + pipeline
                            + " is already running elsewhere: its replication slot "
                            + slot.name()
                            + " at "
                            + connector.endpoint().address()
                            + " is in use by "
                            + holder
                            + ". Two copies of one pipeline must not run; stop the other one, or"
                            + " give this one another name (or 'slot-name')");
        }
        if (resume == null && connector.config().get(PostgresOptions.START_LSN) == null) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "Replication slot "
                            + slot.name()
                            + " of pipeline "
                            + pipeline
                            + " exists at "
                            + connector.endpoint().address()
                            + ", but this state directory holds no position of it: another copy"
                            + " of the pipeline, run with another state directory, created it."
                            + " Run the pipeline with that state directory; or give this copy"
                            + " another name (or 'slot-name'); or, to start over from here and"
                            + " cut the other copy off, remove its stream with `siphon drop"
                            + " --force`");
        }
        if (resume != null
                && slot.confirmedFlush() != null
                && slot.confirmedFlush().compareTo(resume) > 0) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "Replication slot "
                            + slot.name()
                            + " of pipeline "
                            + pipeline
                            + " at "
                            + connector.endpoint().address()
                            + " was confirmed up to "
                            + slot.confirmedFlush().describe()
                            + ", beyond "
                            + resume.describe()
                            + " where this state directory's position is: another copy of the"
                            + " pipeline, run with another state directory, streamed from it since,"
                            + " and the changes in between cannot be read again. Run the pipeline"
                            + " with that state directory; or copy the tables again from here"
                            + " with --resnapshot (which cuts the other copy off)");
        }
    }

    /**
     * Who streams from a slot, when it is another process than this one: its {@code
     * application_name} ({@code siphon@host:pid} for Siphon), client address and server process;
     * null when nobody streams from it, or the stream just ended, or this process does (a
     * connection of its own that the server has not noticed is gone yet).
     */
    private static String otherHolder(Connection c, Slots.Slot slot) throws SQLException {
        if (slot.activePid() == 0) {
            return null;
        }
        String application = null;
        String client = null;
        boolean found = false;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT application_name, client_addr::text FROM"
                                + " pg_catalog.pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, slot.activePid());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = true;
                    application = rs.getString(1);
                    client = rs.getString(2);
                }
            }
        }
        // Gone from pg_stat_activity: a stream that just ended, whose slot the server is about
        // to release.
        if (!found || PostgresEndpoint.replicationClient().equals(application)) {
            return null;
        }
        return (application == null || application.isEmpty() ? "a client" : application)
                + (client == null ? "" : " from " + client)
                + " (PostgreSQL server process "
                + slot.activePid()
                + ")";
    }

    /**
     * The stream's start moved to the {@code start-lsn} option for a pipeline that has no stored
     * position and no snapshot handing over to the stream.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the LSN lies before what
     *     the slot can stream, or a snapshot is to hand over to the stream
     */
    private StreamStart requestedStart(StreamStart start, PgLsn resume) {
        String text = connector.config().get(PostgresOptions.START_LSN);
        if (text == null || resume != null) {
            return start;
        }
        PgLsn requested;
        try {
            requested = PgLsn.parse(text.strip());
        } catch (SiphonException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE, "source.start-lsn: " + e.getMessage());
        }
        if (start.snapshot() != null) {
            start.snapshot().close();
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "source.start-lsn is for mode: cdc; with snapshot+cdc the stream starts where"
                            + " the snapshot ends. Remove start-lsn or use mode: cdc");
        }
        PgLsn earliest = (PgLsn) start.start();
        if (requested.compareTo(earliest) < 0) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "source.start-lsn "
                            + requested.describe()
                            + " lies before "
                            + earliest.describe()
                            + ", the earliest position the replication slot can stream (WAL"
                            + " before a slot exists is not kept for it); use "
                            + earliest.describe()
                            + " or later, or snapshot+cdc to copy the tables first");
        }
        LOG.info("Stream starts at {} as source.start-lsn asks", requested.describe());
        return new StreamStart(requested, null);
    }

    private static PgLsn lsn(Offset offset) {
        if (offset == null || offset instanceof PgLsn) {
            return (PgLsn) offset;
        }
        throw new SiphonException(
                ErrorCode.STATE_STORE_FAILED,
                "stored position " + offset.describe() + " is not a PostgreSQL LSN");
    }

    /**
     * Creates the publication for exactly these tables, or sets its tables when they changed. A
     * publication for all tables is left as it is.
     */
    private static void ensurePublication(
            Connection c, String publication, List<TableSchema> tables, String user)
            throws SQLException {
        Set<TableId> wanted = new HashSet<>();
        tables.forEach(t -> wanted.add(t.id()));
        String list =
                tables.stream().map(t -> SqlText.quote(t.id())).collect(Collectors.joining(", "));
        Boolean allTables = null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    allTables = rs.getBoolean(1);
                }
            }
        }
        String sql;
        if (allTables == null) {
            // Changes of partitions are published as changes of the partitioned table named here.
            sql =
                    "CREATE PUBLICATION "
                            + SqlText.quote(publication)
                            + (wanted.isEmpty() ? "" : " FOR TABLE " + list)
                            + " WITH (publish_via_partition_root = true)";
        } else if (allTables || wanted.isEmpty() || published(c, publication).equals(wanted)) {
            return;
        } else {
            sql = "ALTER PUBLICATION " + SqlText.quote(publication) + " SET TABLE " + list;
        }
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new SiphonException(
                        ErrorCode.PERMISSION_DENIED,
                        "User "
                                + user
                                + " may not "
                                + (allTables == null ? "create" : "change")
                                + " publication "
                                + publication
                                + ": "
                                + e.getMessage()
                                + ". Publishing a table takes its owner (and CREATE on the"
                                + " database); let the owner run: "
                                + sql
                                + "; or run it as a superuser, then set 'publication-name' if"
                                + " the name differs",
                        e);
            }
            throw e;
        }
        LOG.info(
                "{} publication {} for {} tables",
                allTables == null ? "Created" : "Updated",
                publication,
                wanted.size());
    }

    /**
     * A publication named with {@code publication-name} is the user's: Siphon never creates or
     * changes it (the tables' owner does), so a matching table it leaves out is not streamed until
     * the owner adds it.
     */
    @Override
    public List<UnstreamableTable> unstreamable(String pipeline, List<TableId> tables) {
        StreamNames names = StreamNames.of(pipeline, connector.config());
        if (!names.publicationConfigured() || tables.isEmpty()) {
            return List.of();
        }
        Connection c = connector.connection();
        try {
            Boolean allTables = allTables(c, names.publication());
            if (allTables == null) {
                throw missingPublication(names.publication(), tables);
            }
            if (allTables) {
                return List.of();
            }
            Set<TableId> published = published(c, names.publication());
            return tables.stream()
                    .filter(t -> !published.contains(t))
                    .map(
                            t ->
                                    new UnstreamableTable(
                                            t,
                                            "is not in publication "
                                                    + names.publication()
                                                    + " (named by 'publication-name', so Siphon"
                                                    + " does not change it)",
                                            "let its owner run: ALTER PUBLICATION "
                                                    + SqlText.quote(names.publication())
                                                    + " ADD TABLE "
                                                    + SqlText.quote(t)
                                                    + ";"))
                    .toList();
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "reading publication " + names.publication() + " of pipeline " + pipeline);
        }
    }

    /** Whether a publication is for all tables; null when there is none of that name. */
    private static Boolean allTables(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static boolean publicationExists(Connection c, String publication) throws SQLException {
        return allTables(c, publication) != null;
    }

    /** The error for a {@code publication-name} that names no publication. */
    static SiphonException missingPublication(String publication, List<TableId> tables) {
        return new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "source.publication-name names publication "
                        + publication
                        + ", which does not exist (Siphon never creates or changes a publication"
                        + " named by 'publication-name'). Let the tables' owner run: "
                        + createPublication(publication, tables)
                        + " or remove 'publication-name' to let Siphon manage its own");
    }

    /** {@code CREATE PUBLICATION <name> FOR TABLE <tables>;}. */
    public static String createPublication(String publication, List<TableId> tables) {
        return "CREATE PUBLICATION "
                + SqlText.quote(publication)
                + (tables.isEmpty()
                        ? " FOR ALL TABLES"
                        : " FOR TABLE "
                                + tables.stream()
                                        .map(SqlText::quote)
                                        .collect(Collectors.joining(", ")))
                + " WITH (publish_via_partition_root = true);";
    }

    private static Set<TableId> published(Connection c, String publication) throws SQLException {
        Set<TableId> out = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables"
                                + " WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    private StreamStart createSlot(StreamNames names, String pipeline, boolean withSnapshot) {
        Connection replication = Slots.connect(connector.endpoint());
        boolean handedOver = false;
        String sql =
                "CREATE_REPLICATION_SLOT "
                        + names.slot()
                        + " LOGICAL pgoutput "
                        + (withSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT");
        try (Statement s = replication.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            PgLsn start = PgLsn.parse(rs.getString("consistent_point"));
            String snapshot = rs.getString("snapshot_name");
            LOG.info(
                    "Created replication slot {} for pipeline {} at {}{}",
                    names.slot(),
                    pipeline,
                    start,
                    withSnapshot ? " with exported snapshot " + snapshot : "");
            if (!withSnapshot) {
                return new StreamStart(start, null);
            }
            handedOver = true;
            return new StreamStart(start, new SlotSnapshot(replication, snapshot));
        } catch (SQLException e) {
            throw slotCreationFailure(e, names.slot());
        } finally {
            if (!handedOver) {
                PostgresEndpoint.closeQuietly(replication);
            }
        }
    }

    private SiphonException slotCreationFailure(SQLException e, String slot) {
        String state = e.getSQLState();
        String address = connector.endpoint().address();
        if ("55000".equals(state)) {
            return new SiphonException(
                    ErrorCode.SERVER_SETTING,
                    "PostgreSQL at "
                            + address
                            + " cannot create logical replication slot "
                            + slot
                            + " because wal_level is not logical. Run: ALTER SYSTEM SET wal_level"
                            + " = logical; then restart PostgreSQL",
                    e);
        }
        if ("53400".equals(state)) {
            return new SiphonException(
                    ErrorCode.SERVER_SETTING,
                    "PostgreSQL at "
                            + address
                            + " has no free replication slot for "
                            + slot
                            + ". Drop slots no longer used (SELECT pg_drop_replication_slot(name)),"
                            + " or raise the limit: ALTER SYSTEM SET max_replication_slots = <more>;"
                            + " then restart PostgreSQL",
                    e);
        }
        return PostgresErrors.translate(e, "creating replication slot " + slot);
    }

    @Override
    public ChangeStream open(
            String pipeline, List<TableSchema> tables, Offset from, Set<TableId> asOfFrom) {
        PgLsn start = lsn(from);
        if (start == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "the change stream of pipeline " + pipeline + " was opened without a position");
        }
        return PgChangeStream.open(
                connector.endpoint(),
                StreamNames.of(pipeline, connector.config()),
                connector.config().get(PostgresOptions.HEARTBEAT_INTERVAL),
                pipeline,
                tables,
                start,
                asOfFrom);
    }

    @Override
    public void drop(String pipeline, Offset position, boolean force) {
        drop(pipeline, null, position, force);
    }

    @Override
    public void drop(String pipeline, String instance, Offset position, boolean force) {
        StreamNames names = StreamNames.of(pipeline, connector.config());
        Connection c = connector.connection();
        try {
            StreamOwner owner = StreamOwner.of(c, names);
            if (!force) {
                if (owner.token() != null && !owner.token().equals(instance)) {
                    throw anotherState(
                            owner,
                            names,
                            pipeline,
                            instance,
                            "; nothing was dropped. Drop them from that state directory, or with"
                                    + " --force if that copy is gone for good");
                }
            }
            Slots.Slot slot = Slots.find(c, names.slot());
            if (slot != null && !force) {
                requireOwnForDrop(
                        c, slot, pipeline, position, instance != null && owner.token() != null);
            }
            if (slot != null) {
                dropSlot(c, slot);
                LOG.info("Dropped replication slot {} of pipeline {}", names.slot(), pipeline);
            }
            if (!names.publicationConfigured()) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP PUBLICATION IF EXISTS " + SqlText.quote(names.publication()));
                }
            }
        } catch (SQLException e) {
            throw PostgresErrors.translate(e, "dropping the change stream of pipeline " + pipeline);
        }
    }

    /**
     * Refuses to drop a slot another process streams from, or one this state directory neither
     * holds a position of nor recorded its instance token with ({@code ownToken}).
     */
    private void requireOwnForDrop(
            Connection c, Slots.Slot slot, String pipeline, Offset position, boolean ownToken)
            throws SQLException {
        String holder = otherHolder(c, slot);
        if (holder != null) {
            throw new SiphonException(
                    ErrorCode.PIPELINE_ALREADY_RUNNING,
                    "Pipeline "
                            + pipeline
                            + " is running elsewhere: its replication slot "
                            + slot.name()
                            + " at "
                            + connector.endpoint().address()
                            + " is in use by "
                            + holder
                            + "; nothing was dropped. Stop that run first, or drop with --force"
                            + " to end it");
        }
        if (position == null && !ownToken) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "Replication slot "
                            + slot.name()
                            + " of pipeline "
                            + pipeline
                            + " at "
                            + connector.endpoint().address()
                            + " is not this state directory's (it holds no position of it):"
                            + " another copy of the pipeline, run with another state directory,"
                            + " created it; nothing was dropped. Drop it from that state"
                            + " directory, or with --force if that copy is gone for good");
        }
    }

    /**
     * Ends the server process streaming from the slot, if any, and drops the slot once it is free
     * (the replication command waits for that).
     */
    private void dropSlot(Connection c, Slots.Slot slot) throws SQLException {
        if (slot.activePid() != 0) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?)")) {
                ps.setInt(1, slot.activePid());
                ps.execute();
            }
        }
        Connection replication = Slots.connect(connector.endpoint());
        try (Statement s = replication.createStatement()) {
            s.execute("DROP_REPLICATION_SLOT " + slot.name() + " WAIT");
        } catch (SQLException e) {
            // 42704: dropped by someone else meanwhile, which is what was wanted.
            if (!"42704".equals(e.getSQLState())) {
                throw e;
            }
        } finally {
            PostgresEndpoint.closeQuietly(replication);
        }
    }

    @Override
    public OffsetCodec<PgLsn> offsetCodec() {
        return new PgLsnCodec();
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
