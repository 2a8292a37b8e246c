package io.siphon.connector.opensearch;

import io.siphon.model.DataType;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorBehavior;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.opensearch.OpenSearchExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenSearch sink for the conformance suite: a "database" is a schema name, and each table of
 * it an index named {@code schema.table}.
 */
final class OpenSearchUnderTest implements ConnectorUnderTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final OpenSearchExtension node;
    private final Map<String, Object> extra;

    OpenSearchUnderTest(OpenSearchExtension node, Map<String, Object> extra) {
        this.node = node;
        this.extra = Map.copyOf(extra);
    }

    @Override
    public String createDatabase(String prefix) {
        return prefix + "_" + DATABASES.incrementAndGet();
    }

    @Override
    public Connector connector(String database) {
        return new OpenSearchConnectorFactory().create(config(node.server().url(), extra));
    }

    /** The sink's configuration for a node: one shard, no replica, short retries. */
    static Config config(String url, Map<String, Object> extra) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", url);
        raw.put("replicas", 0);
        raw.put("retry-timeout", "20s");
        raw.putAll(extra);
        return Config.of(raw, OpenSearchOptions.ALL, List.of());
    }

    @Override
    public String schemaOf(String database) {
        return database;
    }

    @Override
    public String nativeType(DataType type) {
        throw new UnsupportedOperationException("OpenSearch has no SQL types");
    }

    /**
     * Not transactional (a bulk request is applied when it returns), so neither exactly-once nor
     * discarding unflushed writes; a sink only, read back with searches.
     */
    @Override
    public boolean hasBehavior(ConnectorBehavior behavior) {
        return switch (behavior) {
            case TRANSACTIONAL_WRITES, EXACTLY_ONCE -> false;
            default -> true;
        };
    }
}
