package io.siphon.connector.postgres;

import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.connector.postgres.cdc.PgStreamSource;
import io.siphon.connector.postgres.check.ConnectorCheck;
import io.siphon.connector.postgres.check.SetupScript;
import io.siphon.connector.postgres.sink.PostgresSink;
import io.siphon.connector.postgres.snapshot.PostgresSnapshotSource;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.StreamSource;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A configured PostgreSQL connection. It holds one connection of its own, opened on first use, for
 * catalog work (check, discover, split planning, preparing sink tables and change streams); read
 * points, split readers, change streams and sink writers each open their own connections. Used by
 * one thread at a time.
 */
public final class PostgresConnector implements Connector {

    private final Config config;
    private final PostgresEndpoint endpoint;
    private Connection connection;

    /** A connector for a validated configuration; does not connect. */
    public PostgresConnector(Config config) {
        this.config = config;
        this.endpoint = PostgresEndpoint.of(config);
    }

    /**
     * Snapshot source, change stream source, sink (which also applies schema changes), bulk load.
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

    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        return ConnectorCheck.run(this, usage, tables);
    }

    @Override
    public List<TableSchema> discover(TableFilter filter) {
        try {
            return TableCatalog.discover(
                    connection(), filter, config.get(PostgresOptions.DEFAULT_SCHEMA));
        } catch (SQLException e) {
            throw PostgresErrors.translate(e, "reading the catalog of " + endpoint.address());
        }
    }

    @Override
    public List<String> setupScript(Usage usage, String pipeline, TableFilter tables) {
        return SetupScript.of(this, usage, pipeline, tables);
    }

    @Override
    public SnapshotSource snapshotSource() {
        return new PostgresSnapshotSource(this);
    }

    @Override
    public StreamSource streamSource() {
        return new PgStreamSource(this);
    }

    @Override
    public Sink sink() {
        return new PostgresSink(this);
    }

    /** Where this connector connects to. */
    public PostgresEndpoint endpoint() {
        return endpoint;
    }

    /** The configuration it was created with. */
    public Config config() {
        return config;
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
        PostgresEndpoint.closeQuietly(connection);
        connection = null;
        connection = endpoint.connect();
        return connection;
    }

    @Override
    public void close() {
        PostgresEndpoint.closeQuietly(connection);
        connection = null;
    }
}
