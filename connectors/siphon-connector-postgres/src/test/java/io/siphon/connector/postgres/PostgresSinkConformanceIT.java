package io.siphon.connector.postgres;

import io.siphon.testkit.conformance.ConnectorUnderTest;
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
    protected ConnectorUnderTest underTest() {
        return new PostgresUnderTest(PG);
    }
}
