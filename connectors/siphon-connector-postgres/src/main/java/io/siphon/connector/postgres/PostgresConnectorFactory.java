package io.siphon.connector.postgres;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.Option;
import io.siphon.spi.StandardOptions;
import java.util.List;

/** The {@code postgres} connector: found by {@link java.util.ServiceLoader}. */
public final class PostgresConnectorFactory implements ConnectorFactory {

    /** The type name in pipeline specs. */
    public static final String TYPE = "postgres";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "PostgreSQL 12 or newer: consistent chunked snapshots and (14 or newer) change data"
                + " capture with pgoutput as a source; COPY and upserts as a sink";
    }

    @Override
    public List<Option<?>> options() {
        return PostgresOptions.ALL;
    }

    /**
     * The table selection and the per-pipeline tuning; never the URL, user or password, which say
     * where the connection's secrets go.
     */
    @Override
    public List<Option<?>> pipelineOptions() {
        return List.of(
                StandardOptions.TABLES,
                StandardOptions.EXCLUDE_TABLES,
                PostgresOptions.DEFAULT_SCHEMA,
                PostgresOptions.CONNECT_TIMEOUT,
                PostgresOptions.COPY_BUFFER_KB,
                PostgresOptions.SLOT_NAME,
                PostgresOptions.PUBLICATION_NAME,
                PostgresOptions.HEARTBEAT_INTERVAL,
                PostgresOptions.START_LSN);
    }

    @Override
    public Connector create(Config config) {
        return new PostgresConnector(config);
    }
}
