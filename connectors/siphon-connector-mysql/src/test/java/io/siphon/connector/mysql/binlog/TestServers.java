package io.siphon.connector.mysql.binlog;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.embedded.MariaDbServer;
import io.siphon.spi.Config;
import java.util.List;
import java.util.Map;

/** Test helpers for an embedded MariaDB. */
final class TestServers {

    private TestServers() {}

    /** The endpoint of the server as its superuser. */
    static MySqlEndpoint of(MariaDbServer server) {
        return MySqlEndpoint.of(
                Config.of(
                        Map.of("url", server.jdbcUrl("mysql"), "user", MariaDbServer.USER),
                        MySqlOptions.ALL,
                        List.of("type")));
    }
}
