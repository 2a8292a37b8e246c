package io.siphon.connector.mysql;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.util.Map;

/**
 * The MySQL connector on the test class's embedded MariaDB, for the conformance suites: a database
 * plays the role of a schema, and the suite's portable columns are {@code int}, {@code bigint} and
 * {@code longtext}.
 *
 * @param mariaDb the test class's server
 * @param options connector options beyond the URL and user
 */
record MariaDbUnderTest(MariaDbExtension mariaDb, Map<String, String> options)
        implements ConnectorUnderTest {

    @Override
    public EmbeddedServer server() {
        return mariaDb.server();
    }

    @Override
    public String createDatabase(String prefix) {
        return mariaDb.server().createDatabase(prefix);
    }

    @Override
    public Connector connector(String database) {
        return MariaDbConnectors.connector(mariaDb.server(), database, options);
    }

    @Override
    public String schemaOf(String database) {
        return database;
    }

    @Override
    public String nativeType(DataType type) {
        return switch (type) {
            case DataType.Int32 i -> "int";
            case DataType.Int64 i -> "bigint";
            default -> "longtext";
        };
    }
}
