package io.siphon.connector.mysql;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.Option;
import io.siphon.spi.StandardOptions;
import java.util.List;

/** The {@code mysql} connector (MySQL 8 and MariaDB): found by {@link java.util.ServiceLoader}. */
public final class MySqlConnectorFactory implements ConnectorFactory {

    /** The type name in pipeline specs. */
    public static final String TYPE = "mysql";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "MySQL 8 or MariaDB 10.6 or newer: a sink with batched upserts and exactly-once"
                + " bookkeeping in the target transaction";
    }

    @Override
    public List<Option<?>> options() {
        return MySqlOptions.ALL;
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
                MySqlOptions.CONNECT_TIMEOUT,
                MySqlOptions.BATCH_ROWS,
                MySqlOptions.KEY_TEXT_LENGTH,
                MySqlOptions.INSTANT_TYPE);
    }

    @Override
    public Connector create(Config config) {
        return new MySqlConnector(config);
    }
}
