package io.siphon.connector.postgres;

import io.siphon.connector.postgres.types.PgTypeMapping;
import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.DataType;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.pg.PostgresExtension;
import java.util.List;
import java.util.Map;

/** The PostgreSQL connector as both conformance suites drive it. */
record PostgresUnderTest(PostgresExtension pg) implements ConnectorUnderTest {

    @Override
    public EmbeddedServer server() {
        return pg.server();
    }

    @Override
    public String createDatabase(String prefix) {
        return pg.server().createDatabase(prefix);
    }

    /** As the superuser, without heartbeats, so the stream holds only the test's changes. */
    @Override
    public Connector connector(String database) {
        return new PostgresConnectorFactory()
                .create(
                        Config.of(
                                Map.of(
                                        "url",
                                        pg.server().jdbcUrl(database),
                                        "user",
                                        PostgresServer.USER,
                                        "connect-timeout",
                                        "3s",
                                        "heartbeat-interval",
                                        "0s"),
                                PostgresOptions.ALL,
                                List.of("type")));
    }

    @Override
    public String schemaOf(String database) {
        return "public";
    }

    /** Through the connector's own write mapping. */
    @Override
    public String nativeType(DataType type) {
        return PgTypeMapping.toPostgresType(type);
    }
}
