package io.siphon.connector.mysql;

import io.siphon.connector.mysql.binlog.BinlogSettings;
import io.siphon.connector.mysql.binlog.BinlogStreamSource;
import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.mysql.check.SourceCheck;
import io.siphon.connector.mysql.check.SourceSetupScript;
import io.siphon.connector.mysql.sink.BulkLoad;
import io.siphon.connector.mysql.sink.MySqlSink;
import io.siphon.connector.mysql.snapshot.MySqlSnapshotSource;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.StreamSource;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A configured MySQL or MariaDB connection. It holds one connection of its own, opened on first
 * use, for catalog work (check, discover, preparing sink tables); sink writers open their own
 * connections. Used by one thread at a time.
 */
public final class MySqlConnector implements Connector {

    private final Config config;
    private final MySqlEndpoint endpoint;
    private final BulkLoad bulkLoad;
    private Connection connection;
    private MySqlTypeMapper types;

    /** A connector for a validated configuration; does not connect. */
    public MySqlConnector(Config config) {
        this.config = config;
        this.endpoint = MySqlEndpoint.of(config);
        this.bulkLoad = new BulkLoad(config.get(MySqlOptions.BULK_LOAD));
    }

    /**
     * A change stream source from the binary log, and a sink (which also applies schema changes and
     * loads empty tables with {@code LOAD DATA LOCAL INFILE} or multi-row inserts).
     */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.SNAPSHOT_SOURCE,
                Capability.STREAM_SOURCE,
                Capability.WATERMARKS,
                Capability.SINK,
                Capability.BULK_LOAD,
                Capability.SCHEMA_CHANGES);
    }

    /**
     * Connects; a connection refused is the one problem reported. As a source, also checks the
     * privileges and, for a change stream, the binary log settings ({@link SourceCheck}).
     */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        try {
            Connection c = connection();
            if (usage == Usage.SINK) {
                Problem refused = bulkLoad.checkProblem(c, endpoint.address());
                return refused == null ? List.of() : List.of(refused);
            }
            return SourceCheck.problems(c, usage, endpoint.user());
        } catch (SiphonException e) {
            return List.of(
                    new Problem(
                            e.code(),
                            e.getMessage(),
                            "Fix the connection settings and validate again"));
        } catch (SQLException e) {
            SiphonException translated =
                    MySqlErrors.translate(e, "checking the server at " + endpoint.address());
            return List.of(
                    new Problem(
                            translated.code(),
                            translated.getMessage(),
                            "Fix the cause and validate again"));
        }
    }

    /**
     * As a source: the user, its grants and the binary log settings ({@link SourceSetupScript}).
     */
    @Override
    public List<String> setupScript(Usage usage, String pipeline, TableFilter tables) {
        return usage == Usage.SINK ? List.of() : SourceSetupScript.of(endpoint, usage, pipeline);
    }

    @Override
    public List<TableSchema> discover(TableFilter filter) {
        try {
            return MySqlCatalog.discover(connection(), filter, endpoint.database(), types());
        } catch (SQLException e) {
            throw MySqlErrors.translate(e, "reading the catalog of " + endpoint.address());
        }
    }

    @Override
    public SnapshotSource snapshotSource() {
        return new MySqlSnapshotSource(
                endpoint, this::connection, "null".equals(config.get(StandardOptions.ZERO_DATES)));
    }

    @Override
    public StreamSource streamSource() {
        long serverId = config.get(MySqlOptions.SERVER_ID);
        return new BinlogStreamSource(
                endpoint,
                new BinlogSettings(
                        config.get(MySqlOptions.HEARTBEAT_INTERVAL),
                        serverId == 0 ? null : serverId,
                        "null".equals(config.get(StandardOptions.ZERO_DATES))));
    }

    @Override
    public Sink sink() {
        return new MySqlSink(this);
    }

    /** How the sink loads tables it created or found empty, shared by its writers. */
    public BulkLoad bulkLoad() {
        return bulkLoad;
    }

    /** Where this connector connects to. */
    public MySqlEndpoint endpoint() {
        return endpoint;
    }

    /** The configuration it was created with. */
    public Config config() {
        return config;
    }

    /** The type mapping for the server, which it asks on first use for its flavor. */
    public MySqlTypeMapper types() {
        if (types == null) {
            try {
                types =
                        new MySqlTypeMapper(
                                MySqlEndpoint.flavor(connection()),
                                config.get(MySqlOptions.KEY_TEXT_LENGTH),
                                "timestamp".equals(config.get(MySqlOptions.INSTANT_TYPE)));
            } catch (SQLException e) {
                throw MySqlErrors.translate(e, "reading the version of " + endpoint.address());
            }
        }
        return types;
    }

    /**
     * The connector's own auto-commit connection for catalog work, opened on first use and opened
     * again when it broke.
     */
    public Connection connection() {
        try {
            if (connection != null && !connection.isClosed() && connection.isValid(5)) {
                return connection;
            }
        } catch (SQLException e) {
            // isValid failed: treat like a broken connection and open a new one below.
        }
        MySqlEndpoint.closeQuietly(connection);
        connection = null;
        connection = endpoint.connect();
        return connection;
    }

    @Override
    public void close() {
        MySqlEndpoint.closeQuietly(connection);
        connection = null;
    }
}
