package io.siphon.connector.postgres;

import io.siphon.connector.support.jdbc.postgres.PgTypeMapping;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.DataType;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import java.util.List;
import java.util.Map;

/** What both PostgreSQL conformance classes answer alike. */
final class PostgresConformance {

    private PostgresConformance() {}

    /** A connector as the superuser, without heartbeats, so the stream holds only the test's. */
    static Connector connector(PostgresServer server, String database) {
        return new PostgresConnectorFactory()
                .create(
                        Config.of(
                                Map.of(
                                        "url",
                                        server.jdbcUrl(database),
                                        "user",
                                        PostgresServer.USER,
                                        "connect-timeout",
                                        "3s",
                                        "heartbeat-interval",
                                        "0s"),
                                PostgresOptions.ALL,
                                List.of("type")));
    }

    /** The test columns' types, through the connector's own write mapping. */
    static String nativeType(DataType type) {
        return PgTypeMapping.toPostgresType(type);
    }
}
