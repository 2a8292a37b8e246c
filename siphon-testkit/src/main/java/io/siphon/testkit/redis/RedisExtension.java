package io.siphon.testkit.redis;

import io.siphon.embedded.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one embedded Redis server for a test class, on a free port, and stops it after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
 *
 * @Test void writesRows() { String url = REDIS.server().url(); ... }
 * }</pre>
 *
 * Tests isolate themselves with key prefixes of their own.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private RedisServer server;

    /** A server with the default settings. */
    public RedisExtension() {
        this(Map.of());
    }

    /** A server with extra or overriding directives ({@code redis.conf} names and values). */
    public RedisExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server runs only during the test class");
        }
        return server;
    }
}
