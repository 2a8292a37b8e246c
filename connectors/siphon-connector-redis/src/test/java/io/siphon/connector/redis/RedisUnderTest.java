package io.siphon.connector.redis;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorBehavior;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.redis.RedisExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis connector for the sink conformance suite: a "database" is a key prefix of its own, so
 * tests share the server but no keys. Redis has no SQL: the suite's SQL hooks are not used by the
 * sink suite and say so if called.
 */
final class RedisUnderTest implements ConnectorUnderTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final RedisExtension redis;
    private final Map<String, String> options;

    RedisUnderTest(RedisExtension redis, Map<String, String> options) {
        this.redis = redis;
        this.options = Map.copyOf(options);
    }

    /** A connector writing under a key prefix, with extra options. */
    static Connector connector(RedisExtension redis, String prefix, Map<String, ?> options) {
        Map<String, Object> raw = new HashMap<>(options);
        raw.put("url", redis.server().url());
        raw.put("key-prefix", prefix);
        return new RedisConnectorFactory().create(Config.of(raw, RedisOptions.ALL, "redis sink"));
    }

    @Override
    public EmbeddedServer server() {
        throw new UnsupportedOperationException("Redis is not an SQL server");
    }

    @Override
    public String createDatabase(String prefix) {
        return prefix + "_" + PREFIXES.incrementAndGet();
    }

    @Override
    public Connector connector(String database) {
        return connector(redis, database, options);
    }

    @Override
    public String schemaOf(String database) {
        return "public";
    }

    @Override
    public String nativeType(DataType type) {
        throw new UnsupportedOperationException("Redis has no column types");
    }

    @Override
    public boolean hasBehavior(ConnectorBehavior behavior) {
        return switch (behavior) {
            // No transactions: what a writer sent before a crash stays; replays are idempotent.
            case TRANSACTIONAL_WRITES, EXACTLY_ONCE -> false;
            default -> true;
        };
    }
}
