package io.siphon.cli;

import io.siphon.connector.opensearch.OpenSearchConnector;
import io.siphon.connector.redis.RedisConnector;
import io.siphon.engine.ConnectorRegistry;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import java.util.Map;

/** Connectors the pipeline tests read the source and the target with. */
public final class TestConnectors {

    private TestConnectors() {}

    /** A postgres connector to a database of the embedded server, as its superuser. */
    public static Connector postgres(String jdbcUrl) {
        return create("postgres", Map.of("url", jdbcUrl, "user", "postgres"));
    }

    /** The redis connector a pipeline's sink block with these settings has. */
    public static RedisConnector redis(String url, String prefix, String format) {
        return (RedisConnector)
                create("redis", Map.of("url", url, "key-prefix", prefix, "format", format));
    }

    /** The opensearch connector of a pipeline whose sink block names only this url. */
    public static OpenSearchConnector openSearch(String url) {
        return (OpenSearchConnector) create("opensearch", Map.of("url", url));
    }

    private static Connector create(String type, Map<String, ?> raw) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        return registry.create(
                type, Config.of(raw, registry.factory(type).options(), type + " in a test"));
    }
}
