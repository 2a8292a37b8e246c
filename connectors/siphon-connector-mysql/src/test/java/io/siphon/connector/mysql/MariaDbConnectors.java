package io.siphon.connector.mysql;

import io.siphon.embedded.MariaDbServer;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Connectors to a test's embedded MariaDB server. */
public final class MariaDbConnectors {

    private MariaDbConnectors() {}

    /** A connector to a database as the superuser, with a short connect timeout. */
    public static Connector connector(MariaDbServer server, String database) {
        return connector(server, database, Map.of());
    }

    /** The same with options added or overridden. */
    public static Connector connector(MariaDbServer server, String database, Map<String, ?> more) {
        Map<String, Object> options = new HashMap<>();
        options.put("url", server.jdbcUrl(database));
        options.put("user", MariaDbServer.USER);
        options.put("connect-timeout", "3s");
        options.putAll(more);
        return new MySqlConnectorFactory()
                .create(Config.of(options, MySqlOptions.ALL, List.of("type")));
    }
}
