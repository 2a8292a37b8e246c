package io.siphon.connector.postgres;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.pg.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL connector passes the sink conformance suite; rows are read back through its own
 * snapshot source.
 */
class PostgresSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected EmbeddedServer server() {
        return PG.server();
    }

    @Override
    protected String createDatabase(String prefix) {
        return PG.server().createDatabase(prefix);
    }

    @Override
    protected Connector connector(String database) {
        return PostgresConformance.connector(PG.server(), database);
    }

    @Override
    protected String schemaOf(String database) {
        return "public";
    }

    @Override
    protected String nativeType(DataType type) {
        return PostgresConformance.nativeType(type);
    }
}
