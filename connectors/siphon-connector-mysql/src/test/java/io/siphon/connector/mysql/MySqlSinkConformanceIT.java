package io.siphon.connector.mysql;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MySQL connector passes the sink conformance suite on MariaDB 11.4 (server zone +08:00, JVM
 * zone America/New_York), with instants as UTC {@code DATETIME}s, since the suite's reach beyond
 * 2038. Rows are read back with plain SQL.
 */
class MySqlSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected ConnectorUnderTest underTest() {
        // The suite's instants span 1970-01-01T00:00Z to 9999, beyond TIMESTAMP's range.
        return new MariaDbUnderTest(MARIADB, Map.of("instant-type", "datetime"));
    }

    @Override
    protected List<Row> readBack(Connector connector, TableSchema table) {
        try (Connection c = MARIADB.server().connect(table.id().schema())) {
            return MySqlRows.read(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
